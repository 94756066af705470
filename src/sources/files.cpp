#include <secretscan/error.hpp>
#include <secretscan/sources/files.hpp>

#include "git/repository.hpp"
#include "util/files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <filesystem>
#include <iostream>
#include <iterator>

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
    /// ignores a tracked file, nor a folder that holds one).
    bool operator()(const fs::path& p, bool is_dir) const
    {
        if (!m_repo) return false;
        std::string rel = m_prefix + p.lexically_relative(m_root).generic_string();
        if (is_dir) rel += '/';
        int flag = 0;
        if (git_ignore_path_is_ignored(&flag, m_repo.get(), rel.c_str()) != 0 || flag != 1) return false;
        if (!m_index) return true;
        std::size_t at = 0;
        return is_dir ? git_index_find_prefix(&at, m_index.get(), rel.c_str()) != 0 : git_index_get_bypath(m_index.get(), rel.c_str(), 0) == nullptr;
    }

private:
    fs::path m_root;
    git::Repository m_repo;
    git::Index m_index; // null outside a repository or when the index cannot be read
    std::string m_prefix; // the root's path relative to the work tree's top, with a trailing '/'
};

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
