#include <secretscan/error.hpp>
#include <secretscan/sources/staged.hpp>

#include "git/plumbing.hpp"
#include "git/repository.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace secretscan {

/// One way to read the staged changes: their paths, staged contents and parent versions.
class StagedSource::Backend {
public:
    virtual ~Backend() = default;
    /// The paths the commit adds or changes, in diff order.
    virtual const std::vector<std::string>& paths() const = 0;
    /// The staged content of path `i`.
    virtual std::string staged(std::size_t i) = 0;
    /// The commit's parents: HEAD, then each MERGE_HEAD.
    virtual std::size_t parent_count() const = 0;
    /// Path `i` in parent `k` (0 = HEAD; a rename's old path), empty when absent there.
    virtual std::string parent_version(std::size_t i, std::size_t k) = 0;
};

namespace {

/// GIT_INDEX_FILE resolved against the work tree's top (where git runs hooks), or empty when
/// unset. Throws Error(runtime) when it names a missing file: never an empty index.
std::string index_file_from_env(const std::string& top)
{
    const char* env = std::getenv("GIT_INDEX_FILE");
    if (!env || !*env) return {};
    const fs::path p = fs::path(env).is_relative() ? fs::path(top) / env : fs::path(env);
    std::error_code ec;
    if (!fs::exists(p, ec))
        throw Error(ErrorKind::runtime, "GIT_INDEX_FILE=" + std::string(env) + ": the index file does not exist; "
                                            "refusing to treat it as an empty index");
    return p.string();
}

/// 1-based numbers of the lines of `now` that are not in `before` (a line diff with no context).
std::vector<std::size_t> added_lines(const std::string& before, const std::string& now, const std::string& path)
{
    std::vector<std::size_t> added;
    if (before.empty()) {
        const std::size_t n = LineIndex(now).line_count();
        for (std::size_t i = 1; i <= n; ++i) added.push_back(i);
        return added;
    }
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION); // GIT_DIFF_OPTIONS_INIT leaves fields out: clang's -Wextra
    opts.context_lines = 0;
    opts.interhunk_lines = 0;
    opts.flags = GIT_DIFF_FORCE_TEXT;
    auto on_line = [](const git_diff_delta*, const git_diff_hunk*, const git_diff_line* line, void* payload) -> int {
        if (line->origin == GIT_DIFF_LINE_ADDITION && line->new_lineno > 0)
            static_cast<std::vector<std::size_t>*>(payload)->push_back(static_cast<std::size_t>(line->new_lineno));
        return 0;
    };
    git::check(git_diff_buffers(before.data(), before.size(), path.c_str(), now.data(), now.size(), path.c_str(), &opts, nullptr,
                                nullptr, nullptr, on_line, &added),
               "diff staged", path);
    std::sort(added.begin(), added.end());
    return added;
}

/// The lines of `now` (decoded) added relative to every parent version in `parents` (their
/// bytes, HEAD's first): the intersection of the lines added against each.
std::vector<std::size_t> added_against_all(const std::vector<std::string>& parents, const std::string& now, const std::string& path)
{
    std::vector<std::size_t> added;
    for (std::size_t k = 0; k < parents.size(); ++k) {
        std::vector<std::size_t> a = added_lines(decode(parents[k]).text, now, path);
        if (k == 0) {
            added = std::move(a);
            continue;
        }
        std::vector<std::size_t> both;
        std::set_intersection(added.begin(), added.end(), a.begin(), a.end(), std::back_inserter(both));
        added = std::move(both);
    }
    return added;
}

/// One path the commit adds or changes, as `git diff-index --raw` lists it.
struct Change {
    std::string old_sha, new_sha; ///< 40 hex digits; old is all zeros for an added path
    char status;                  ///< A, M, R, C or T
};

