#pragma once
// Child processes: chained hooks and, where libgit2 1.5 cannot read a repository, git's own
// plumbing. Internal; not part of the public API.

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

/// `git cat-file --batch` kept open for a sequence of reads.
class GitCatFile {
public:
    /// Starts git in `cwd`. Throws Error(runtime) when git cannot be started.
    explicit GitCatFile(const std::string& cwd);
    ~GitCatFile();
    GitCatFile(const GitCatFile&) = delete;
    GitCatFile& operator=(const GitCatFile&) = delete;

    /// The content of the object `spec` names ("<sha>" or "<rev>:<path>"). Returns false when
    /// git reports it missing. Throws Error(runtime) when git fails or the spec holds a newline.
    bool read(const std::string& spec, std::string& content);

private:
    int m_pid = -1;
    int m_in = -1;  // our end of git's stdin
    int m_out = -1; // our end of git's stdout
    std::string m_buffer;
    bool fill();
};

} // namespace secretscan
