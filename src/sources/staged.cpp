#include <secretscan/error.hpp>
#include <secretscan/sources.hpp>

#include "../git.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
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

std::string decoded_text(git_blob* blob)
{
    if (!blob) return {};
    const auto* data = static_cast<const char*>(git_blob_rawcontent(blob));
    Decoded d = decode(std::string_view(data, static_cast<std::size_t>(git_blob_rawsize(blob))));
    return std::move(d.text); // binary decodes to "", i.e. every line of the new side is added
}

git::Blob lookup_blob(git_repository* repo, const git_oid& id, const std::string& path)
{
    git_blob* raw = nullptr;
    git::check(git_blob_lookup(&raw, repo, &id), "read staged blob of", path);
    return git::Blob(raw);
}

/// The index the commit will be made from: GIT_INDEX_FILE when set (relative to the work
/// tree's top, where git runs hooks), else the repository's own.
git::Index open_index(git_repository* repo, const std::string& top)
{
    git_index* raw = nullptr;
    const char* env = std::getenv("GIT_INDEX_FILE");
    if (env && *env) {
        fs::path p(env);
        if (p.is_relative()) p = fs::path(top) / p;
        std::error_code ec;
        if (!fs::exists(p, ec))
            throw Error(ErrorKind::runtime, "GIT_INDEX_FILE=" + std::string(env) + ": the index file does not exist; "
                                                "refusing to treat it as an empty index");
        git::check(git_index_open(&raw, p.c_str()), "open index", p.string());
        return git::Index(raw);
    }
    git::check(git_repository_index(&raw, repo), "open index of", top);
    git::check(git_index_read(raw, 1), "read index of", top);
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

} // namespace

ScanResult scan_staged(const Scanner& scanner, const std::string& repo_dir, const StagedOptions& options)
{
    const auto t0 = std::chrono::steady_clock::now();
    git::Repository repo = git::open(repo_dir);
    const auto top = git::workdir(repo.get());
    if (!top) throw Error(ErrorKind::usage, repo_dir + ": bare repository: 'staged' needs a work tree with an index");
    git::Index index = open_index(repo.get(), *top);
    const std::vector<git::Tree> parents = parent_trees(repo.get());

    git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
    opts.flags = GIT_DIFF_SKIP_BINARY_CHECK | GIT_DIFF_IGNORE_SUBMODULES;
    git_diff* raw = nullptr;
    git::check(git_diff_tree_to_index(&raw, repo.get(), parents[0].get(), index.get(), &opts), "diff HEAD to index in", *top);
    git::Diff diff(raw);
    git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
    find.flags = GIT_DIFF_FIND_RENAMES;
    git::check(git_diff_find_similar(diff.get(), &find), "find renames in", *top);

    ScanResult result;
    result.stats.unit = "files";
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
        git::Blob blob = lookup_blob(repo.get(), d->new_file.id, path);
        const auto size = static_cast<std::uint64_t>(git_blob_rawsize(blob.get()));
        if (size > options.scan.max_file_size) {
            result.stats.skipped.push_back({path, "larger than --max-file-size (" + std::to_string(size) + " bytes)"});
            continue;
        }
        const std::string_view bytes(static_cast<const char*>(git_blob_rawcontent(blob.get())), size);
        Decoded now = decode(bytes);
        if (now.encoding == Encoding::binary) {
            result.stats.skipped.push_back({path, "binary (NUL byte in the first 8000 bytes)"});
            continue;
        }
        ++result.stats.items;
        result.stats.bytes += size;
        const Provenance where{SourceKind::staged, path, ""};
        if (options.all_lines) {
            auto found = scanner.scan_text(now.text, where);
            result.findings.insert(result.findings.end(), found.begin(), found.end());
            continue;
        }
        // A line counts only if every parent lacks it: intersect the lines added against each.
        std::vector<std::size_t> added;
        for (std::size_t k = 0; k < parents.size(); ++k) {
            git::Blob old;
            if (k == 0) {
                if (d->status != GIT_DELTA_ADDED && parents[0]) old = lookup_blob(repo.get(), d->old_file.id, d->old_file.path);
            } else {
                old = git::blob_at(repo.get(), parents[k].get(), path);
            }
            std::vector<std::size_t> a = added_lines(decoded_text(old.get()), now.text, path);
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
    result.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return result;
}

} // namespace secretscan