/// The changes from tree-ish `base` to the index, in diff order, by git's plumbing (`git
/// diff-index --cached -M`, run in `top`; git honours GIT_INDEX_FILE itself): deleted and
/// unmerged paths and submodules are left out. Paths go to `paths`, one per change. Throws
/// Error(runtime) when git fails or prints what is not --raw -z output.
std::vector<Change> diff_index(const std::string& top, const std::string& base, std::vector<std::string>& paths)
{
    const std::string raw = git::output(top, {"diff-index", "--cached", "-z", "--raw", "--no-abbrev", "-M", "--ignore-submodules", base});
    std::vector<Change> changes;
    // Records: ":<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0[<new path>\0]"
    for (std::size_t at = 0; at < raw.size();) {
        const std::size_t meta_end = raw.find('\0', at);
        if (meta_end == std::string::npos || raw[at] != ':') throw Error(ErrorKind::runtime, "git diff-index: unexpected output");
        std::istringstream meta(raw.substr(at + 1, meta_end - at - 1));
        std::string old_mode, new_mode, status;
        Change c;
        meta >> old_mode >> new_mode >> c.old_sha >> c.new_sha >> status;
        c.status = status.empty() ? '?' : status[0];
        at = meta_end + 1;
        auto next_path = [&] {
            const std::size_t end = raw.find('\0', at);
            std::string p = raw.substr(at, end - at);
            at = end == std::string::npos ? raw.size() : end + 1;
            return p;
        };
        const std::string old_path = next_path();
        const std::string path = (c.status == 'R' || c.status == 'C') ? next_path() : old_path;
        if (c.status == 'D' || c.status == 'U' || new_mode == "160000") continue;
        changes.push_back(c);
        paths.push_back(path);
    }
    return changes;
}

/// The tree git's empty tree has: the base before the first commit.
const char* const empty_tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/// One directory of git's cache-tree (the index's "TREE" extension; gitformat-index.txt,
/// "Cache tree"): the id of the tree its index entries make, when still valid, and its
/// subdirectories. libgit2 reads the extension but has no public API for it.
struct CacheTree {
    std::string name;                ///< path component; empty for the root
    std::optional<git_oid> id;       ///< unset when invalidated (entry count -1)
    std::vector<CacheTree> children; ///< in the order the extension lists them

    const CacheTree* child(std::string_view n) const
    {
        for (const CacheTree& c : children)
            if (c.name == n) return &c;
        return nullptr;
    }
};

/// Reads a "TREE" extension's data (a directory and, depth first, its subdirectories) at `at`.
/// Returns false when it is malformed.
bool parse_cache_tree(std::string_view data, std::size_t& at, CacheTree& node, int depth = 0)
{
    const std::size_t name_end = data.find('\0', at);
    const std::size_t line_end = name_end == std::string_view::npos ? name_end : data.find('\n', name_end);
    if (line_end == std::string_view::npos || depth > 4096) return false;
    node.name = std::string(data.substr(at, name_end - at));
    long entries = 0, subtrees = 0;
    if (std::sscanf(std::string(data.substr(name_end + 1, line_end - name_end - 1)).c_str(), "%ld %ld", &entries, &subtrees) != 2 ||
        subtrees < 0)
        return false;
    at = line_end + 1;
    if (entries >= 0) {
        if (data.size() - at < GIT_OID_RAWSZ) return false;
        git_oid id;
        git_oid_fromraw(&id, reinterpret_cast<const unsigned char*>(data.data() + at));
        node.id = id;
        at += GIT_OID_RAWSZ;
    }
    node.children.resize(static_cast<std::size_t>(std::min<long>(subtrees, 1 << 16)));
    for (CacheTree& c : node.children)
        if (!parse_cache_tree(data, at, c, depth + 1)) return false;
    return static_cast<std::size_t>(subtrees) == node.children.size();
}

/// The offset of the first extension of an index file (`file`, version 2 to 4, `count`
/// entries), just past the entries, or npos when the entries run past its end.
std::size_t index_extensions_at(std::string_view file, unsigned version, std::uint32_t count)
{
    constexpr std::size_t fixed = 62; // stat data, mode, sizes, object id, flags
    std::size_t at = 12;
    for (std::uint32_t i = 0; i < count; ++i) {
        if (file.size() < at + fixed + 2) return std::string_view::npos;
        const auto flags_hi = static_cast<unsigned char>(file[at + 60]);
        const std::size_t head = fixed + ((version >= 3 && (flags_hi & 0x40)) ? 2 : 0); // extended flags
        std::size_t name = at + head;
        if (version == 4)
            while (name < file.size() && (static_cast<unsigned char>(file[name++]) & 0x80)) {} // prefix length
        const std::size_t nul = file.find('\0', name);
        if (nul == std::string_view::npos) return std::string_view::npos;
        at = version == 4 ? nul + 1 : at + ((head + (nul - name) + 8) & ~std::size_t{7}); // v2/3: NUL-padded to 8 bytes
    }
    return at;
}

