#include <secretscan/error.hpp>
#include <secretscan/sources/files.hpp>

#include "git/repository.hpp"
#include "util/files.hpp"

#include <secretscan/engine/text.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>

namespace fs = std::filesystem;

namespace secretscan {

namespace {

std::string display_path(const fs::path& p)
{
    std::string s = p.lexically_normal().generic_string();
    if (s.empty()) s = ".";
    return s;
}

/// Asks git whether a path below a walked root is ignored (.gitignore, info/exclude).
class IgnoreCheck {
public:
    explicit IgnoreCheck(const std::string& root) : m_root(root), m_repo(git::try_open(root))
    {
        if (!m_repo) return;
        std::error_code ec;
        const auto top = git::workdir(m_repo.get());
        const fs::path rel = top ? fs::canonical(root, ec).lexically_relative(fs::canonical(*top, ec)) : fs::path();
        if (!top || ec || rel.empty() || *rel.begin() == "..") m_repo.reset(); // not inside a work tree
        else if (rel != ".") m_prefix = rel.generic_string() + "/";
        git_index* index = nullptr;
        if (m_repo && git_repository_index(&index, m_repo.get()) == 0) m_index = git::Index(index);
    }

    /// Whether git ignores `p`: an ignore rule matches it and it is not tracked (git never
    /// ignores a tracked file, nor a folder that holds one). Nothing below a folder whose
    /// .gitignore is not a regular file is ignored (plain_ignore_files).
    bool operator()(const fs::path& p, bool is_dir)
    {
        if (!m_repo || !plain_ignore_files(p.parent_path())) return false;
        std::string rel = m_prefix + p.lexically_relative(m_root).generic_string();
        if (is_dir) rel += '/';
        int flag = 0;
        if (git_ignore_path_is_ignored(&flag, m_repo.get(), rel.c_str()) != 0 || flag != 1) return false;
        if (!m_index) return true;
        std::size_t at = 0;
        return is_dir ? git_index_find_prefix(&at, m_index.get(), rel.c_str()) != 0 : git_index_get_bypath(m_index.get(), rel.c_str(), 0) == nullptr;
    }

    /// What was said about ignore files secretscan would not let libgit2 read.
    std::vector<std::string> warnings;

private:
    /// Whether every .gitignore from the work tree's top down to `dir` (the walk's root or a
    /// folder below it) is a regular file or absent. libgit2 reads them all to answer for a path
    /// below, following links (git does not) and blocking on a FIFO, and they are committed
    /// content: a link to a file outside the repository, or a FIFO, is never read, and nothing
    /// below its folder counts as ignored, so more is scanned, not less. Each folder once.
    bool plain_ignore_files(const fs::path& dir)
    {
        const std::string key = dir.lexically_normal().generic_string();
        if (const auto it = m_plain.find(key); it != m_plain.end()) return it->second;
        const fs::path rel = dir.lexically_relative(m_root);
        bool plain = true;
        if (rel.empty() || rel == "." || *rel.begin() == "..") { // the root: and its folders up to the top
            fs::path up = m_root;
            plain = plain_here(up);
            for (std::size_t n = std::count(m_prefix.begin(), m_prefix.end(), '/'); plain && n > 0; --n) plain = plain_here(up /= "..");
        } else {
            plain = plain_ignore_files(dir.parent_path()) && plain_here(dir);
        }
        return m_plain[key] = plain;
    }

    bool plain_here(const fs::path& dir)
    {
        std::error_code ec;
        const fs::path file = (dir / ".gitignore").lexically_normal();
        const fs::file_status st = fs::symlink_status(file, ec);
        if (ec || !fs::exists(st) || fs::is_regular_file(st)) return true;
        warnings.push_back(file.generic_string() + " is not a regular file, so it is not read (git does not follow a linked .gitignore either): "
                           "nothing below " + dir.lexically_normal().generic_string() + " counts as ignored");
        return false;
    }

