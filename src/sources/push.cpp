#include <secretscan/error.hpp>
#include <secretscan/sources/sources.hpp>

#include "git/repository.hpp"
#include "util/process.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace secretscan {

namespace {

/// The revision ranges of one pre-push line "<local ref> <local sha> <remote ref> <remote sha>":
/// the commits the push would add to the remote. Empty for a deletion.
std::vector<std::string> pushed_ranges(git_repository* repo, const std::string& local_sha, const std::string& remote_sha)
{
    const auto zero = [](const std::string& s) { return s.find_first_not_of('0') == std::string::npos; };
    if (zero(local_sha)) return {};
    git_oid remote{};
    git_object* obj = nullptr;
    const bool known = !zero(remote_sha) && git_oid_fromstr(&remote, remote_sha.c_str()) == 0 &&
                       git_object_lookup(&obj, repo, &remote, GIT_OBJECT_COMMIT) == 0;
    git_object_free(obj);
    if (known) return {remote_sha + ".." + local_sha};
    // A new branch (or a remote tip we do not have): what no remote-tracking ref already holds.
    std::vector<std::string> out{local_sha};
    git_reference_iterator* it_raw = nullptr;
    git::check(git_reference_iterator_glob_new(&it_raw, repo, "refs/remotes/*"), "list remote-tracking refs");
    git::ReferenceIterator it(it_raw);
    git_reference* ref = nullptr;
    while (git_reference_next(&ref, it.get()) == 0) {
        git::Reference owned(ref);
        git_object* target = nullptr;
        if (git_reference_peel(&target, owned.get(), GIT_OBJECT_COMMIT) == 0) {
            out.push_back("^" + git::to_hex(*git_object_id(target)));
            git_object_free(target);
        }
    }
    return out;
}

} // namespace

std::vector<std::string> merge_heads(const std::string& repo_dir)
{
    std::string dir;
    git::init();
    git_repository* raw = nullptr;
    if (git_repository_open_ext(&raw, repo_dir.c_str(), 0, nullptr) == 0) {
        git::Repository repo(raw);
        dir = git_repository_path(repo.get());
    } else {
        // A repository libgit2 cannot open: ask git where its directory is.
        try {
            if (run_process({"git", "-C", repo_dir, "rev-parse", "--absolute-git-dir"}, "", &dir) != 0) return {};
        } catch (const Error&) {
            return {};
        }
        dir = dir.substr(0, dir.find('\n')) + "/";
    }
    std::vector<std::string> heads;
    std::ifstream in(dir + "MERGE_HEAD");
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) heads.push_back(line);
    return heads;
}

bool merge_in_progress(const std::string& repo_dir)
{
    return !merge_heads(repo_dir).empty();
}

ScanResult scan_push(const Scanner& scanner, const std::string& repo_dir, const ScanOptions& options, const std::string& input)
{
    ScanResult all;
    all.stats.unit = "blobs";
    git::Repository repo = git::open(repo_dir);
    std::istringstream lines(input);
    std::set<std::string> seen;
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string local_ref, local_sha, remote_ref, remote_sha;
        if (!(fields >> local_ref >> local_sha >> remote_ref >> remote_sha)) continue;
        HistoryOptions h;
        h.scan = options;
        h.ranges = pushed_ranges(repo.get(), local_sha, remote_sha);
        if (h.ranges.empty()) continue;
        ScanResult r = scan_history(scanner, repo_dir, h);
        all.stats.merge(r.stats);
        for (auto& w : r.warnings) all.warnings.push_back(w);
        for (auto& f : r.findings)
            if (seen.insert(f.fingerprint + '\0' + f.path + '\0' + f.commit).second) all.findings.push_back(std::move(f));
    }
    return all;
}

} // namespace secretscan
