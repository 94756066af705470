#include <secretscan/error.hpp>
#include <secretscan/sources/sources.hpp>

#include "git/repository.hpp"
#include "util/strings.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace fs = std::filesystem;

namespace secretscan {

namespace {

struct FileJob {
    std::string path;   // as reported
    bool named = false; // given on the command line (errors are fatal) rather than found by walking
};

std::string display_path(const fs::path& p)
{
    std::string s = p.lexically_normal().generic_string();
    if (s.empty()) s = ".";
    return s;
}

/// Walks one directory, appending the files to scan. Skips .git, symbolic links and, inside a
/// work tree, what git ignores.
void walk(const std::string& root, const ScanOptions& options, std::vector<FileJob>& jobs, ScanStats& stats)
{
    git::Repository repo;
    std::string prefix; // the root's path relative to the work tree's top, with a trailing '/'
    if (!options.no_ignore) {
        git::init();
        git_repository* raw = nullptr;
        if (git_repository_open_ext(&raw, root.c_str(), 0, nullptr) == 0) {
            repo.reset(raw);
            std::error_code ec;
            const auto w = git::workdir(raw);
            const fs::path rel = w ? fs::canonical(root, ec).lexically_relative(fs::canonical(*w, ec)) : fs::path();
            if (!w || ec || rel.empty() || *rel.begin() == "..") repo.reset();
            else if (rel != ".") prefix = rel.generic_string() + "/";
        }
    }
    // Asks git whether a walked path is ignored; `p` is below `root`.
    auto ignored = [&](const fs::path& p, bool is_dir) {
        if (!repo) return false;
        std::string rel = prefix + p.lexically_relative(root).generic_string();
        if (is_dir) rel += '/';
        int flag = 0;
        return git_ignore_path_is_ignored(&flag, repo.get(), rel.c_str()) == 0 && flag == 1;
    };

    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) throw Error(ErrorKind::runtime, root + ": cannot read directory: " + ec.message());
    for (; it != end; it.increment(ec)) {
        if (ec) {
            stats.skipped.push_back({display_path(it->path()), "unreadable: " + ec.message()});
            ec.clear();
            continue;
        }
        const fs::directory_entry& e = *it;
        const fs::file_status st = e.symlink_status(ec);
        if (ec || fs::is_symlink(st)) continue;
        if (fs::is_directory(st)) {
            if (e.path().filename() == ".git" || ignored(e.path(), true)) it.disable_recursion_pending();
            continue;
        }
        if (!fs::is_regular_file(st)) continue;
        if (e.path().filename() == ".git") continue; // a linked worktree's .git file
        if (ignored(e.path(), false)) continue;
        jobs.push_back({display_path(e.path()), false});
    }
}

} // namespace

ScanResult scan_paths(const Scanner& scanner, const std::vector<std::string>& paths, const ScanOptions& options)
{
    const auto t0 = std::chrono::steady_clock::now();
    ScanResult result;
    std::vector<FileJob> jobs;
    const std::vector<std::string> targets = paths.empty() ? std::vector<std::string>{"."} : paths;
    for (const auto& p : targets) {
        if (p == "-") {
            std::string data(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
            Provenance where{SourceKind::stdin_input, "-", ""};
            auto found = scanner.scan_bytes(data, where, options, result.stats);
            result.findings.insert(result.findings.end(), found.begin(), found.end());
            continue;
        }
        std::error_code ec;
        const fs::file_status st = fs::status(p, ec);
        if (ec || !fs::exists(st)) throw Error(ErrorKind::usage, p + ": no such file or directory");
        if (fs::is_directory(st)) walk(p, options, jobs, result.stats);
        else jobs.push_back({display_path(p), true});
    }

    if (jobs.size() >= bulk_scan_items) scanner.matcher().accelerate();
    std::vector<std::vector<Finding>> found(jobs.size());
    std::vector<ScanStats> worker_stats(effective_threads(options.threads));
    parallel_for(jobs.size(), static_cast<unsigned>(worker_stats.size()), [&](unsigned w, std::size_t i) {
        const FileJob& job = jobs[i];
        ScanStats& stats = worker_stats[w];
        std::error_code ec;
        const auto size = fs::file_size(job.path, ec);
        if (!ec && size > options.max_file_size) {
            stats.skipped.push_back({job.path, "larger than --max-file-size (" + std::to_string(size) + " bytes)"});
            return;
        }
        std::string data;
        if (!read_whole_file(job.path, data)) {
            const std::string why = errno_message();
            if (job.named) throw Error(ErrorKind::runtime, job.path + ": cannot read: " + why);
            stats.skipped.push_back({job.path, "unreadable: " + why});
            return;
        }
        found[i] = scanner.scan_bytes(data, Provenance{SourceKind::file, job.path, ""}, options, stats);
    });
    for (auto& f : found)
        for (auto& x : f) result.findings.push_back(std::move(x));
    for (const auto& s : worker_stats) result.stats.merge(s);
    result.stats.unit = "files";
    result.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return result;
}

ScanResult scan_message_file(const Scanner& scanner, const std::string& file, const ScanOptions& options)
{
    const auto t0 = std::chrono::steady_clock::now();
    std::error_code ec;
    if (!fs::exists(file, ec)) throw Error(ErrorKind::usage, file + ": no such commit message file");
    std::string data;
    if (!read_whole_file(file, data)) throw Error(ErrorKind::runtime, file + ": cannot read: " + errno_message());
    // Git removes everything from its scissors line down (the diff `git commit -v` shows):
    // that text is never committed, and the staged scan already covers the diff.
    static constexpr std::string_view cut = " ------------------------ >8 ------------------------\n";
    for (std::size_t at = 0; at < data.size();) {
        if (data.compare(at + 1, cut.size(), cut) == 0) {
            data.resize(at);
            break;
        }
        const std::size_t nl = data.find('\n', at);
        at = nl == std::string::npos ? data.size() : nl + 1;
    }
    ScanResult result;
    result.stats.unit = "messages";
    // A message is scanned whatever its size: git would commit it.
    ScanOptions unlimited = options;
    unlimited.max_file_size = UINT64_MAX;
    result.findings = scanner.scan_bytes(data, Provenance{SourceKind::message_file, "", file}, unlimited, result.stats);
    result.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return result;
}

} // namespace secretscan
