#include <secretscan/error.hpp>
#include <secretscan/sources/message.hpp>

#include "util/files.hpp"

#include <fcntl.h>
#include <filesystem>
#include <unistd.h>
#include <string_view>
#include <utility>

namespace secretscan {

namespace {

/// The line of `text` that starts at `at`, without its '\n', and where the next one starts.
std::pair<std::string_view, std::size_t> line_at(std::string_view text, std::size_t at)
{
    const std::size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) return {text.substr(at), text.size()};
    return {text.substr(at, nl - at), nl + 1};
}

/// Whether what follows a scissors line (from `at`) is what git writes below one it adds itself
/// (git commit -v, or --cleanup=scissors): two comment lines explaining it (in git's language),
/// then comment lines (its status, -vv's headings) up to the end or to the diff -v shows. Git cuts its message there.
bool git_wrote_below(std::string_view text, std::size_t at, char comment)
{
    for (int i = 0; i < 2; ++i) {
        const auto [line, next] = line_at(text, at);
        if (at >= text.size() || line.empty() || line[0] != comment) return false;
        at = next;
    }
    for (; at < text.size();) { // comment lines (git's status; -vv's headings), then the diff or the end
        const auto [line, next] = line_at(text, at);
        if (line.starts_with("diff --git ")) return true;
        if (!line.empty() && line[0] != comment) return false;
        at = next;
    }
    return true;
}

/// `message` without git's scissors line and everything below it (the diff `git commit -v`
/// shows): git never commits that text, and the staged scan covers the diff. Only a scissors
/// block as git writes it is cut: a scissors line typed into `git commit -m` or `-F` text is
/// kept by git, so the text below it is scanned.
void cut_at_scissors(std::string& message)
{
    static constexpr std::string_view cut = " ------------------------ >8 ------------------------\n";
    for (std::size_t at = 0; at < message.size();) {
        if (message.compare(at + 1, cut.size(), cut) == 0 && git_wrote_below(message, at + 1 + cut.size(), message[at]))
            return message.resize(at);
        const std::size_t nl = message.find('\n', at);
        at = nl == std::string::npos ? message.size() : nl + 1;
    }
}

} // namespace

std::size_t MessageFileSource::list(ScanSummary&, unsigned)
{
    std::error_code ec;
    if (!std::filesystem::exists(m_file, ec)) throw Error(ErrorKind::usage, m_file + ": no such commit message file");
    return 1;
}

void MessageFileSource::read(std::size_t, unsigned, ChunkReader& out)
{
    std::string data;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(m_file, ec)) {
        // A pipe or a device (message /dev/stdin): read in blocks, never beyond --max-file-size.
        const int fd = ::open(m_file.c_str(), O_RDONLY | O_CLOEXEC);
        const ReadResult r = fd < 0 ? ReadResult::error : read_bounded(fd, out.max_size(), data);
        const std::string why = errno_message();
        if (fd >= 0) ::close(fd);
        if (r == ReadResult::error) throw Error(ErrorKind::runtime, m_file + ": cannot read: " + why);
        if (r == ReadResult::too_large) return out.skip(m_file, "larger than --max-file-size (more than " + std::to_string(out.max_size()) + " bytes)");
    } else if (!read_whole_file(m_file, data)) { // git commits a message whatever its size
        throw Error(ErrorKind::runtime, m_file + ": cannot read: " + errno_message());
    }
    cut_at_scissors(data);
    Chunk c{data, Provenance{SourceKind::message_file, "", m_file}};
    c.unlimited = true; // git commits a message whatever its size
    out.chunk(c);
}

} // namespace secretscan
