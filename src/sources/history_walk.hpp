#pragma once
// The history walk: which commits a history scan covers, in which order, and which (path, blob)
// pairs each adds. Internal to sources/history.cpp and sources/push.cpp.

#include "git/commit_graph.hpp"
#include "git/pack.hpp"
#include "git/repository.hpp"

#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace secretscan::history {

struct OidHash {
    std::size_t operator()(const git_oid& id) const noexcept
    {
        std::size_t h;
        std::memcpy(&h, id.id, sizeof h);
        return h;
    }
};
struct OidEq {
    bool operator()(const git_oid& a, const git_oid& b) const noexcept { return git_oid_equal(&a, &b); }
};
using OidSet = std::unordered_set<git_oid, OidHash, OidEq>;
template <typename T>
using OidMap = std::unordered_map<git_oid, T, OidHash, OidEq>;

/// The commits at a shallow clone's boundary (listed in $GIT_DIR/shallow): their parents are
/// absent, so they are walked and diffed as root commits, as git does.
OidSet shallow_boundary(git_repository* repo);

/// An annotated tag whose message a scan covers: its ref name (or the range that named it) and id.
using NamedTag = std::pair<std::string, git_oid>;

/// The commits to scan, parents first (topological order, ties broken by commit time, oldest
/// first). Ranges as git log takes them ("A..B", "A...B", "^A", "B"); none means every ref and
/// HEAD. Appends to `named_tags` the annotated tags a range names directly. Throws
/// Error(usage) for a range that does not resolve, Error(runtime) for an unreadable commit.
/// Commits are read as `from` says. What the walk read of each listed commit goes into `shapes`
/// when given.
struct CommitShape {
    git_oid tree{};
    std::vector<git_oid> parents; ///< as the scan sees them: none at a shallow boundary
    std::int64_t time = 0;        ///< committer time, seconds since the epoch
};
using Shapes = OidMap<CommitShape>;
/// Where a walk reads a commit's tree, parents and time: from `graph` when it holds the commit,
/// else through `reader` (a history scan's), else through libgit2. Both may be null.
struct CommitSource {
    git::ObjectReader* reader = nullptr;
    const git::CommitGraph* graph = nullptr;
};
std::vector<git_oid> list_commits(git_repository* repo, const std::vector<std::string>& ranges, const OidSet& shallow,
                                  std::vector<NamedTag>& named_tags, const CommitSource& from = {}, Shapes* shapes = nullptr);

/// For each of `targets`, the full names of the refs (branches, tags, remotes, stash, notes...)
/// whose history holds it, sorted: what a responder must rewrite to remove a commit. Walks every
/// commit the refs reach once (parents as the scan sees them: none at a shallow boundary) and
/// propagates ref sets from children to parents, 1,024 refs per pass (the memory: 128 bytes per
/// commit). Commits are read as `from` says, and not at all when `shapes` (what list_commits
/// gave) holds them. Throws Error(runtime) for an unreadable commit.
std::vector<std::vector<std::string>> refs_reaching(git_repository* repo, const std::vector<git_oid>& targets, const OidSet& shallow,
                                                    const CommitSource& from = {}, const Shapes* shapes = nullptr);

/// Every annotated or lightweight tag (refs/tags/*), for their messages. Throws Error(runtime).
std::vector<NamedTag> all_tags(git_repository* repo);

struct Change;

/// The blobs that refs reach without a commit: a ref or tag (through annotated tags) to a blob
/// is one Change named after the ref ("refs/tags/key"), to a tree each of its blobs
/// ("refs/tags/dir:path/in/tree"). A full history scan reads them too (git log --all would not
/// show them). Throws Error(runtime) for an unreadable object.
std::vector<Change> blobs_outside_commits(git_repository* repo);

/// When `spec` is one revision (not A..B, A...B or ^A) that names, through annotated tags, a
/// blob or a tree: its blobs as blobs_outside_commits names them (after `spec`), and true.
/// False, with nothing appended, for a commit, a range or a name that resolves to nothing.
bool blobs_of_object(git_repository* repo, const std::string& spec, std::vector<Change>& out);

/// Every commit and blob in the object database (packed and loose, each once, sorted by id),
/// reachable or not: what `history --all-objects` adds to a walk. Reads each object's header
/// once. Throws Error(runtime) for an object whose header cannot be read.
struct OdbObjects {
    std::vector<git_oid> commits, blobs;
};
OdbObjects odb_objects(git_repository* repo);

/// A (path, blob) pair that a commit adds.
struct Change {
    std::string path;
    git_oid blob;
};

/// Appends the blobs of `now` whose id differs from the same path in `before` (null: all of
/// them). Recurses only into subtrees whose ids differ, so unchanged parts cost nothing.
/// Submodules are passed over. Throws Error(runtime) for an unreadable tree.
void changed_blobs(git_repository* repo, git_tree* before, git_tree* now, const std::string& prefix, std::vector<Change>& out);

/// What one commit adds.
struct CommitWork {
    std::vector<Change> changes; ///< (path, blob) pairs it adds relative to all of its parents
    /// For a commit whose parent lies outside the scanned range: the blobs that parent already
    /// holds at each changed path, or anywhere for identical content. Secrets already there
    /// are not new to the range.
    std::vector<Change> bases;
};

/// Inspects commit `id`: `in_range` is null when every commit is scanned, else the set of
/// scanned commits. Reads the commit and its trees through `reader` (the worker's, over
/// `repo`'s packs), comparing trees entry by entry in git's tree order and descending only into
/// subtrees whose ids differ. Throws Error(runtime) for an unreadable or malformed object.
/// `shapes` (list_commits'), when given, saves reading the commits it holds again.
CommitWork inspect_commit(git::ObjectReader& reader, git_repository* repo, const git_oid& id, const OidSet& shallow,
                          const OidSet* in_range, const Shapes* shapes = nullptr);

/// ISO 8601 with the signature's offset: "2024-01-31T12:00:00+01:00".
std::string iso_date(const git_time& t);

/// "Name <email>".
std::string person(const git_signature* s);

} // namespace secretscan::history
