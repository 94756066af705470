#pragma once
// git configuration through libgit2, with what libgit2 1.5 does not do itself: GIT_CONFIG_GLOBAL,
// GIT_CONFIG_NOSYSTEM, `git -c` settings, and escaping on write. Internal.

#include "git/repository.hpp"

#include <optional>
#include <string>
#include <vector>

namespace secretscan::git {

/// The repository's configuration as git would read it: system (unless GIT_CONFIG_NOSYSTEM),
/// global ($GIT_CONFIG_GLOBAL when set, else ~/.gitconfig and the XDG file), then local (none
/// when `repo` is null: outside a repository). libgit2 alone ignores those two environment
/// variables. Throws Error(runtime) on failure.
Config repository_config(git_repository* repo);

/// The string value of `key`, or nullopt when it is not set. Throws Error(runtime).
std::optional<std::string> config_string(git_config* cfg, const char* key);

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

} // namespace secretscan::git
