#pragma once
// Git hook installation (docs/hooks.md). The hooks themselves are thin shims (hooks/shim.sh.in)
// that call `secretscan hook NAME SCOPE SHIM-PATH ARGS...`; all logic lives in the binary
// (check.hpp).

#include <string>
#include <vector>

namespace secretscan {

/// The hooks secretscan provides, in install order.
inline const std::vector<std::string> all_hook_names = {"pre-commit", "commit-msg", "prepare-commit-msg", "pre-push"};

/// Every other hook git runs (githooks(5), git 2.39). A global install writes pass-through
/// shims for these too: a global core.hooksPath hides each repository's own hooks folder, and
/// its post-checkout, post-merge... hooks (git-lfs's among them) must keep running.
inline const std::vector<std::string> passthrough_hook_names = {
    "applypatch-msg", "pre-applypatch", "post-applypatch", "pre-merge-commit", "post-commit", "pre-rebase",
    "post-checkout", "post-merge", "pre-receive", "update", "proc-receive", "post-receive", "post-update",
    "reference-transaction", "push-to-checkout", "pre-auto-gc", "post-rewrite", "sendemail-validate",
    "p4-changelist", "p4-prepare-changelist", "p4-post-changelist", "p4-pre-submit", "post-index-change"};

/// Suffix of a pre-existing hook that our shim runs first (install without --force).
inline constexpr const char* chained_suffix = ".secretscan-chained";
/// Suffix of a pre-existing hook moved aside by install --force (not run; uninstall restores it).
inline constexpr const char* backup_suffix = ".secretscan-backup";

struct InstallOptions {
    bool force = false;  ///< move existing hooks aside (restored by uninstall) instead of chaining them
    bool global = false; ///< user-level hooks folder, set as the global core.hooksPath
    std::vector<std::string> hooks = all_hook_names;
    std::string binary;  ///< absolute path of the secretscan binary the shims call
};

/// What install or uninstall did: one line per hook for the user, and the folder it used.
struct InstallReport {
    std::string hooks_dir;
    std::vector<std::string> actions;
};

/// Writes the shims into the folder git runs hooks from for the repository at `repo_dir`:
/// core.hooksPath (a relative one resolved against the work tree's top, as git does), else the
/// common hooks folder that linked worktrees share. A hook that is already ours is rewritten
/// only if it differs (installing twice changes nothing); any other existing hook is chained
/// (renamed NAME.secretscan-chained and run first; its failure stops the commit) or, with force,
/// moved to NAME.secretscan-backup. With `global`, the folder is
/// $XDG_CONFIG_HOME/secretscan/hooks (default ~/.config/secretscan/hooks), set as core.hooksPath
/// in the global git config ($GIT_CONFIG_GLOBAL when set); its shims chain each repository's
/// own hooks folder, and it also gets pass-through shims for passthrough_hook_names; with force,
/// a global core.hooksPath that pointed elsewhere is recorded in the folder for uninstall to
/// restore. When the folder is tracked in the work tree, the report says so (the shims then show
/// as changes). Throws Error(usage) outside a repository, for an unknown hook name, or when a
/// global core.hooksPath already points elsewhere (without force); Error(runtime) on I/O errors
/// (nothing is changed in the global config when the old value cannot be recorded).
InstallReport install_hooks(const std::string& repo_dir, const InstallOptions& options);

/// Removes the shims install wrote (never another hook) and restores what it chained or backed
/// up. With `global`, also restores or removes the global core.hooksPath. Same errors as install.
InstallReport uninstall_hooks(const std::string& repo_dir, const InstallOptions& options);

/// Whether the file at `path` is a shim secretscan wrote.
bool is_secretscan_hook(const std::string& path);

} // namespace secretscan