/// The cache-tree of the index file libgit2 read into `index`, or nullopt when the file has
/// none, is not the one libgit2 read (changed since: its checksum differs from
/// git_index_checksum's, deprecated in libgit2 1.5 but with no replacement), or is malformed.
std::optional<CacheTree> read_cache_tree(git_index* index)
{
    const char* path = git_index_path(index);
    std::ifstream in(path ? path : "", std::ios::binary | std::ios::ate);
    std::string file(in ? static_cast<std::size_t>(in.tellg()) : 0, '\0');
    if (!in.seekg(0) || !in.read(file.data(), static_cast<std::streamsize>(file.size()))) return std::nullopt;
    const auto be32 = [&file](std::size_t at) {
        std::uint32_t v = 0;
        for (std::size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(file[at + k]);
        return v;
    };
    if (file.size() < 12 + GIT_OID_RAWSZ || file.compare(0, 4, "DIRC") != 0 || be32(4) < 2 || be32(4) > 4) return std::nullopt;
    const std::size_t end = file.size() - GIT_OID_RAWSZ;
    if (std::memcmp(file.data() + end, git_index_checksum(index)->id, GIT_OID_RAWSZ) != 0) return std::nullopt;
    std::size_t at = index_extensions_at(std::string_view(file).substr(0, end), be32(4), be32(8));
    while (at != std::string_view::npos && end - at >= 8) {
        const std::size_t size = be32(at + 4);
        if (end - at - 8 < size) return std::nullopt;
        if (file.compare(at, 4, "TREE") == 0) {
            CacheTree root;
            std::size_t pos = 0;
            const std::string_view data = std::string_view(file).substr(at + 8, size);
            if (!parse_cache_tree(data, pos, root) || pos != data.size()) return std::nullopt;
            return root;
        }
        at += 8 + size;
    }
    return std::nullopt;
}

/// A file (blob, link or submodule) of HEAD's tree.
struct HeadFile {
    std::string path;
    git_oid id;
    git_filemode_t mode;
    bool in_index = false;

    bool operator<(std::string_view p) const { return path < p; }
};

/// The id of the tree the index entries under `prefix` (a directory, with a trailing '/') make,
/// as git's write-tree makes it, reading them from position `i` (the first under `prefix`; on
/// return, the first past them). Subdirectories with a valid id in the cache-tree (`node`, the
/// directory's, may be null) take that id, as git's cache-tree update does. nullopt when
/// git would leave an entry out or cannot write the tree (unmerged or intent-to-add entries).
std::optional<git_oid> index_tree_id(git_index* index, std::size_t& i, const std::string& prefix, const CacheTree* node)
{
    std::string tree; // the tree object's content: "<octal mode> <name>\0<raw id>" for each entry
    const auto add = [&tree](unsigned mode, std::string_view name, const git_oid& id) {
        char m[16];
        tree.append(m, static_cast<std::size_t>(std::snprintf(m, sizeof m, "%o ", mode)));
        tree.append(name).push_back('\0');
        tree.append(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ);
    };
    for (const std::size_t n = git_index_entrycount(index); i < n;) {
        const git_index_entry* e = git_index_get_byindex(index, i);
        const std::string_view p = e->path;
        if (p.substr(0, prefix.size()) != prefix) break;
        const std::string_view rest = p.substr(prefix.size());
        const std::size_t slash = rest.find('/');
        if (slash == std::string_view::npos) {
            if (git_index_entry_stage(e) != 0 || (e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD)) return std::nullopt;
            add(e->mode, rest, e->id);
            ++i;
            continue;
        }
        const std::string dir = prefix + std::string(rest.substr(0, slash + 1));
        const CacheTree* sub = node ? node->child(rest.substr(0, slash)) : nullptr;
        std::optional<git_oid> id = sub ? sub->id : std::nullopt;
        if (id)
            while (i < n && std::string_view(git_index_get_byindex(index, i)->path).substr(0, dir.size()) == dir) ++i;
        else if (!(id = index_tree_id(index, i, dir, sub)))
            return std::nullopt;
        add(040000, rest.substr(0, slash), *id);
    }
    git_oid id;
    if (git_odb_hash(&id, tree.data(), tree.size(), GIT_OBJECT_TREE) != 0) return std::nullopt;
    return id;
}

/// Whether the index holds exactly HEAD's tree `id` under directory `dir` (with a trailing
/// '/'), by its cache-tree (`node`, the directory's, may be null): its cached id when valid,
/// else the id its entries make (index_tree_id; not with a case-insensitive index, whose order
/// is not git's tree order).
bool index_has_tree(git_index* index, const std::string& dir, const CacheTree* node, const git_oid& id)
{
    if (node && node->id) return git_oid_equal(&*node->id, &id);
    std::size_t at = 0;
    if ((git_index_caps(index) & GIT_INDEX_CAPABILITY_IGNORE_CASE) || git_index_find_prefix(&at, index, dir.c_str()) != 0) return false;
    const std::optional<git_oid> made = index_tree_id(index, at, dir, node);
    return made && git_oid_equal(&*made, &id);
}

/// The files of HEAD's tree (`tree`, at `prefix`) outside its clean directories (those the
/// index holds unchanged: index_has_tree, with the cache-tree `node` at `prefix`, may be null),
/// in path order, go to `files`; each clean directory (with a trailing '/') goes to `clean`.
/// Only the trees of the directories that are not clean are read.
void walk_changed(git_repository* repo, git_index* index, const git_tree* tree, const CacheTree* node, const std::string& prefix,
                  std::vector<HeadFile>& files, std::vector<std::string>& clean)
{
    for (std::size_t i = 0, n = git_tree_entrycount(tree); i < n; ++i) {
        const git_tree_entry* e = git_tree_entry_byindex(tree, i);
        std::string path = prefix + git_tree_entry_name(e);
        if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
            files.push_back(HeadFile{std::move(path), *git_tree_entry_id(e), git_tree_entry_filemode(e)});
            continue;
        }
        path += '/';
        const CacheTree* sub = node ? node->child(git_tree_entry_name(e)) : nullptr;
        if (index_has_tree(index, path, sub, *git_tree_entry_id(e))) {
            clean.push_back(std::move(path));
            continue;
        }
        const git::Tree t = git::lookup_tree(repo, *git_tree_entry_id(e), path);
        walk_changed(repo, index, t.get(), sub, path, files, clean);
    }
}

