#include <secretscan/error.hpp>
#include <secretscan/sources/sources.hpp>

#include "git/repository.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

namespace fs = std::filesystem;

namespace secretscan {

namespace {

/// Whether `path` (relative to cwd) is selected by the pathspecs (each a file or a folder).
bool selected(const std::string& path, const std::vector<std::string>& specs)
{
    if (specs.empty()) return true;
    for (std::string s : specs) {
        s = fs::path(s).lexically_normal().generic_string();
        if (s == "." || s.empty()) return true;
        if (!s.empty() && s.back() == '/') s.pop_back();
        if (path == s || path.rfind(s + "/", 0) == 0) return true;
    }
    return false;
}

void walk_all(const fs::path& root, std::vector<std::string>& out)
{
    std::error_code ec;
    for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end; it != end; it.increment(ec)) {
        if (ec) break;
        const auto st = it->symlink_status(ec);
        if (fs::is_directory(st) && it->path().filename() == ".git") {
            it.disable_recursion_pending();
            continue;
        }
        if (fs::is_regular_file(st)) out.push_back(it->path().lexically_relative(root).generic_string());
    }
}

} // namespace

void for_each_grep_file(const std::string& cwd, GrepSelection selection, const std::vector<std::string>& pathspecs,
                        const std::function<void(const std::string& path, std::string_view bytes)>& fn)
{
    std::string data;
    if (selection == GrepSelection::no_index) {
        std::vector<std::string> files;
        walk_all(cwd, files);
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            if (!selected(f, pathspecs)) continue;
            if (!read_whole_file((fs::path(cwd) / f).string(), data)) throw Error(ErrorKind::runtime, f + ": cannot read: " + errno_message());
            fn(f, data);
        }
        return;
    }
    git::Repository repo = git::open(cwd);
    const auto top = git::workdir(repo.get());
    if (!top) throw Error(ErrorKind::usage, cwd + ": not in a work tree (bare repository)");
    const fs::path here = fs::canonical(cwd);
    std::string prefix = here.lexically_relative(fs::canonical(*top)).generic_string(); // cwd below the top
    prefix = (prefix == "." || prefix.empty()) ? "" : prefix + "/";

    git_index* raw = nullptr;
    git::check(git_repository_index(&raw, repo.get()), "read index of", *top);
    git::Index index(raw);
    std::set<std::string> seen;
    std::vector<std::pair<std::string, git_oid>> entries; // path below top, blob
    for (std::size_t i = 0, n = git_index_entrycount(index.get()); i < n; ++i) {
        const git_index_entry* e = git_index_get_byindex(index.get(), i);
        if (e->mode == GIT_FILEMODE_COMMIT || e->mode == GIT_FILEMODE_LINK) continue;
        if (!seen.insert(e->path).second) continue; // conflict stages: once
        entries.emplace_back(e->path, e->id);
    }
    if (selection == GrepSelection::untracked) {
        git_status_options opts = GIT_STATUS_OPTIONS_INIT;
        opts.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
        opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
        git_status_list* list = nullptr;
        git::check(git_status_list_new(&list, repo.get(), &opts), "list untracked files in", *top);
        for (std::size_t i = 0, n = git_status_list_entrycount(list); i < n; ++i) {
            const git_status_entry* s = git_status_byindex(list, i);
            if ((s->status & GIT_STATUS_WT_NEW) && s->index_to_workdir && s->index_to_workdir->new_file.path)
                entries.emplace_back(s->index_to_workdir->new_file.path, git_oid{});
        }
        git_status_list_free(list);
        std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    git_odb* odb_raw = nullptr;
    git::check(git_repository_odb(&odb_raw, repo.get()), "open object database of", *top);
    git::Odb odb(odb_raw);
    for (const auto& [path, id] : entries) {
        if (path.rfind(prefix, 0) != 0) continue;
        const std::string rel = path.substr(prefix.size());
        if (!selected(rel, pathspecs)) continue;
        if (selection == GrepSelection::cached) {
            git_odb_object* obj = nullptr;
            git::check(git_odb_read(&obj, odb.get(), &id), "read staged blob of", path);
            git::OdbObject owned(obj);
            fn(rel, std::string_view(static_cast<const char*>(git_odb_object_data(obj)), git_odb_object_size(obj)));
            continue;
        }
        const fs::path file = fs::path(*top) / path;
        std::error_code ec;
        if (!fs::is_regular_file(fs::symlink_status(file, ec))) continue; // deleted in the work tree
        if (!read_whole_file(file.string(), data)) throw Error(ErrorKind::runtime, rel + ": cannot read: " + errno_message());
        fn(rel, data);
    }
}

} // namespace secretscan
