#pragma once
// The check an installed hook runs (`secretscan hook NAME SCOPE SHIM [ARGS...]`): the hook it
// chains first, then the scan for that hook, reported on stderr by the hook sink.

#include <secretscan/error.hpp>
#include <secretscan/engine/pipeline.hpp>
#include <secretscan/sources/staged.hpp>

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace secretscan {

/// What a hook check needs from the resolved command line.
struct HookContext {
    const Scanner& scanner; ///< with the configuration's finding steps in its chain
    ScanOptions options;
    bool redact = true;
    std::istream& in;       ///< git's standard input for the hook (pre-push: the pushed refs)
    std::ostream& err;      ///< where findings and advice go (stderr: git shows it)
    /// The baseline the configuration names, as the advice prints it (relative to the work
    /// tree's top, where hooks run, when inside it); empty: the advice names a new one.
    std::string baseline = {};
    /// pre-commit: the staged changes, already prepared (StagedSource::prepare) by the caller
    /// while it set up the scanner. Used only when no hook is chained before ours (one could
    /// change the index); otherwise, or when null, the check reads them itself. Not owned.
    StagedSource* staged = nullptr;
};

/// Runs hook `name` (scope "repo" or "global", `shim` the installed file's path, `args` git's
/// arguments): the hook it chains first (its failure stops here with its exit code); then,
/// unless SECRETSCAN_SKIP=1 for prepare-commit-msg or pre-push, secretscan's check: pre-commit
/// scans what the commit adds, commit-msg the message, prepare-commit-msg what a merge adds,
/// pre-push the pushed commits. Findings and how to go on are written to ctx.err. Returns the
/// exit code git sees: 0 lets the commit or push go on, 1 blocks it. Errors fail closed (exit 2
/// or 3, with the reason and how to bypass once). Pass-through hook names only run the
/// repository's own hook. Never throws.
int run_hook(const HookContext& ctx, const std::string& name, const std::string& scope, const std::string& shim,
             const std::vector<std::string>& args);

/// What a hook says when its check cannot run (`e`: a configuration that does not load, a
/// damaged repository...): the error, that it failed closed, and how to bypass hook `name` once,
/// on `err`. Returns the exit code for `e` (2 or 3), which blocks the commit or push.
int hook_failed_closed(std::ostream& err, const std::string& name, const Error& e);

} // namespace secretscan