/// The paths that differ between HEAD's tree `head` and `index` (a superset of those a diff of
/// the two finds: added, deleted, changed id or mode, unmerged), sorted. Directories whose id in
/// the index's cache-tree is HEAD's tree there are skipped unread: git's cache-tree invariant is
/// that the index holds exactly that tree below them. nullopt when there is no usable cache-tree.
std::optional<std::vector<std::string>> changed_paths(git_repository* repo, git_tree* head, git_index* index)
{
    const std::optional<CacheTree> cache = read_cache_tree(index);
    if (!cache) return std::nullopt;
    std::vector<std::string> changed, clean;
    if (cache->id && git_oid_equal(&*cache->id, git_tree_id(head))) return changed; // nothing staged
    std::vector<HeadFile> files;
    walk_changed(repo, index, head, &*cache, "", files, clean);
    std::sort(clean.begin(), clean.end()); // disjoint: none is under another
    if (!std::is_sorted(files.begin(), files.end(), [](const HeadFile& a, const HeadFile& b) { return a.path < b.path; }))
        std::sort(files.begin(), files.end(), [](const HeadFile& a, const HeadFile& b) { return a.path < b.path; });
    for (std::size_t i = 0, n = git_index_entrycount(index); i < n; ++i) {
        const git_index_entry* e = git_index_get_byindex(index, i);
        const std::string_view p = e->path;
        const auto c = std::upper_bound(clean.begin(), clean.end(), p);
        if (c != clean.begin() && p.substr(0, (c - 1)->size()) == *(c - 1)) continue; // under a clean directory
        const auto f = std::lower_bound(files.begin(), files.end(), p);
        const bool in_head = f != files.end() && f->path == p;
        if (in_head) f->in_index = true;
        if (!in_head || git_index_entry_stage(e) != 0 || !git_oid_equal(&f->id, &e->id) || f->mode != static_cast<git_filemode_t>(e->mode))
            changed.emplace_back(p);
    }
    for (const HeadFile& f : files)
        if (!f.in_index) changed.push_back(f.path); // deleted
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    return changed;
}

