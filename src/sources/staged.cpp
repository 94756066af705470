#include <secretscan/error.hpp>
#include <secretscan/sources/sources.hpp>

#include "git/repository.hpp"
#include "util/process.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <iterator>

namespace fs = std::filesystem;

namespace secretscan {

namespace {

/// 1-based numbers of the lines of `now` that are not in `before` (a line diff with no context).
std::vector<std::size_t> added_lines(const std::string& before, const std::string& now, const std::string& path)
{
    std::vector<std::size_t> added;
    if (before.empty()) {
        const std::size_t n = LineIndex(now).line_count();
        for (std::size_t i = 1; i <= n; ++i) added.push_back(i);
        return added;
    }
    git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
    opts.context_lines = 0;
    opts.interhunk_lines = 0;
    opts.flags = GIT_DIFF_FORCE_TEXT;
    auto on_line = [](const git_diff_delta*, const git_diff_hunk*, const git_diff_line* line, void* payload) -> int {
        if (line->origin == GIT_DIFF_LINE_ADDITION && line->new_lineno > 0)
            static_cast<std::vector<std::size_t>*>(payload)->push_back(static_cast<std::size_t>(line->new_lineno));
        return 0;
    };
    git::check(git_diff_buffers(before.data(), before.size(), path.c_str(), now.data(), now.size(), path.c_str(), &opts,
                                nullptr, nullptr, nullptr, on_line, &added),
               "diff staged", path);
    std::sort(added.begin(), added.end());
    return added;
}

git::Blob lookup_blob(git_repository* repo, const git_oid& id, const std::string& path)
{
    git_blob* raw = nullptr;
    git::check(git_blob_lookup(&raw, repo, &id), "read staged blob of", path);
    return git::Blob(raw);
}

/// GIT_INDEX_FILE resolved against the work tree's top (where git runs hooks), or empty when
/// unset. Throws Error(runtime) when it names a missing file: never an empty index.
std::string index_file_from_env(const std::string& top)
{
    const char* env = std::getenv("GIT_INDEX_FILE");
    if (!env || !*env) return {};
    const fs::path p = fs::path(env).is_relative() ? fs::path(top) / env : fs::path(env);
    std::error_code ec;
    if (!fs::exists(p, ec))
        throw Error(ErrorKind::runtime, "GIT_INDEX_FILE=" + std::string(env) + ": the index file does not exist; "
                                            "refusing to treat it as an empty index");
    return p.string();
}

/// The index the commit will be made from: GIT_INDEX_FILE when set, else the repository's own.
git::Index open_index(git_repository* repo, const std::string& top)
{
    git_index* raw = nullptr;
    if (const std::string file = index_file_from_env(top); !file.empty()) {
        git::check(git_index_open(&raw, file.c_str()), "open index", file);
        return git::Index(raw);
    }
    git::check(git_repository_index(&raw, repo), "open index of", top);
    return git::Index(raw);
}

/// HEAD's tree first, then the tree of each MERGE_HEAD; HEAD's is null before the first commit.
std::vector<git::Tree> parent_trees(git_repository* repo)
{
    std::vector<git::Tree> trees;
    trees.push_back(git::head_tree(repo));
    std::vector<git_oid> heads;
    auto collect = [](const git_oid* id, void* payload) -> int {
        static_cast<std::vector<git_oid>*>(payload)->push_back(*id);
        return 0;
    };
    const int rc = git_repository_mergehead_foreach(repo, collect, &heads);
    if (rc != GIT_ENOTFOUND) git::check(rc, "read MERGE_HEAD");
    for (const git_oid& id : heads) {
        git_commit* c = nullptr;
        git::check(git_commit_lookup(&c, repo, &id), "read MERGE_HEAD commit", git::to_hex(id));
        git::Commit commit(c);
        git_tree* t = nullptr;
        git::check(git_commit_tree(&t, commit.get()), "read tree of MERGE_HEAD", git::to_hex(id));
        trees.emplace_back(t);
    }
    return trees;
}

/// Scans one staged path: `bytes` is its staged content; parent_version(k) returns its content
/// in parent k (0 = HEAD, then each MERGE_HEAD), empty when absent there.
void scan_change(const Scanner& scanner, const StagedOptions& options, const std::string& path, std::string_view bytes,
                 std::size_t parents, const std::function<std::string(std::size_t)>& parent_version, ScanResult& result)
{
    if (bytes.size() > options.scan.max_file_size) {
        result.stats.skipped.push_back({path, "larger than --max-file-size (" + std::to_string(bytes.size()) + " bytes)"});
        return;
    }
    Decoded now = decode(bytes);
    if (now.encoding == Encoding::binary) {
        result.stats.skipped.push_back({path, "binary (NUL byte in the first 8000 bytes)"});
        return;
    }
    ++result.stats.items;
    result.stats.bytes += bytes.size();
    const Provenance where{SourceKind::staged, path, ""};
    if (options.all_lines) {
        auto found = scanner.scan_text(now.text, where);
        result.findings.insert(result.findings.end(), found.begin(), found.end());
        return;
    }
    // A line counts only if every parent lacks it: intersect the lines added against each.
    std::vector<std::size_t> added;
    for (std::size_t k = 0; k < parents; ++k) {
        std::vector<std::size_t> a = added_lines(decode(parent_version(k)).text, now.text, path);
        if (k == 0) {
            added = std::move(a);
        } else {
            std::vector<std::size_t> both;
            std::set_intersection(added.begin(), added.end(), a.begin(), a.end(), std::back_inserter(both));
            added = std::move(both);
        }
    }
    auto found = scanner.scan_text(now.text, where, &added);
    result.findings.insert(result.findings.end(), found.begin(), found.end());
}

std::string blob_bytes(git_blob* blob)
{
    if (!blob) return {};
    return std::string(static_cast<const char*>(git_blob_rawcontent(blob)), static_cast<std::size_t>(git_blob_rawsize(blob)));
}

/// The staged scan through libgit2.
void scan_with_libgit2(const Scanner& scanner, git_repository* repo, const std::string& top, const StagedOptions& options,
                       ScanResult& result)
{
    git::Index index = open_index(repo, top);
    const std::vector<git::Tree> parents = parent_trees(repo);

    git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
    opts.flags = GIT_DIFF_SKIP_BINARY_CHECK | GIT_DIFF_IGNORE_SUBMODULES;
    git_diff* raw = nullptr;
    git::check(git_diff_tree_to_index(&raw, repo, parents[0].get(), index.get(), &opts), "diff HEAD to index in", top);
    git::Diff diff(raw);
    git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
    find.flags = GIT_DIFF_FIND_RENAMES;
    git::check(git_diff_find_similar(diff.get(), &find), "find renames in", top);

    const std::size_t n = git_diff_num_deltas(diff.get());
    for (std::size_t i = 0; i < n; ++i) {
        const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
        switch (d->status) {
        case GIT_DELTA_ADDED:
        case GIT_DELTA_MODIFIED:
        case GIT_DELTA_RENAMED:
        case GIT_DELTA_COPIED:
        case GIT_DELTA_TYPECHANGE:
            break;
        default:
            continue; // deleted, unmodified, ignored: nothing this commit adds
        }
        if (d->new_file.mode == GIT_FILEMODE_COMMIT) continue; // submodule: its own repository
        const std::string path = d->new_file.path;
        git::Blob blob = lookup_blob(repo, d->new_file.id, path);
        const std::string_view bytes(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                                     static_cast<std::size_t>(git_blob_rawsize(blob.get())));
        scan_change(scanner, options, path, bytes, parents.size(), [&](std::size_t k) {
            if (k > 0) return blob_bytes(git::blob_at(repo, parents[k].get(), path).get());
            if (d->status == GIT_DELTA_ADDED || !parents[0]) return std::string();
            return blob_bytes(lookup_blob(repo, d->old_file.id, d->old_file.path).get());
        }, result);
    }
}

/// Output of a git command run in `cwd`; throws Error(kind) with its stderr-less failure.
std::string git_output(const std::string& cwd, std::vector<std::string> args, int* exit_code = nullptr)
{
    args.insert(args.begin(), {"git", "-C", cwd});
    std::string out;
    const int rc = run_process(args, "", &out);
    if (exit_code) *exit_code = rc;
    else if (rc != 0) throw Error(ErrorKind::runtime, "git " + args[3] + " failed (exit code " + std::to_string(rc) + ")");
    return out;
}

std::string first_line(const std::string& s)
{
    return s.substr(0, s.find('\n'));
}

/// The staged scan through git's plumbing, for repositories libgit2 1.5 cannot read (split or
/// sparse index, extensions.worktreeConfig). git honours GIT_INDEX_FILE itself.
void scan_with_git(const Scanner& scanner, const std::string& repo_dir, const StagedOptions& options, ScanResult& result)
{
    int rc = 0;
    const std::string top = first_line(git_output(repo_dir, {"rev-parse", "--show-toplevel"}, &rc));
    if (rc != 0 || top.empty()) throw Error(ErrorKind::usage, repo_dir + ": not in a git work tree: 'staged' needs one");
    index_file_from_env(top); // git reads it itself; only check that it exists
    const std::string head = first_line(git_output(top, {"rev-parse", "-q", "--verify", "HEAD^{commit}"}, &rc));
    const std::string git_dir = first_line(git_output(top, {"rev-parse", "--absolute-git-dir"}));
    std::vector<std::string> merge_heads;
    {
        std::ifstream in(git_dir + "/MERGE_HEAD");
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) merge_heads.push_back(line);
    }
    static const std::string empty_tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    const std::string raw = git_output(top, {"diff-index", "--cached", "-z", "--raw", "--no-abbrev", "-M", "--ignore-submodules",
                                             head.empty() ? empty_tree : head});
    GitCatFile objects(top);
    // Records: ":<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0[<new path>\0]"
    for (std::size_t at = 0; at < raw.size();) {
        const std::size_t meta_end = raw.find('\0', at);
        if (meta_end == std::string::npos || raw[at] != ':') throw Error(ErrorKind::runtime, "git diff-index: unexpected output");
        std::istringstream meta(raw.substr(at + 1, meta_end - at - 1));
        std::string old_mode, new_mode, old_sha, new_sha, status;
        meta >> old_mode >> new_mode >> old_sha >> new_sha >> status;
        at = meta_end + 1;
        auto next_path = [&] {
            const std::size_t end = raw.find('\0', at);
            std::string p = raw.substr(at, end - at);
            at = end == std::string::npos ? raw.size() : end + 1;
            return p;
        };
        const std::string old_path = next_path();
        const std::string path = (status[0] == 'R' || status[0] == 'C') ? next_path() : old_path;
        if (status[0] == 'D' || status[0] == 'U' || new_mode == "160000") continue;
        std::string bytes;
        if (!objects.read(new_sha, bytes)) throw Error(ErrorKind::runtime, "read staged blob of " + path + ": missing object " + new_sha);
        scan_change(scanner, options, path, bytes, 1 + merge_heads.size(), [&](std::size_t k) {
            std::string content;
            if (k == 0) {
                if (status[0] != 'A' && !head.empty()) objects.read(old_sha, content);
            } else {
                objects.read(merge_heads[k - 1] + ":" + path, content);
            }
            return content;
        }, result);
    }
}

/// libgit2 1.5 refuses these repositories; git reads them.
bool libgit2_cannot_read(const Error& e)
{
    const std::string what = e.what();
    return what.find("unsupported mandatory extension") != std::string::npos ||
           what.find("unsupported extension name") != std::string::npos;
}

} // namespace

ScanResult scan_staged(const Scanner& scanner, const std::string& repo_dir, const StagedOptions& options)
{
    const auto t0 = std::chrono::steady_clock::now();
    ScanResult result;
    result.stats.unit = "files";
    try {
        git::Repository repo = git::open(repo_dir);
        const auto top = git::workdir(repo.get());
        if (!top) throw Error(ErrorKind::usage, repo_dir + ": bare repository: 'staged' needs a work tree with an index");
        scan_with_libgit2(scanner, repo.get(), *top, options, result);
    } catch (const Error& e) {
        if (!libgit2_cannot_read(e)) throw;
        result = ScanResult{};
        result.stats.unit = "files";
        result.notes.push_back(std::string("libgit2 cannot read this repository (") + e.what() + "); used git's plumbing");
        scan_with_git(scanner, repo_dir, options, result);
    }
    result.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return result;
}

} // namespace secretscan
