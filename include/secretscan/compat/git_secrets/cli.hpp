#pragma once
// The `git-secrets` command line: the binary run by that name (docs/git-secrets-compat.md).

namespace secretscan::git_secrets {

/// git-secrets' modes, flags (parsed the way git's parseopt does: mode first, unambiguous
/// abbreviations, bundled short flags, `--`), git config keys and output, on secretscan's
/// engine. Returns the exit code: 0 clean, 1 findings (or a refused action such as a duplicate
/// --add), 2 an unreadable file or invalid pattern, 129 a usage error or -h, 128 outside a
/// repository where one is needed. Never throws.
int run(int argc, char** argv);

} // namespace secretscan::git_secrets
