#pragma once
// The one place where libgit2 is wrapped: owned handles and error conversion. Every git_* handle
// is held by a unique_ptr with its free function; every failing libgit2 call becomes an Error
// naming the operation, the path and libgit2's own message.

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

/// Throws Error(kind) "<operation> <path>: <libgit2 message>" when rc < 0; returns rc otherwise.
int check(int rc, std::string_view operation, std::string_view path = {}, ErrorKind kind = ErrorKind::runtime);

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
using Revwalk = Handle<git_revwalk, git_revwalk_free>;
using Diff = Handle<git_diff, git_diff_free>;
using Index = Handle<git_index, git_index_free>;
using Odb = Handle<git_odb, git_odb_free>;
using OdbObject = Handle<git_odb_object, git_odb_object_free>;
using Signature = Handle<git_signature, git_signature_free>;
using TreeBuilder = Handle<git_treebuilder, git_treebuilder_free>;
using Config = Handle<git_config, git_config_free>;

/// Opens the repository containing `path` (searching upwards, like git). Bare repositories
/// open too. Throws Error(usage) "not a git repository" when there is none.
Repository open(const std::string& path);

/// The work tree's top (with a trailing '/'), or nullopt for a bare repository.
std::optional<std::string> workdir(git_repository* repo);

/// The repository's configuration as git would read it: system (unless GIT_CONFIG_NOSYSTEM),
/// global ($GIT_CONFIG_GLOBAL when set, else ~/.gitconfig and the XDG file), then local (none
/// when `repo` is null: outside a repository). libgit2 alone ignores those two environment
/// variables. Throws Error(runtime) on failure.
Config repository_config(git_repository* repo);

/// $HOME. Throws Error(usage) when it is not set.
std::string home_dir();

/// The global config file `git config --global` writes: $GIT_CONFIG_GLOBAL when set, else
/// ~/.gitconfig, or the XDG file when only that one exists.
std::string global_config_path();

/// The global config file opened for writing. Throws Error(usage) for GIT_CONFIG_GLOBAL=/dev/null.
Config open_global_config();

/// Every value of a multivar such as secrets.patterns, lowest-priority scope first (system,
/// global, local, then `git -c` / GIT_CONFIG_COUNT settings), as `git config --get-all` lists
/// them. `name` is lower-case ("secrets.patterns").
std::vector<std::string> config_values(git_config* cfg, const std::string& name);

/// One configuration entry: its name (lower-cased section and key), value and scope.
struct ConfigEntry {
    std::string name;
    std::string value;
    int level = 0; ///< git_config_level_t
};

/// Entries whose names match the POSIX regex `name_regex`, lowest-priority scope first.
std::vector<ConfigEntry> config_entries(git_config* cfg, const std::string& name_regex);

/// Where a configuration write goes.
enum class ConfigScope { local, global };
/// What a configuration write does: append (`--add`), replace every value, or remove them all.
enum class ConfigOp { add, set, unset };

/// Changes configuration by running `git config`: libgit2 1.5 writes values holding quotes or
/// backslashes unescaped (a pattern such as ("|')?\s* corrupts the file for git), so writes go
/// through git, which also honours GIT_CONFIG_GLOBAL. `repo_dir` is where a local write runs.
/// Throws Error(runtime) when git fails (unset of a missing key is not a failure).
void write_config(ConfigScope scope, const std::string& repo_dir, ConfigOp op, const std::string& key,
                  const std::string& value = "");

/// Full 40-hex id of `oid`.
std::string to_hex(const git_oid& oid);

/// The tree of HEAD's commit, or null when HEAD is unborn (no commit yet).
Tree head_tree(git_repository* repo);

/// The blob at `path` in `tree`, or null when the path is absent or not a blob.
Blob blob_at(git_repository* repo, git_tree* tree, const std::string& path);

} // namespace secretscan::git
