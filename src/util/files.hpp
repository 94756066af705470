#pragma once
// Files: whole-file reads, directory walks and output files. Internal.

#include <sys/types.h>

#include <cstdint>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace secretscan {

/// strerror(errno).
std::string errno_message();

/// Reads a whole file into `out`. Returns false (errno set) when it cannot be opened or read.
bool read_whole_file(const std::string& path, std::string& out);

/// What read_bounded found.
enum class ReadResult {
    ok,        ///< `out` holds everything up to end of file
    too_large, ///< there are more than `limit` bytes; `out` is unspecified
    error,     ///< a read failed; errno says why
};

/// Reads `fd` (a file, a pipe, a device, standard input) to its end in 64 KiB blocks, keeping at
/// most `limit` bytes in `out`: an endless input such as /dev/zero stops at `limit` + 1 bytes.
/// Retries on EINTR. Does not close `fd`. Thread-safe for distinct descriptors.
ReadResult read_bounded(int fd, std::uint64_t limit, std::string& out);

/// The most bytes a configuration file, rule pack or baseline may have (16 MiB).
inline constexpr std::size_t max_input_file_size = std::size_t{16} << 20;

/// Whether `path`, with its symbolic links resolved (std::filesystem::weakly_canonical, so it
/// need not exist), is the folder `root` (resolved too) or below it; compares whole path
/// components, so /repo2 is not inside /repo. False when either cannot be resolved.
bool resolves_inside(const std::filesystem::path& path, const std::filesystem::path& root);

/// Reads a configuration file, rule pack or baseline (`what`, for messages): it must be a
/// regular file (symbolic links followed) of at most max_input_file_size bytes and, when
/// `inside` is not empty, resolve to a path inside that folder (resolves_inside). Never opens a
/// FIFO or device, never reads more than the limit plus one byte. Throws Error(config)
/// "PATH: what is wrong; what to do" for each of these and when it cannot be read.
std::string read_input_file(const std::string& path, const std::string& what, const std::string& inside = "");

/// How walk_files treats what it meets.
struct WalkVisitor {
    /// Each regular file below the root (never a symbolic link, never a `.git` file, never
    /// inside a `.git` folder but for its `config` when `git_config` is set), as the walk
    /// reaches it (unsorted).
    std::function<void(const std::filesystem::path&)> file;
    /// Visit each `.git` folder's `config`: remote URLs and http.extraheader values hold
    /// credentials (native scans; the git-secrets drop-in greps the work tree only).
    bool git_config = false;
    /// Whether to pass over a directory (`dir` true, its contents are not visited) or a file:
    /// for .gitignore. Null: nothing is passed over.
    std::function<bool(const std::filesystem::path&, bool dir)> ignored;
    /// An entry the walk could not read (with the reason). Null: ignored.
    std::function<void(const std::filesystem::path&, const std::string&)> unreadable;
    /// An entry that is neither a regular file nor a folder (a symbolic link, which is not
    /// followed; a FIFO, socket or device, which is not read), or a `.git` folder below the
    /// root's top level, with what it is. Null: ignored.
    std::function<void(const std::filesystem::path&, const std::string&)> not_regular;
};

/// Walks the directory `root` recursively without following symbolic links. Throws
/// Error(runtime) when `root` itself cannot be read.
void walk_files(const std::filesystem::path& root, const WalkVisitor& visit);

/// The regular files below `root` (as walk_files finds them), sorted by path; unreadable
/// entries are passed over.
std::vector<std::filesystem::path> files_below(const std::filesystem::path& root);

/// A file to write, such as a report or a baseline, so that readers never see it half written
/// and nothing the user pointed at is replaced by something else: a regular file, or a path that
/// does not exist yet, is written to a temporary file beside it (created with `mode`) and
/// renamed over it by commit(); a symbolic link, a device or a FIFO is opened and written
/// through (the file a dangling link names is created with `mode`). Without commit(), the
/// temporary file is removed, also when a signal ends the run (SIGINT, SIGTERM, SIGHUP, SIGQUIT,
/// SIGPIPE and the others whose default is to end it: the handler removes it, then dies of the
/// signal as it would have). Not thread-safe.
class OutputFile {
public:
    /// Throws Error(runtime) naming `what` (e.g. "--output") and the path when it cannot be
    /// created or opened.
    OutputFile(std::string path, std::string what, mode_t mode = 0600);
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    std::ostream& stream() noexcept { return m_out; }
    /// The temporary file written until commit(), or "" when writing through.
    const std::string& temp_path() const noexcept { return m_temp; }
    /// Flushes, syncs and puts the file in place. Throws Error(runtime) on a write error.
    void commit();

private:
    std::string m_path, m_what, m_temp; // m_temp empty: writing through
    std::ofstream m_out;
    bool m_committed = false;
    int m_pending = -1; // the slot that removes m_temp if a signal ends the run
};

} // namespace secretscan
