#include <secretscan/compat/git_secrets/grep.hpp>
#include <secretscan/error.hpp>

#include "git/repository.hpp"
#include "util/files.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace secretscan {

struct GrepSource::Entry {
    std::string rel;  ///< relative to cwd, as reported
    std::string file; ///< on disk (empty for cached)
    git_oid blob{};   ///< cached: the index's blob
};

struct GrepSource::Repo {
    git::Repository repo;
    git::Odb odb;
};

namespace {

/// Whether `path` (relative to cwd) is selected by the pathspecs (each a file or a folder).
bool selected(const std::string& path, const std::vector<std::string>& specs)
{
    if (specs.empty()) return true;
    for (std::string s : specs) {
        s = fs::path(s).lexically_normal().generic_string();
        if (s == "." || s.empty()) return true;
        if (s.back() == '/') s.pop_back();
        if (path == s || path.rfind(s + "/", 0) == 0) return true;
    }
    return false;
}

/// The index's files (once each, conflict stages merged), no submodules or symbolic links.
std::vector<std::pair<std::string, git_oid>> index_files(git_repository* repo, const std::string& top)
{
    git_index* raw = nullptr;
    git::check(git_repository_index(&raw, repo), "read index of", top);
    const git::Index index(raw);
    std::set<std::string> seen;
    std::vector<std::pair<std::string, git_oid>> out;
    for (std::size_t i = 0, n = git_index_entrycount(index.get()); i < n; ++i) {
        const git_index_entry* e = git_index_get_byindex(index.get(), i);
        if (e->mode == GIT_FILEMODE_COMMIT || e->mode == GIT_FILEMODE_LINK || !seen.insert(e->path).second) continue;
        out.emplace_back(e->path, e->id);
    }
    return out;
}

/// Untracked files that are not ignored (git status --untracked-files=all).
void add_untracked(git_repository* repo, const std::string& top, std::vector<std::pair<std::string, git_oid>>& out)
{
    git_status_options opts = GIT_STATUS_OPTIONS_INIT;
    opts.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
    opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
    git_status_list* raw = nullptr;
    git::check(git_status_list_new(&raw, repo, &opts), "list untracked files in", top);
    const git::StatusList list(raw);
    for (std::size_t i = 0, n = git_status_list_entrycount(list.get()); i < n; ++i) {
        const git_status_entry* s = git_status_byindex(list.get(), i);
        if ((s->status & GIT_STATUS_WT_NEW) && s->index_to_workdir && s->index_to_workdir->new_file.path)
            out.emplace_back(s->index_to_workdir->new_file.path, git_oid{});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

} // namespace

GrepSource::GrepSource(std::string cwd, GrepSelection selection, std::vector<std::string> pathspecs)
    : m_cwd(std::move(cwd)), m_selection(selection), m_pathspecs(std::move(pathspecs))
{
}

GrepSource::~GrepSource() = default;

std::size_t GrepSource::list(ScanSummary&, unsigned)
{
    if (m_selection == GrepSelection::no_index) {
        for (const fs::path& p : files_below(m_cwd)) {
            const std::string rel = p.lexically_relative(m_cwd).generic_string();
            if (selected(rel, m_pathspecs)) m_entries.push_back({rel, p.string(), {}});
        }
        std::sort(m_entries.begin(), m_entries.end(), [](const Entry& a, const Entry& b) { return a.rel < b.rel; });
        return m_entries.size();
    }
    m_repo = std::make_unique<Repo>(Repo{git::open(m_cwd), nullptr});
    const auto top = git::workdir(m_repo->repo.get());
    if (!top) throw Error(ErrorKind::usage, m_cwd + ": not in a work tree (bare repository)");
    m_repo->odb = git::odb(m_repo->repo.get());
    std::string prefix = fs::canonical(m_cwd).lexically_relative(fs::canonical(*top)).generic_string(); // cwd below the top
    prefix = (prefix == "." || prefix.empty()) ? "" : prefix + "/";
    auto files = index_files(m_repo->repo.get(), *top);
    if (m_selection == GrepSelection::untracked) add_untracked(m_repo->repo.get(), *top, files);
    for (const auto& [path, id] : files) {
        if (path.rfind(prefix, 0) != 0 || !selected(path.substr(prefix.size()), m_pathspecs)) continue;
        const bool cached = m_selection == GrepSelection::cached;
        m_entries.push_back({path.substr(prefix.size()), cached ? std::string() : (fs::path(*top) / path).string(), id});
    }
    return m_entries.size();
}

void GrepSource::read(std::size_t item, unsigned, ChunkReader& out)
{
    const Entry& e = m_entries[item];
    if (e.file.empty()) {
        git_odb_object* raw = nullptr;
        git::check(git_odb_read(&raw, m_repo->odb.get(), &e.blob), "read staged blob of", e.rel);
        const git::OdbObject obj(raw);
        const std::string_view bytes(static_cast<const char*>(git_odb_object_data(obj.get())), git_odb_object_size(obj.get()));
        return out.chunk(Chunk{bytes, Provenance{SourceKind::file, e.rel, ""}});
    }
    std::error_code ec;
    if (m_selection != GrepSelection::no_index && !fs::is_regular_file(fs::symlink_status(e.file, ec))) return; // deleted in the work tree
    std::string data;
    if (!read_whole_file(e.file, data)) throw Error(ErrorKind::runtime, e.rel + ": cannot read: " + errno_message());
    out.chunk(Chunk{data, Provenance{SourceKind::file, e.rel, ""}});
}

} // namespace secretscan