    std::map<std::string, bool> m_plain;
    fs::path m_root;
    git::Repository m_repo;
    git::Index m_index; // null outside a repository or when the index cannot be read
    std::string m_prefix; // the root's path relative to the work tree's top, with a trailing '/'
};

constexpr std::size_t segment_bytes = 8u << 20;  // a file larger than this is read in segments of about this size
constexpr std::size_t overlap_bytes = 64u << 10; // whole lines of context before and after each segment's own lines

std::size_t lines_in(std::string_view text)
{
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

/// Reads the regular file open at `fd` into `buf` until it holds `want` bytes or the file ends
/// (`eof`). Adds what it read to `total`. False on a read error (errno set).
bool fill(int fd, std::string& buf, std::size_t want, bool& eof, std::uint64_t& total)
{
    while (!eof && buf.size() < want) {
        const std::size_t have = buf.size();
        buf.resize(std::max(want, have + 65536));
        const ssize_t n = ::read(fd, buf.data() + have, buf.size() - have);
        buf.resize(have + static_cast<std::size_t>(n < 0 ? 0 : n));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) eof = true;
        total += static_cast<std::uint64_t>(n);
    }
    return true;
}

/// Where the own lines of the segment in `buf` (after `ctx` bytes of context) end: after the
/// last newline that leaves overlap_bytes after it, reading on while one line fills the segment.
/// buf.size() when the file ended. npos on a read error.
std::size_t own_end(int fd, std::string& buf, std::size_t ctx, bool& eof, std::uint64_t& total)
{
    for (;;) {
        if (eof) return buf.size();
        if (buf.size() > ctx + overlap_bytes) {
            const std::size_t nl = buf.rfind('\n', buf.size() - overlap_bytes - 1);
            if (nl != std::string::npos && nl >= ctx) return nl + 1;
        }
        if (!fill(fd, buf, buf.size() + segment_bytes, eof, total)) return std::string::npos;
    }
}

/// Scans the large UTF-8 file open at `fd` (`buf` holds its first bytes) in segments of about
/// segment_bytes, each with overlap_bytes of whole lines of context around its own lines, so a
/// match up to that long, and its line, is seen whole by the segment that reports it. Memory
/// holds a segment, its context and the longest line, whatever the file's size.
void scan_in_segments(int fd, const std::string& path, std::string& buf, bool eof, std::uint64_t total, ChunkReader& out)
{
    std::size_t ctx = 0, lines_before = 0;
    for (;;) {
        if (!fill(fd, buf, ctx + segment_bytes + overlap_bytes, eof, total)) break;
        const std::size_t end = own_end(fd, buf, ctx, eof, total);
        if (end == std::string::npos) break;
        Chunk c{buf, Provenance{SourceKind::file, path, ""}};
        c.encoding = Encoding::utf8;
        c.unlimited = true; // admitted by its size before reading
        c.lines_before = lines_before;
        c.own_first_line = lines_in(std::string_view(buf).substr(0, ctx)) + 1;
        c.own_last_line = end == buf.size() ? SIZE_MAX : lines_in(std::string_view(buf).substr(0, end));
        out.chunk(c, false);
        if (end == buf.size()) return out.count(total);
        const std::size_t nl = end > overlap_bytes ? buf.rfind('\n', end - overlap_bytes - 1) : std::string::npos;
        const std::size_t keep = nl == std::string::npos ? 0 : nl + 1; // the context the next segment starts with
        lines_before += lines_in(std::string_view(buf).substr(0, keep));
        buf.erase(0, keep);
        ctx = end - keep;
    }
    out.skip(path, "unreadable: " + errno_message(), true);
}

/// A file larger than segment_bytes: reads its start and, when it is UTF-8 text, scans it in
/// segments (true), or passes over it as binary (true). False, the file rewound, for UTF-16
/// text, which is read whole.
bool scanned_in_segments(int fd, const std::string& path, ChunkReader& out)
{
    std::string buf;
    bool eof = false;
    std::uint64_t total = 0;
    if (!fill(fd, buf, segment_bytes, eof, total)) {
        out.skip(path, "unreadable: " + errno_message(), true);
        return true;
    }
    const Encoding encoding = detect_encoding(buf);
    if (encoding == Encoding::binary) {
        out.skip(path, "binary (NUL byte in the first 8000 bytes)");
        return true;
    }
    if (encoding == Encoding::utf8) {
        scan_in_segments(fd, path, buf, eof, total, out);
        return true;
    }
    return ::lseek(fd, 0, SEEK_SET) == 0;
}

} // namespace

FilesSource::FilesSource(std::vector<std::string> paths, bool respect_gitignore)
    : m_paths(paths.empty() ? std::vector<std::string>{"."} : std::move(paths)), m_respect_gitignore(respect_gitignore)
{
}

void FilesSource::exclude(const std::string& path, const std::string& reason)
{
    std::error_code ec;
    m_excluded[fs::weakly_canonical(path, ec).string()] = reason;
}

void FilesSource::add(std::string path, bool named, ScanSummary& summary)
{
    std::error_code ec;
    if (const auto it = m_excluded.find(fs::weakly_canonical(path, ec).string()); it != m_excluded.end())
        return summary.stats.skipped.push_back({std::move(path), it->second});
    m_items.push_back({std::move(path), named});
}

void FilesSource::walk(const std::string& root, ScanSummary& summary)
{
    std::optional<IgnoreCheck> ignored;
    if (m_respect_gitignore) ignored.emplace(root);
    std::vector<Item> found;
    WalkVisitor visit;
    visit.file = [&found](const fs::path& p) { found.push_back({display_path(p), false}); };
    visit.git_config = true;
    if (ignored)
        visit.ignored = [&ignored, &summary](const fs::path& p, bool dir) {
            const bool is = (*ignored)(p, dir);
            summary.ignored += is;
            return is;
        };
    visit.unreadable = [&summary](const fs::path& p, const std::string& why) {
        summary.stats.skipped.push_back({display_path(p), "unreadable: " + why, true});
    };
    visit.not_regular = [&summary](const fs::path& p, const std::string& what) { summary.stats.skipped.push_back({display_path(p), what}); };
    walk_files(root, visit);
    if (ignored) summary.warnings.insert(summary.warnings.end(), ignored->warnings.begin(), ignored->warnings.end());
    std::sort(found.begin(), found.end(), [](const Item& a, const Item& b) { return a.path < b.path; });
    for (Item& item : found) add(std::move(item.path), false, summary);
}

std::size_t FilesSource::list(ScanSummary& summary, unsigned)
{
    for (const auto& p : m_paths) {
        if (p == "-") {
            m_items.push_back({"-", true});
            continue;
        }
        std::error_code ec;
        const fs::file_status st = fs::status(p, ec);
        if (ec && ec != std::errc::no_such_file_or_directory) // a folder on the way that cannot be searched
            throw Error(ErrorKind::runtime, p + ": cannot read: " + ec.message());
        if (ec || !fs::exists(st)) throw Error(ErrorKind::usage, p + ": no such file or directory");
        if (fs::is_directory(st)) walk(p, summary);
        else add(display_path(p), true, summary);
    }
    return m_items.size();
}

void FilesSource::read(std::size_t item, unsigned, ChunkReader& out)
{
    const Item& it = m_items[item];
    const bool is_stdin = it.path == "-" && it.named;
    std::error_code ec;
    const auto size = is_stdin ? 0 : fs::file_size(it.path, ec); // fails for a device or a pipe: read to the limit
    if (!is_stdin && !ec && !out.admit(it.path, size)) return;
    const int fd = is_stdin ? STDIN_FILENO : ::open(it.path.c_str(), O_RDONLY | O_CLOEXEC);
    std::string data;
    if (fd >= 0 && !is_stdin && !ec && size > segment_bytes && scanned_in_segments(fd, it.path, out)) return (void)::close(fd);
    const ReadResult r = fd < 0 ? ReadResult::error : read_bounded(fd, out.max_size(), data);
    const int read_errno = errno;
    if (fd >= 0 && !is_stdin) ::close(fd);
    if (r == ReadResult::too_large)
        return out.skip(it.path, "larger than --max-file-size (more than " + std::to_string(out.max_size()) + " bytes)");
    if (r == ReadResult::error) {
        const std::string why = std::strerror(read_errno);
        if (it.named) throw Error(ErrorKind::runtime, it.path + ": cannot read: " + why);
        return out.skip(it.path, "unreadable: " + why, true);
    }
    out.chunk(Chunk{data, Provenance{is_stdin ? SourceKind::stdin_input : SourceKind::file, it.path, ""}});
}

} // namespace secretscan
