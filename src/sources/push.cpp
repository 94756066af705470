#include <secretscan/error.hpp>
#include <secretscan/sources/push.hpp>

#include "git/repository.hpp"

#include <algorithm>
#include <iterator>
#include <set>
#include <sstream>

namespace secretscan {

namespace {

/// The revision ranges of one pre-push line: the commits the push would add to the remote.
/// Empty for a deletion.
std::vector<std::string> pushed_ranges(git_repository* repo, const std::string& local_sha, const std::string& remote_sha)
{
    const auto zero = [](const std::string& s) { return s.find_first_not_of('0') == std::string::npos; };
    if (zero(local_sha)) return {};
    git_oid remote{};
    git_object* raw = nullptr;
    const bool known = !zero(remote_sha) && git_oid_fromstr(&remote, remote_sha.c_str()) == 0 &&
                       git_object_lookup(&raw, repo, &remote, GIT_OBJECT_COMMIT) == 0;
    const git::Object remote_commit(raw);
    // A tag to a blob or a tree: its content is what the push adds (HistorySource reads it).
    if (const git::Object local = git::try_revparse(repo, local_sha)) {
        git_object* peeled = nullptr;
        const bool tag = git_object_type(local.get()) == GIT_OBJECT_TAG; // "any type" would peel a commit to its tree
        if ((tag ? git_object_peel(&peeled, local.get(), GIT_OBJECT_ANY) : git_object_dup(&peeled, local.get())) == 0) {
            const git::Object target(peeled);
            if (git_object_type(peeled) != GIT_OBJECT_COMMIT) return {local_sha};
        }
    }
    if (known) return {remote_sha + ".." + local_sha};
    // A new branch (or a remote tip we do not have): what no remote-tracking ref already holds.
    std::vector<std::string> out{local_sha};
    git_reference_iterator* it_raw = nullptr;
    git::check(git_reference_iterator_glob_new(&it_raw, repo, "refs/remotes/*"), "list remote-tracking refs");
    const git::ReferenceIterator it(it_raw);
    git_reference* ref = nullptr;
    while (git_reference_next(&ref, it.get()) == 0) {
        const git::Reference owned(ref);
        if (const auto id = git::peeled_commit(owned.get())) out.push_back("^" + git::to_hex(*id));
    }
    return out;
}

} // namespace

PushSource::PushSource(std::string repo_dir, std::string input) : m_repo_dir(std::move(repo_dir)), m_input(std::move(input)) {}

PushSource::~PushSource() = default;

std::size_t PushSource::list(ScanSummary& summary, unsigned threads)
{
    const git::Repository repo = git::open(m_repo_dir);
    std::istringstream lines(m_input);
    m_first_item = {0};
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string local_ref, local_sha, remote_ref, remote_sha;
        if (!(fields >> local_ref >> local_sha >> remote_ref >> remote_sha)) continue;
        HistoryOptions h;
        h.ranges = pushed_ranges(repo.get(), local_sha, remote_sha);
        if (h.ranges.empty()) continue;
        m_refs.push_back(std::make_unique<HistorySource>(m_repo_dir, std::move(h)));
        m_first_item.push_back(m_first_item.back() + m_refs.back()->list(summary, threads));
    }
    return m_first_item.back();
}

void PushSource::read(std::size_t item, unsigned worker, ChunkReader& out)
{
    const auto ref = std::upper_bound(m_first_item.begin(), m_first_item.end(), item) - m_first_item.begin() - 1;
    m_refs[static_cast<std::size_t>(ref)]->read(item - m_first_item[static_cast<std::size_t>(ref)], worker, out);
}

void PushSource::attribute(std::vector<std::vector<Finding>>& by_item, ScanSummary& summary, const std::function<bool(Finding)>& report)
{
    std::set<std::string> seen;
    bool go_on = true;
    for (std::size_t r = 0; r < m_refs.size() && go_on; ++r) {
        std::vector<std::vector<Finding>> mine(std::make_move_iterator(by_item.begin() + static_cast<std::ptrdiff_t>(m_first_item[r])),
                                               std::make_move_iterator(by_item.begin() + static_cast<std::ptrdiff_t>(m_first_item[r + 1])));
        m_refs[r]->attribute(mine, summary, [&](Finding f) {
            if (!seen.insert(f.fingerprint + '\0' + f.path + '\0' + f.commit).second) return true;
            return go_on = report(std::move(f));
        });
    }
}

} // namespace secretscan
