#pragma once
// Child processes: chained hooks, git config writes and git's plumbing. Internal.

#include <string>
#include <vector>

namespace secretscan {

/// Runs argv[0] (searched on PATH when it has no '/') with `argv`, writing `input` to its
/// standard input and, when `out` is non-null, collecting its standard output there (otherwise
/// it goes to ours). Standard error is always ours. `argv0` replaces argv[0] as the name the
/// program sees, when non-empty. Returns the exit code (128 + signal when killed).
/// Throws Error(runtime) when the program cannot be started.
int run_process(const std::vector<std::string>& argv, const std::string& input, std::string* out,
                const std::string& argv0 = "");

/// A child process started by spawn_piped: its pid, our end of its standard input and of its
/// standard output.
struct ChildProcess {
    int pid = -1;
    int in = -1;
    int out = -1;
};

/// Starts argv[0] (searched on PATH) in `cwd` with pipes to its standard input and output (its
/// standard error is ours). The caller closes `in` and `out` and waits with wait_child. Throws
/// Error(runtime) when it cannot be started.
ChildProcess spawn_piped(const std::vector<std::string>& argv, const std::string& cwd);

/// Waits for a child; returns its exit code (128 + signal when killed). Throws Error(runtime).
int wait_child(int pid);

} // namespace secretscan