/// The staged changes through libgit2. The diff of HEAD's tree to the index is limited to the
/// paths that differ, found with the index's cache-tree (changed_paths): a full tree-to-index
/// diff reads every tree of HEAD (some 5 ms in a repository the size of git/git). The changes
/// it finds, renames included, are the same.
class Libgit2Backend : public StagedSource::Backend {
public:
    Libgit2Backend(git::Repository repo, const std::string& top) : m_repo(std::move(repo))
    {
        m_index = open_index(top);
        m_parents.push_back(git::head_tree(m_repo.get()));
        for (const git_oid& id : git::merge_heads(m_repo.get())) {
            const git::Commit c = git::lookup_commit(m_repo.get(), id, "MERGE_HEAD " + git::to_hex(id));
            git_tree* t = nullptr;
            git::check(git_commit_tree(&t, c.get()), "read tree of MERGE_HEAD", git::to_hex(id));
            m_parents.emplace_back(t);
        }
        diff(top);
    }
    const std::vector<std::string>& paths() const override { return m_paths; }
    std::string staged(std::size_t i) override
    {
        const git::Blob blob = git::lookup_blob(m_repo.get(), m_deltas[i]->new_file.id, m_paths[i]);
        return std::string(git::blob_bytes(blob.get()));
    }
    std::size_t parent_count() const override { return m_parents.size(); }
    std::string parent_version(std::size_t i, std::size_t k) override
    {
        const git_diff_delta* d = m_deltas[i];
        if (k > 0) return std::string(git::blob_bytes(git::blob_at(m_repo.get(), m_parents[k].get(), m_paths[i]).get()));
        if (d->status == GIT_DELTA_ADDED || !m_parents[0]) return {};
        return std::string(git::blob_bytes(git::lookup_blob(m_repo.get(), d->old_file.id, d->old_file.path).get()));
    }

private:
    /// The index the commit will be made from: GIT_INDEX_FILE when set, else the repository's.
    git::Index open_index(const std::string& top)
    {
        git_index* raw = nullptr;
        const std::string file = index_file_from_env(top);
        const int rc = file.empty() ? git_repository_index(&raw, m_repo.get()) : git_index_open(&raw, file.c_str());
        git::check(rc, "open index of", file.empty() ? top : file, ErrorKind::runtime, ErrorCause::unreadable_by_libgit2);
        return git::Index(raw);
    }

    void diff(const std::string& top);

    git::Repository m_repo;
    git::Index m_index;
    std::vector<git::Tree> m_parents; // HEAD's (null before the first commit), then each MERGE_HEAD's
    git::Diff m_diff;
    std::vector<const git_diff_delta*> m_deltas;
    std::vector<std::string> m_paths;
};

/// HEAD's tree to the index, renames found (libgit2's default similarity), limited to the paths
/// that differ (changed_paths) as exact paths.
void Libgit2Backend::diff(const std::string& top)
{
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.flags = GIT_DIFF_SKIP_BINARY_CHECK | GIT_DIFF_IGNORE_SUBMODULES;
    std::optional<std::vector<std::string>> only;
    if (m_parents[0]) only = changed_paths(m_repo.get(), m_parents[0].get(), m_index.get());
    if (only && only->empty()) return; // no pathspec would mean every path
    std::vector<char*> spec;
    if (only) {
        for (std::string& p : *only) spec.push_back(p.data());
        opts.pathspec = {spec.data(), spec.size()};
        opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH; // exact paths: libgit2 then skips the trees holding none
    }
    git_diff* raw = nullptr;
    git::check(git_diff_tree_to_index(&raw, m_repo.get(), m_parents[0].get(), m_index.get(), &opts), "diff HEAD to index in", top);
    m_diff.reset(raw);
    git_diff_find_options find;
    git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
    find.flags = GIT_DIFF_FIND_RENAMES;
    git::check(git_diff_find_similar(m_diff.get(), &find), "find renames in", top);
    for (std::size_t i = 0, n = git_diff_num_deltas(m_diff.get()); i < n; ++i) {
        const git_diff_delta* d = git_diff_get_delta(m_diff.get(), i);
        const bool adds = d->status == GIT_DELTA_ADDED || d->status == GIT_DELTA_MODIFIED || d->status == GIT_DELTA_RENAMED ||
                          d->status == GIT_DELTA_COPIED || d->status == GIT_DELTA_TYPECHANGE;
        if (!adds || d->new_file.mode == GIT_FILEMODE_COMMIT) continue; // deleted, or a submodule: its own repository
        m_deltas.push_back(d);
        m_paths.push_back(d->new_file.path);
    }
}

