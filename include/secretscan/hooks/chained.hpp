#pragma once
// Hooks that were there before secretscan's: found and run the way git would have run them.

#include <string>
#include <vector>

namespace secretscan {

/// The hook to run before ours for the shim at `shim_path`: for a repository shim,
/// SHIM.secretscan-chained; for a global shim (scope "global"), the repository's own hook in its
/// common hooks folder (or, if that is our shim too, what it chains). Empty when there is none.
/// `repo_dir` is where git runs the hook (the work tree's top, or the git dir when bare).
std::string chained_hook(const std::string& name, const std::string& scope, const std::string& shim_path,
                         const std::string& repo_dir);

/// Runs a chained hook the way git would have run it: as `shim_path` (its $0), with `args` and
/// `input` on standard input. Shell scripts are sourced by their shell with $0 set to the
/// original path, so hooks that find their helpers next to "$0" (husky) keep working.
/// Returns its exit code. Throws Error(runtime) when it cannot be started.
int run_chained_hook(const std::string& chained, const std::string& shim_path, const std::vector<std::string>& args,
                     const std::string& input);

} // namespace secretscan
