#include <secretscan/error.hpp>
#include <secretscan/sources/message.hpp>

#include "util/files.hpp"

#include <filesystem>

namespace secretscan {

namespace {

/// `message` without git's scissors line and everything below it (the diff `git commit -v`
/// shows): that text is never committed, and the staged scan already covers the diff.
void cut_at_scissors(std::string& message)
{
    static constexpr std::string_view cut = " ------------------------ >8 ------------------------\n";
    for (std::size_t at = 0; at < message.size();) {
        if (message.compare(at + 1, cut.size(), cut) == 0) return message.resize(at);
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
    if (!read_whole_file(m_file, data)) throw Error(ErrorKind::runtime, m_file + ": cannot read: " + errno_message());
    cut_at_scissors(data);
    Chunk c{data, Provenance{SourceKind::message_file, "", m_file}};
    c.unlimited = true; // git commits a message whatever its size
    out.chunk(c);
}

} // namespace secretscan