/// The staged changes through git's plumbing, for repositories libgit2 1.5 cannot read (split
/// or sparse index). git honours GIT_INDEX_FILE itself.
class PlumbingBackend : public StagedSource::Backend {
public:
    explicit PlumbingBackend(const std::string& repo_dir)
    {
        int rc = 0;
        m_top = git::first_line(git::output(repo_dir, {"rev-parse", "--show-toplevel"}, &rc));
        if (rc != 0 || m_top.empty()) throw Error(ErrorKind::usage, repo_dir + ": not in a git work tree: 'staged' needs one");
        index_file_from_env(m_top); // git reads it itself; only check that it exists
        m_head = git::first_line(git::output(m_top, {"rev-parse", "-q", "--verify", "HEAD^{commit}"}, &rc));
        m_merge_heads = git::merge_heads_of(m_top);
        m_changes = diff_index(m_top, m_head.empty() ? empty_tree : m_head, m_paths);
        m_objects = std::make_unique<git::GitCatFile>(m_top);
    }
    const std::vector<std::string>& paths() const override { return m_paths; }
    std::string staged(std::size_t i) override
    {
        std::string bytes;
        if (!m_objects->read(m_changes[i].new_sha, bytes))
            throw Error(ErrorKind::runtime, "read staged blob of " + m_paths[i] + ": missing object " + m_changes[i].new_sha);
        return bytes;
    }
    std::size_t parent_count() const override { return 1 + m_merge_heads.size(); }
    std::string parent_version(std::size_t i, std::size_t k) override
    {
        std::string content;
        if (k > 0) m_objects->read(m_merge_heads[k - 1] + ":" + m_paths[i], content);
        else if (m_changes[i].status != 'A' && !m_head.empty()) m_objects->read(m_changes[i].old_sha, content);
        return content;
    }

private:
    std::string m_top, m_head;
    std::vector<std::string> m_merge_heads;
    std::vector<Change> m_changes;
    std::vector<std::string> m_paths;
    std::unique_ptr<git::GitCatFile> m_objects;
};

} // namespace

/// What prepare() read ahead: each staged file's bytes and added lines, up to a budget.
struct StagedSource::Preloaded {
    struct File {
        std::string bytes;
        std::vector<std::size_t> added; ///< as read() passes them (empty with all_lines)
    };
    std::vector<std::optional<File>> files; ///< item -> what was read; unset: read() reads it
    std::vector<std::string> notes;         ///< list()'s notes, given again to its summary
};

StagedSource::StagedSource(std::string repo_dir, bool all_lines) : m_repo_dir(std::move(repo_dir)), m_all_lines(all_lines) {}

StagedSource::~StagedSource() = default;

std::unique_ptr<StagedSource::Backend> StagedSource::open_backend(std::vector<std::string>& notes) const
{
    try {
        git::Repository repo = git::open(m_repo_dir);
        const auto top = git::workdir(repo.get());
        if (!top) throw Error(ErrorKind::usage, m_repo_dir + ": bare repository: 'staged' needs a work tree with an index");
        return std::make_unique<Libgit2Backend>(std::move(repo), *top);
    } catch (const Error& e) {
        if (e.cause() != ErrorCause::unreadable_by_libgit2) throw;
        notes.push_back(std::string("libgit2 cannot read this repository (") + e.what() + "); used git's plumbing");
        return std::make_unique<PlumbingBackend>(m_repo_dir);
    }
}

