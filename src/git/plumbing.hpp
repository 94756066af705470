#pragma once
// git's own plumbing, the documented fallback for what libgit2 1.5 cannot read (a split or sparse
// index, repositories libgit2 refuses). Internal.

#include <string>
#include <vector>

namespace secretscan::git {

/// Standard output of `git -C cwd ARGS...`. When `exit_code` is null a failure throws
/// Error(runtime) naming the command; otherwise the code is stored there and nothing is thrown
/// for it. Throws Error(runtime) when git cannot be started.
std::string output(const std::string& cwd, std::vector<std::string> args, int* exit_code = nullptr);

/// The text up to its first newline.
std::string first_line(const std::string& s);

/// The commits being merged (MERGE_HEAD's lines) in the repository containing `repo_dir`, read
/// through libgit2, or through git where libgit2 cannot open the repository. Empty when no
/// merge is in progress or there is no repository. Never throws.
std::vector<std::string> merge_heads_of(const std::string& repo_dir) noexcept;

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

} // namespace secretscan::git
