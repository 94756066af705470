#include <secretscan/error.hpp>
#include <secretscan/sources/message.hpp>

#include "git/config.hpp"
#include "git/repository.hpp"
#include "util/files.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
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

/// What the repository can say about a scissors block: the comment characters git may have
/// written it with, and the staged and working-tree text of each path, which the diff of
/// `git commit -v` (or -vv) below it must come from.
class Repo {
public:
    Repo() : m_repo(git::try_open(".")) {}

    /// core.commentChar (core.commentString first, as git reads them), '#' when unset; for
    /// "auto", every character git may pick.
    std::string comment_chars() const
    {
        if (!m_repo) return "#";
        const git::Config cfg = git::repository_config(m_repo.get());
        // config_values: `git -c core.commentChar=...` counts too; the last value wins.
        std::vector<std::string> c = git::config_values(cfg.get(), "core.commentstring");
        if (c.empty()) c = git::config_values(cfg.get(), "core.commentchar");
        if (c.empty() || c.back().empty()) return "#";
        return c.back() == "auto" ? "#;@!$%^&|:" : c.back().substr(0, 1);
    }

    /// Whether `line` is a line of `path` as staged or as in the working tree.
    bool holds(const std::string& path, std::string_view line)
    {
        if (!m_repo) return false;
        auto [it, fresh] = m_lines.try_emplace(path);
        if (fresh) load(path, it->second);
        return it->second.count(std::string(line)) != 0;
    }

private:
    void load(const std::string& path, std::set<std::string>& into) const
    {
        std::string text;
        git_index* raw = nullptr;
        if (git_repository_index(&raw, m_repo.get()) == 0) {
            const git::Index index(raw);
            if (const git_index_entry* e = git_index_get_bypath(index.get(), path.c_str(), 0)) {
                git_blob* blob = nullptr;
                if (git_blob_lookup(&blob, m_repo.get(), &e->id) == 0) {
                    const git::Blob owned(blob);
                    text.assign(git::blob_bytes(blob));
                }
            }
        }
        if (const auto top = git::workdir(m_repo.get())) {
            std::string work;
            if (read_whole_file(*top + path, work)) text += "\n" + work;
        }
        std::istringstream lines(text);
        for (std::string l; std::getline(lines, l);) into.insert(l);
    }

    git::Repository m_repo;
    std::map<std::string, std::set<std::string>> m_lines;
};

/// Whether the diff below a scissors block (from `at`) is one git wrote: every added line of
/// each file's section is a line that file holds staged or in the working tree. A diff typed
/// into -m or -F text fails this, and git commits it, so it is scanned.
bool diff_from_repo(std::string_view text, std::size_t at, Repo& repo)
{
    std::string path;
    for (; at < text.size();) {
        const auto [line, next] = line_at(text, at);
        at = next;
        if (line.starts_with("diff --git ")) {
            const std::size_t b = line.rfind(" b/") != std::string_view::npos ? line.rfind(" b/") : line.rfind(" w/");
            path = b == std::string_view::npos ? "" : std::string(line.substr(b + 3)); // "b/" or -vv's "w/"; "i/" with mnemonic prefixes
            if (path.empty() && line.rfind(" i/") != std::string_view::npos) path = std::string(line.substr(line.rfind(" i/") + 3));
        } else if (line.starts_with("+") && !line.starts_with("+++ ") && !repo.holds(path, line.substr(1))) {
            return false;
        }
    }
    return true;
}

/// Whether what follows a scissors line (from `at`) is what git writes below one it adds itself
/// (git commit -v, or --cleanup=scissors): two comment lines explaining it (in git's language),
/// then comment lines (its status, -vv's headings) up to the end or to a diff of what the
/// repository holds. Git cuts its message there.
bool git_wrote_below(std::string_view text, std::size_t at, char comment, Repo& repo)
{
    for (int i = 0; i < 2; ++i) {
        const auto [line, next] = line_at(text, at);
        if (at >= text.size() || line.empty() || line[0] != comment) return false;
        at = next;
    }
    for (; at < text.size();) { // comment lines (git's status; -vv's headings), then the diff or the end
        const auto [line, next] = line_at(text, at);
        if (line.starts_with("diff --git ")) return diff_from_repo(text, at, repo);
        if (!line.empty() && line[0] != comment) return false;
        at = next;
    }
    return true;
}

/// `message` without git's scissors line and everything below it (the diff `git commit -v`
/// shows): git never commits that text, and the staged scan covers the diff. Only a scissors
/// block as git writes it is cut: in git's comment character, with its explanation, over a diff
/// of what is staged. A scissors line typed into `git commit -m` or `-F` text is kept by git,
/// so the text below it is scanned.
void cut_at_scissors(std::string& message)
{
    // git runs the hook with GIT_EDITOR=: when no editor is used (-m, -F without -e): git then
    // wrote no scissors block, so one in the text was typed, and git commits it.
    if (const char* editor = std::getenv("GIT_EDITOR"); editor && std::string_view(editor) == ":") return;
    static constexpr std::string_view cut = " ------------------------ >8 ------------------------\n";
    std::optional<Repo> repo;
    std::string comments;
    for (std::size_t at = 0; at < message.size();) {
        if (message.compare(at + 1, cut.size(), cut) == 0) {
            if (!repo) repo.emplace(), comments = repo->comment_chars();
            if (comments.find(message[at]) != std::string::npos && git_wrote_below(message, at + 1 + cut.size(), message[at], *repo))
                return message.resize(at);
        }
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
