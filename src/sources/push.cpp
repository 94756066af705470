#include <secretscan/error.hpp>
#include <secretscan/sources/push.hpp>

#include "git/repository.hpp"

#include <algorithm>
#include <iterator>
#include <set>
#include <sstream>

namespace secretscan {

namespace {

/// The remote-tracking ref globs of the remote a push goes to: `remote` when it names a
/// configured remote, and every configured remote whose URL or push URL is `url`. Empty when
/// this clone knows of none: the remote holds nothing that is known here.
std::vector<std::string> tracking_globs(git_repository* repo, const std::string& remote, const std::string& url)
{
    git_strarray names{};
    git::check(git_remote_list(&names, repo), "list remotes");
    std::vector<std::string> globs;
    for (std::size_t i = 0; i < names.count; ++i) {
        const std::string name = names.strings[i];
        git_remote* raw = nullptr;
        if (git_remote_lookup(&raw, repo, name.c_str()) != 0) continue;
        const git::Remote r(raw);
        const char* fetch_url = git_remote_url(raw);
        const char* push_url = git_remote_pushurl(raw);
        const bool same_url = !url.empty() && ((fetch_url && url == fetch_url) || (push_url && url == push_url));
        if (name == remote || same_url) globs.push_back("refs/remotes/" + name + "/*");
    }
    git_strarray_dispose(&names);
    return globs;
}

/// "^ID" for each commit a ref matching one of `globs` points to.
std::vector<std::string> held_by(git_repository* repo, const std::vector<std::string>& globs)
{
    std::vector<std::string> out;
    for (const std::string& glob : globs) {
        git_reference_iterator* it_raw = nullptr;
        git::check(git_reference_iterator_glob_new(&it_raw, repo, glob.c_str()), "list remote-tracking refs");
        const git::ReferenceIterator it(it_raw);
        git_reference* ref = nullptr;
        while (git_reference_next(&ref, it.get()) == 0) {
            const git::Reference owned(ref);
            if (const auto id = git::peeled_commit(owned.get())) out.push_back("^" + git::to_hex(*id));
        }
    }
    return out;
}

/// Whether `local_sha` names a tag to a blob or a tree: its content is what the push adds
/// (HistorySource reads it).
bool tags_content(git_repository* repo, const std::string& local_sha)
{
    const git::Object local = git::try_revparse(repo, local_sha);
    if (!local || git_object_type(local.get()) != GIT_OBJECT_TAG) return false; // "any type" would peel a commit to its tree
    git_object* peeled = nullptr;
    if (git_object_peel(&peeled, local.get(), GIT_OBJECT_ANY) != 0) return false;
    const git::Object target(peeled);
    return git_object_type(peeled) != GIT_OBJECT_COMMIT;
}

/// The revision ranges of one pre-push line: the commits the push would add to the remote, whose
/// refs are `remote_held` ("^ID" each). Empty for a deletion.
std::vector<std::string> pushed_ranges(git_repository* repo, const std::string& local_sha, const std::string& remote_sha,
                                       const std::vector<std::string>& remote_held)
{
    const auto zero = [](const std::string& s) { return s.find_first_not_of('0') == std::string::npos; };
    if (zero(local_sha)) return {};
    git_oid remote{};
    git_object* raw = nullptr;
    const bool known = !zero(remote_sha) && git_oid_fromstr(&remote, remote_sha.c_str()) == 0 &&
                       git_object_lookup(&raw, repo, &remote, GIT_OBJECT_COMMIT) == 0;
    const git::Object remote_commit(raw);
    if (tags_content(repo, local_sha)) return {local_sha};
    if (known) return {remote_sha + ".." + local_sha};
    // A new branch (or a remote tip we do not have): what none of that remote's refs holds.
    std::vector<std::string> out{local_sha};
    out.insert(out.end(), remote_held.begin(), remote_held.end());
    return out;
}

} // namespace

PushSource::PushSource(std::string repo_dir, std::string input, std::string remote, std::string url)
    : m_repo_dir(std::move(repo_dir)), m_input(std::move(input)), m_remote(std::move(remote)), m_url(std::move(url))
{
}

PushSource::~PushSource() = default;

std::size_t PushSource::list(ScanSummary& summary, unsigned threads)
{
    const git::Repository repo = git::open(m_repo_dir);
    std::istringstream lines(m_input);
    m_first_item = {0};
    const bool any_remote = m_remote.empty() && m_url.empty();
    const std::vector<std::string> remote_held =
        held_by(repo.get(), any_remote ? std::vector<std::string>{"refs/remotes/*"} : tracking_globs(repo.get(), m_remote, m_url));
    bool said = false;
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string local_ref, local_sha, remote_ref, remote_sha;
        if (!(fields >> local_ref >> local_sha >> remote_ref >> remote_sha)) continue;
        HistoryOptions h;
        h.ranges = pushed_ranges(repo.get(), local_sha, remote_sha, remote_held);
        if (h.ranges.empty()) continue;
        if (h.ranges.size() == 1 && h.ranges[0] == local_sha && !said) {
            said = true;
            summary.warnings.push_back((m_remote.empty() ? m_url : m_remote) + " holds no commit this clone knows of (no remote-tracking "
                                       "branch): every commit of " + local_ref + " is checked, its whole history");
        }
        m_refs.push_back(std::make_unique<HistorySource>(m_repo_dir, std::move(h)));
        m_refs.back()->set_path_key(m_path_key);
        if (m_cache) m_refs.back()->set_cache(m_cache);
        m_first_item.push_back(m_first_item.back() + m_refs.back()->list(summary, threads));
    }
    return m_first_item.back();
}

void PushSource::read(std::size_t item, unsigned worker, ChunkReader& out)
{
    const auto ref = std::upper_bound(m_first_item.begin(), m_first_item.end(), item) - m_first_item.begin() - 1;
    m_refs[static_cast<std::size_t>(ref)]->read(item - m_first_item[static_cast<std::size_t>(ref)], worker, out);
}

Source::CacheIdentity PushSource::cache_identity(std::size_t item) const
{
    const auto ref = static_cast<std::size_t>(std::upper_bound(m_first_item.begin(), m_first_item.end(), item) - m_first_item.begin() - 1);
    return m_refs[ref]->cache_identity(item - m_first_item[ref]);
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
