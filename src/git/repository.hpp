#pragma once
// The one place where libgit2 is wrapped: owned handles and error conversion. Every git_* handle
// is held by a unique_ptr with its free function; every failing libgit2 call becomes an Error
// naming the operation, the path and libgit2's own message. Internal: these headers expose
// libgit2's types, so they stay in src/.

#include <secretscan/error.hpp>

#include <git2.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan::git {

/// Initialises libgit2 once per process (thread-safe; safe to call many times).
void init();

/// Throws Error(kind, cause) "<operation> <path>: <libgit2 message>" when rc < 0; returns rc
/// otherwise.
int check(int rc, std::string_view operation, std::string_view path = {}, ErrorKind kind = ErrorKind::runtime,
          ErrorCause cause = ErrorCause::unspecified);

template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const noexcept { Free(p); }
};
template <typename T, void (*Free)(T*)>
using Handle = std::unique_ptr<T, Deleter<T, Free>>;

using Repository = Handle<git_repository, git_repository_free>;
using Commit = Handle<git_commit, git_commit_free>;
using Tree = Handle<git_tree, git_tree_free>;
using TreeEntry = Handle<git_tree_entry, git_tree_entry_free>;
using Blob = Handle<git_blob, git_blob_free>;
using Object = Handle<git_object, git_object_free>;
using Tag = Handle<git_tag, git_tag_free>;
using Reference = Handle<git_reference, git_reference_free>;
using ReferenceIterator = Handle<git_reference_iterator, git_reference_iterator_free>;
using Diff = Handle<git_diff, git_diff_free>;
using Index = Handle<git_index, git_index_free>;
using Odb = Handle<git_odb, git_odb_free>;
using OdbObject = Handle<git_odb_object, git_odb_object_free>;
using Signature = Handle<git_signature, git_signature_free>;
using Config = Handle<git_config, git_config_free>;
using ConfigEntryHandle = Handle<git_config_entry, git_config_entry_free>;
using StatusList = Handle<git_status_list, git_status_list_free>;
using Remote = Handle<git_remote, git_remote_free>;

/// libgit2's value types that own memory, disposed of when they go out of scope.
struct Buf {
    git_buf value = GIT_BUF_INIT;
    Buf() = default;
    Buf(const Buf&) = delete;
    Buf& operator=(const Buf&) = delete;
    ~Buf() { git_buf_dispose(&value); }
};
struct OidArray {
    git_oidarray value{};
    OidArray() = default;
    OidArray(const OidArray&) = delete;
    OidArray& operator=(const OidArray&) = delete;
    ~OidArray() { git_oidarray_dispose(&value); }
};

/// Opens the repository containing `path` (searching upwards, like git). Bare repositories
/// open too. Throws Error(usage, not_a_repository) when there is none, Error(usage,
/// unreadable_by_libgit2) when libgit2 cannot open the one there (git may: its plumbing is the
/// fallback).
Repository open(const std::string& path);

/// The repository containing `path`, or null when there is none or libgit2 cannot open it.
/// Never throws.
Repository try_open(const std::string& path) noexcept;

/// The repository at exactly `git_dir` (no search), for one more handle on a repository already
/// open (one per worker thread). Throws Error(runtime).
Repository open_exact(const std::string& git_dir);

/// The work tree's top (with a trailing '/'), or nullopt for a bare repository.
std::optional<std::string> workdir(git_repository* repo);

/// The object database of `repo`. Throws Error(runtime).
Odb odb(git_repository* repo);

/// The commit, tree or blob with id `id`; `what` names it in the error. Throw Error(runtime).
Commit lookup_commit(git_repository* repo, const git_oid& id, const std::string& what);
Tree lookup_tree(git_repository* repo, const git_oid& id, const std::string& what);
Blob lookup_blob(git_repository* repo, const git_oid& id, const std::string& what);

/// The commit `spec` names (a revision as git rev-parse takes it), peeled through tags. Throws
/// Error(usage) "unknown revision" when it names nothing.
Commit peel_commit(git_repository* repo, const std::string& spec);

/// The object `spec` names, or null when it names nothing. Never throws.
Object try_revparse(git_repository* repo, const std::string& spec) noexcept;

/// The commit a reference points to (through tags), or nullopt for a ref to a tree or blob, or
/// a symbolic ref to a branch that no longer exists. Throws Error(runtime) when the object it
/// points to (or a tag's target) is missing or cannot be read: a damaged repository.
std::optional<git_oid> peeled_commit(git_reference* ref);

/// The commits being merged (MERGE_HEAD), empty when no merge is in progress. Throws
/// Error(runtime) when MERGE_HEAD exists but cannot be read.
std::vector<git_oid> merge_heads(git_repository* repo);

/// Full 40-hex id of `oid`.
std::string to_hex(const git_oid& oid);

/// The tree of HEAD's commit, or null when HEAD is unborn (no commit yet).
Tree head_tree(git_repository* repo);

/// The blob at `path` in `tree`, or null when the path is absent or not a blob.
Blob blob_at(git_repository* repo, git_tree* tree, const std::string& path);

/// The bytes of a blob (a view into it: valid while it lives).
std::string_view blob_bytes(git_blob* blob) noexcept;

} // namespace secretscan::git