std::vector<std::size_t> StagedSource::added_lines_of(std::size_t item, const std::string& bytes)
{
    if (m_all_lines) return {};
    const Decoded now = decode(bytes);
    if (now.encoding == Encoding::binary) return {};
    std::vector<std::string> parents;
    for (std::size_t k = 0; k < m_backend->parent_count(); ++k) parents.push_back(m_backend->parent_version(item, k));
    return added_against_all(parents, now.text, m_backend->paths()[item]);
}

void StagedSource::prepare()
{
    m_preloaded.reset();
    m_backend.reset();
    auto pre = std::make_unique<Preloaded>();
    m_backend = open_backend(pre->notes);
    pre->files.resize(m_backend->paths().size());
    preload(*pre);
    m_preloaded = std::move(pre);
}

/// Reads the files on this thread (the backend is not thread-safe) while another works out
/// their added lines (decoding and diffing need no repository), until `budget` bytes are held.
/// Blobs are read whole before the size limit is applied, as read() does. A file that cannot
/// be read or diffed is left for read(), whose error then names it.
void StagedSource::preload(Preloaded& pre)
{
    struct Read {
        std::size_t item;
        std::string bytes;
        std::vector<std::string> parents; // HEAD's version, then each MERGE_HEAD's
    };
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<Read> queue;
    bool done = false;
    std::thread differ([&] {
        for (std::unique_lock lock(mutex);; lock.lock()) {
            ready.wait(lock, [&] { return done || !queue.empty(); });
            if (queue.empty()) return;
            Read r = std::move(queue.front());
            queue.pop_front();
            lock.unlock();
            try {
                const Decoded now = decode(r.bytes);
                Preloaded::File f;
                if (!m_all_lines && now.encoding != Encoding::binary) f.added = added_against_all(r.parents, now.text, m_backend->paths()[r.item]);
                f.bytes = std::move(r.bytes);
                pre.files[r.item] = std::move(f); // one element per item: no other thread touches it
            } catch (...) {
            }
        }
    });
    constexpr std::size_t budget = 16u << 20;
    try {
        for (std::size_t i = 0, held = 0; i < pre.files.size() && held < budget; ++i) {
            Read r{i, m_backend->staged(i), {}};
            for (std::size_t k = 0; !m_all_lines && k < m_backend->parent_count(); ++k) r.parents.push_back(m_backend->parent_version(i, k));
            for (const std::string& p : r.parents) held += p.size();
            held += r.bytes.size();
            const std::lock_guard lock(mutex);
            queue.push_back(std::move(r));
            ready.notify_one();
        }
    } catch (...) {
    }
    {
        const std::lock_guard lock(mutex);
        done = true;
    }
    ready.notify_one();
    differ.join();
}

unsigned StagedSource::max_threads() const
{
    const bool all_read = m_preloaded && std::all_of(m_preloaded->files.begin(), m_preloaded->files.end(), [](const auto& f) { return f.has_value(); });
    return all_read ? 0 : 1;
}

std::size_t StagedSource::list(ScanSummary& summary, unsigned)
{
    if (m_preloaded) { // prepare() listed them
        for (const std::string& n : m_preloaded->notes) summary.notes.push_back(n);
        return m_backend->paths().size();
    }
    std::vector<std::string> notes;
    m_backend = open_backend(notes);
    for (std::string& n : notes) summary.notes.push_back(std::move(n));
    return m_backend->paths().size();
}

void StagedSource::read(std::size_t item, unsigned, ChunkReader& out)
{
    const std::string& path = m_backend->paths()[item];
    const Preloaded::File* pre = m_preloaded && m_preloaded->files[item] ? &*m_preloaded->files[item] : nullptr;
    const std::string bytes = pre ? std::string() : m_backend->staged(item);
    const std::string& b = pre ? pre->bytes : bytes;
    if (!out.admit(path, b.size())) return;
    Chunk c{b, Provenance{SourceKind::staged, path, ""}};
    const std::vector<std::size_t> added = pre ? pre->added : added_lines_of(item, b);
    if (!m_all_lines) c.added_lines = &added;
    out.chunk(c);
}

} // namespace secretscan
