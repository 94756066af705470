#include <secretscan/error.hpp>
#include <secretscan/sources/sources.hpp>

#include "git/repository.hpp"

#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <queue>
#include <set>
#include <unordered_set>
#include <map>
#include <mutex>
#include <unordered_map>

namespace secretscan {

namespace {

struct OidHash {
    std::size_t operator()(const git_oid& id) const noexcept
    {
        std::size_t h;
        std::memcpy(&h, id.id, sizeof h);
        return h;
    }
};
struct OidEq {
    bool operator()(const git_oid& a, const git_oid& b) const noexcept { return git_oid_equal(&a, &b); }
};

/// A (path, blob) pair that a commit adds relative to all of its parents.
struct Change {
    std::string path;
    git_oid blob;
};

/// What pass 1 learns about one commit.
struct CommitWork {
    std::vector<Change> changes;
    /// For a commit whose parent lies outside the scanned range: that parent's blob at each
    /// changed path. Secrets already there are not new to the range.
    std::vector<Change> bases;
    std::vector<Finding> message_findings;
};

/// One repository handle per worker thread: libgit2 objects must not be shared across threads.
class RepoPool {
public:
    RepoPool(std::string git_dir, unsigned workers) : m_git_dir(std::move(git_dir)), m_repos(workers) {}

    git_repository* get(unsigned worker)
    {
        git::Repository& r = m_repos[worker];
        if (!r) {
            git_repository* raw = nullptr;
            git::check(git_repository_open_ext(&raw, m_git_dir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
                       "open repository", m_git_dir);
            r.reset(raw);
        }
        return r.get();
    }

private:
    std::string m_git_dir;
    std::vector<git::Repository> m_repos;
};

git::Commit peel_commit(git_repository* repo, const std::string& spec)
{
    git_object* obj = nullptr;
    int rc = git_revparse_single(&obj, repo, spec.c_str());
    if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS || rc == GIT_EINVALIDSPEC)
        throw Error(ErrorKind::usage, spec + ": unknown revision (git log would say the same); check the range");
    git::check(rc, "resolve revision", spec, ErrorKind::usage);
    git::Object o(obj);
    git_object* peeled = nullptr;
    git::check(git_object_peel(&peeled, o.get(), GIT_OBJECT_COMMIT), "peel to a commit:", spec, ErrorKind::usage);
    return git::Commit(reinterpret_cast<git_commit*>(peeled));
}

using OidSet = std::unordered_set<git_oid, OidHash, OidEq>;

/// The commits at a shallow clone's boundary (listed in $GIT_DIR/shallow): their parents are
/// absent, so they are walked and diffed as root commits, as git does.
OidSet shallow_boundary(git_repository* repo)
{
    OidSet out;
    std::ifstream in(std::string(git_repository_commondir(repo)) + "shallow");
    for (std::string line; std::getline(in, line);) {
        git_oid id;
        if (line.size() >= GIT_OID_HEXSZ && git_oid_fromstrn(&id, line.c_str(), GIT_OID_HEXSZ) == 0) out.insert(id);
    }
    return out;
}

/// The parents of a commit as the scan sees them: none at a shallow boundary.
std::vector<git_oid> parents_of(git_commit* c, const OidSet& shallow)
{
    std::vector<git_oid> out;
    if (shallow.count(*git_commit_id(c))) return out;
    for (unsigned i = 0; i < git_commit_parentcount(c); ++i) out.push_back(*git_commit_parent_id(c, i));
    return out;
}

/// Every ref (branches, tags, remotes, stash, notes...) and HEAD, peeled to commits.
std::vector<git_oid> all_ref_tips(git_repository* repo)
{
    std::vector<git_oid> tips;
    auto add = [&](git_reference* ref) {
        git_object* obj = nullptr;
        if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0) { // refs to trees or blobs have no history
            tips.push_back(*git_object_id(obj));
            git_object_free(obj);
        }
    };
    git_reference_iterator* raw = nullptr;
    git::check(git_reference_iterator_new(&raw, repo), "list refs");
    git::ReferenceIterator it(raw);
    git_reference* ref = nullptr;
    int rc;
    while ((rc = git_reference_next(&ref, it.get())) == 0) {
        git::Reference owned(ref);
        add(owned.get());
    }
    if (rc != GIT_ITEROVER) git::check(rc, "list refs");
    if (git_repository_head_unborn(repo) == 0 && git_repository_head(&ref, repo) == 0) {
        git::Reference head(ref);
        add(head.get());
    }
    return tips;
}

/// The commits to scan, parents first (topological order, ties broken by commit time, oldest
/// first). Ranges as git log takes them; none means every ref and HEAD.
std::vector<git_oid> list_commits(git_repository* repo, const std::vector<std::string>& ranges, const OidSet& shallow,
                                  std::vector<std::pair<std::string, git_oid>>& named_tags)
{
    std::vector<git_oid> tips, hidden_tips;
    if (ranges.empty()) tips = all_ref_tips(repo);
    for (const std::string& r : ranges) {
        auto resolve = [&](const std::string& spec) { return *git_commit_id(peel_commit(repo, spec.empty() ? "HEAD" : spec).get()); };
        if (r.find("..") == std::string::npos && r.rfind('^', 0) != 0) {
            // A range that names an annotated tag includes the tag's message.
            git_object* obj = nullptr;
            if (git_revparse_single(&obj, repo, r.c_str()) == 0) {
                git::Object o(obj);
                if (git_object_type(o.get()) == GIT_OBJECT_TAG) named_tags.emplace_back(r, *git_object_id(o.get()));
            }
        }
        if (!r.empty() && r[0] == '^') {
            hidden_tips.push_back(resolve(r.substr(1)));
        } else if (const auto dots3 = r.find("..."); dots3 != std::string::npos) {
            const git_oid a = resolve(r.substr(0, dots3)), b = resolve(r.substr(dots3 + 3));
            tips.push_back(a);
            tips.push_back(b);
            git_oidarray bases{};
            const int rc = git_merge_bases(&bases, repo, &a, &b);
            if (rc != GIT_ENOTFOUND) git::check(rc, "find merge bases of", r);
            for (std::size_t i = 0; i < bases.count; ++i) hidden_tips.push_back(bases.ids[i]);
            git_oidarray_dispose(&bases);
        } else if (const auto dots2 = r.find(".."); dots2 != std::string::npos) {
            hidden_tips.push_back(resolve(r.substr(0, dots2)));
            tips.push_back(resolve(r.substr(dots2 + 2)));
        } else {
            tips.push_back(resolve(r));
        }
    }

    struct Node {
        git_oid id;
        std::int64_t time;
        std::vector<git_oid> parents;
    };
    auto load = [&](const git_oid& id) {
        git_commit* raw = nullptr;
        git::check(git_commit_lookup(&raw, repo, &id), "read commit", git::to_hex(id));
        git::Commit c(raw);
        return Node{id, static_cast<std::int64_t>(git_commit_time(c.get())), parents_of(c.get(), shallow)};
    };
    // Everything reachable from a hidden tip is excluded.
    OidSet hidden;
    for (std::vector<git_oid> stack = hidden_tips; !stack.empty();) {
        const git_oid id = stack.back();
        stack.pop_back();
        if (!hidden.insert(id).second) continue;
        for (const git_oid& p : load(id).parents) stack.push_back(p);
    }
    std::vector<Node> nodes;
    std::unordered_map<git_oid, std::size_t, OidHash, OidEq> index;
    for (std::vector<git_oid> stack = tips; !stack.empty();) {
        const git_oid id = stack.back();
        stack.pop_back();
        if (hidden.count(id) || index.count(id)) continue;
        index.emplace(id, nodes.size());
        nodes.push_back(load(id));
        for (const git_oid& p : nodes.back().parents) stack.push_back(p);
    }
    // Kahn's algorithm: a commit is ready once all of its included parents are out.
    std::vector<std::size_t> waiting(nodes.size(), 0);
    std::vector<std::vector<std::size_t>> children(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i)
        for (const git_oid& p : nodes[i].parents)
            if (auto it = index.find(p); it != index.end()) {
                ++waiting[i];
                children[it->second].push_back(i);
            }
    auto later = [&nodes](std::size_t a, std::size_t b) {
        if (nodes[a].time != nodes[b].time) return nodes[a].time > nodes[b].time;
        return git_oid_cmp(&nodes[a].id, &nodes[b].id) > 0;
    };
    std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> ready(later);
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (waiting[i] == 0) ready.push(i);
    std::vector<git_oid> order;
    order.reserve(nodes.size());
    while (!ready.empty()) {
        const std::size_t i = ready.top();
        ready.pop();
        order.push_back(nodes[i].id);
        for (std::size_t c : children[i])
            if (--waiting[c] == 0) ready.push(c);
    }
    return order;
}

git::Tree lookup_tree(git_repository* repo, const git_oid& id, const std::string& what);

/// The tree of the n-th parent of `commit`.
git::Tree parent_tree(git_repository* repo, git_commit* commit, unsigned n, const std::string& hex)
{
    git_commit* raw = nullptr;
    git::check(git_commit_parent(&raw, commit, n), "read a parent of commit", hex);
    git::Commit parent(raw);
    return lookup_tree(repo, *git_commit_tree_id(parent.get()), "of a parent of " + hex);
}

git::Tree lookup_tree(git_repository* repo, const git_oid& id, const std::string& what)
{
    git_tree* t = nullptr;
    git::check(git_tree_lookup(&t, repo, &id), "read tree", what);
    return git::Tree(t);
}

/// Appends the blobs of `now` whose id differs from the same path in `before` (null: all).
/// Recurses only into subtrees whose ids differ, so unchanged parts cost nothing.
void changed_blobs(git_repository* repo, git_tree* before, git_tree* now, const std::string& prefix, std::vector<Change>& out)
{
    const std::size_t n = git_tree_entrycount(now);
    for (std::size_t i = 0; i < n; ++i) {
        const git_tree_entry* e = git_tree_entry_byindex(now, i);
        const char* name = git_tree_entry_name(e);
        const git_tree_entry* old = before ? git_tree_entry_byname(before, name) : nullptr;
        if (old && git_oid_equal(git_tree_entry_id(old), git_tree_entry_id(e))) continue;
        const git_object_t type = git_tree_entry_type(e);
        if (type == GIT_OBJECT_TREE) {
            const std::string dir = prefix + name + "/";
            git::Tree sub_now = lookup_tree(repo, *git_tree_entry_id(e), dir);
            git::Tree sub_before;
            if (old && git_tree_entry_type(old) == GIT_OBJECT_TREE) sub_before = lookup_tree(repo, *git_tree_entry_id(old), dir);
            changed_blobs(repo, sub_before.get(), sub_now.get(), dir, out);
        } else if (type == GIT_OBJECT_BLOB) {
            out.push_back({prefix + name, *git_tree_entry_id(e)});
        } // GIT_OBJECT_COMMIT: a submodule, scanned in its own repository
    }
}

std::string iso_date(const git_time& t)
{
    const std::time_t secs = static_cast<std::time_t>(t.time) + static_cast<std::time_t>(t.offset) * 60;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    const int off = t.offset < 0 ? -t.offset : t.offset;
    char zone[16];
    std::snprintf(zone, sizeof zone, "%c%02d:%02d", t.offset < 0 ? '-' : '+', off / 60, off % 60);
    return std::string(buf) + zone;
}

void fill_commit(git_repository* repo, const git_oid& id, Finding& f)
{
    git_commit* raw = nullptr;
    git::check(git_commit_lookup(&raw, repo, &id), "read commit", git::to_hex(id));
    git::Commit c(raw);
    const git_signature* a = git_commit_author(c.get());
    f.commit = git::to_hex(id);
    f.author = std::string(a->name) + " <" + a->email + ">";
    f.date = iso_date(a->when);
}

/// Sets present_at_head for file findings: whether any blob of HEAD's tree (under any path, so
/// renames and copies count) holds the same rule's same secret. Messages stay unknown (-1).
void mark_present_at_head(git_repository* repo, const std::vector<const Change*>& unique,
                          const std::vector<std::vector<Finding>>& blob_findings, std::vector<Finding>& findings)
{
    std::vector<Change> head_blobs;
    if (git::Tree head = git::head_tree(repo)) changed_blobs(repo, nullptr, head.get(), "", head_blobs);
    std::unordered_set<git_oid, OidHash, OidEq> at_head;
    for (const Change& c : head_blobs) at_head.insert(c.blob);
    std::set<std::string> present; // rule id, NUL, secret
    for (std::size_t b = 0; b < unique.size(); ++b)
        if (!blob_findings[b].empty() && at_head.count(unique[b]->blob))
            for (const Finding& f : blob_findings[b]) present.insert(f.rule_id + '\0' + f.secret);
    for (Finding& f : findings)
        if (!f.path.empty()) f.present_at_head = present.count(f.rule_id + '\0' + f.secret) ? 1 : 0;
}

/// Pass 1 for one commit: what it adds relative to every parent, and its message's findings.
CommitWork inspect_commit(git_repository* repo, const git_oid& id, const OidSet& shallow, const OidSet* in_range,
                          const Scanner& scanner, const HistoryOptions& options)
{
    CommitWork work;
    git_commit* raw = nullptr;
    const std::string hex = git::to_hex(id);
    git::check(git_commit_lookup(&raw, repo, &id), "read commit", hex);
    git::Commit commit(raw);
    git::Tree tree = lookup_tree(repo, *git_commit_tree_id(commit.get()), "of commit " + hex);
    const unsigned parents = shallow.count(id) ? 0 : git_commit_parentcount(commit.get());
    if (parents == 0) {
        changed_blobs(repo, nullptr, tree.get(), "", work.changes);
    } else {
        git::Tree first = parent_tree(repo, commit.get(), 0, hex);
        changed_blobs(repo, first.get(), tree.get(), "", work.changes);
        // A merge adds only what differs from every parent.
        for (unsigned p = 1; p < parents && !work.changes.empty(); ++p) {
            git::Tree other = parent_tree(repo, commit.get(), p, hex);
            std::erase_if(work.changes, [&](const Change& c) {
                git_tree_entry* e = nullptr;
                if (git_tree_entry_bypath(&e, other.get(), c.path.c_str()) != 0) return false;
                git::TreeEntry entry(e);
                return git_oid_equal(git_tree_entry_id(entry.get()), &c.blob) != 0;
            });
        }
        // A parent outside the range already holds whatever its blobs hold.
        for (unsigned p = 0; in_range && p < parents; ++p) {
            if (in_range->count(*git_commit_parent_id(commit.get(), p))) continue;
            git::Tree base = parent_tree(repo, commit.get(), p, hex);
            // Content the parent holds under any path (a rename, a copy) is not new either.
            std::vector<Change> all;
            changed_blobs(repo, nullptr, base.get(), "", all);
            OidSet held;
            for (const Change& c : all) held.insert(c.blob);
            for (const Change& c : work.changes)
                if (held.count(c.blob)) work.bases.push_back(c);
            for (const Change& c : work.changes) {
                git_tree_entry* e = nullptr;
                if (git_tree_entry_bypath(&e, base.get(), c.path.c_str()) != 0) continue;
                git::TreeEntry entry(e);
                if (git_tree_entry_type(entry.get()) == GIT_OBJECT_BLOB) work.bases.push_back({c.path, *git_tree_entry_id(entry.get())});
            }
        }
    }
    if (options.messages) {
        const char* msg = git_commit_message_raw(commit.get());
        const Provenance where{SourceKind::commit_message, "", "commit " + hex.substr(0, 12) + " message"};
        ScanOptions unlimited = options.scan;
        unlimited.max_file_size = UINT64_MAX;
        ScanStats ignored; // messages are not counted as blobs
        work.message_findings = scanner.scan_bytes(msg ? msg : "", where, unlimited, ignored);
    }
    return work;
}

} // namespace

ScanResult scan_history(const Scanner& scanner, const std::string& repo_dir, const HistoryOptions& options)
{
    const auto t0 = std::chrono::steady_clock::now();
    git::Repository repo = git::open(repo_dir);
    ScanResult result;
    result.stats.unit = "blobs";
    if (git_repository_is_shallow(repo.get()) == 1)
        result.warnings.push_back("shallow repository: history is incomplete; findings in commits that were not "
                                  "fetched are not reported (git fetch --unshallow to scan everything)");
    const OidSet shallow = shallow_boundary(repo.get());
    std::vector<std::pair<std::string, git_oid>> named_tags;
    const std::vector<git_oid> commits = list_commits(repo.get(), options.ranges, shallow, named_tags);
    OidSet in_range;
    if (!options.ranges.empty()) in_range.insert(commits.begin(), commits.end());
    if (commits.empty()) result.warnings.push_back("no commits to scan");

    auto elapsed = [t0] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    result.notes.push_back("listed " + std::to_string(commits.size()) + " commits at " + std::to_string(elapsed()) + " s");
    const unsigned threads = effective_threads(options.scan.threads);
    RepoPool pool(git_repository_path(repo.get()), threads);

    // Pass 1: per commit, the (path, blob) pairs it adds, and its message's findings.
    std::vector<CommitWork> work(commits.size());
    std::vector<ScanStats> worker_stats(threads);
    parallel_for(commits.size(), threads, [&](unsigned w, std::size_t i) {
        work[i] = inspect_commit(pool.get(w), commits[i], shallow, options.ranges.empty() ? nullptr : &in_range, scanner, options);
    });

    // Unique blobs, in order of first appearance, each with the path it first appeared at.
    std::unordered_map<git_oid, std::size_t, OidHash, OidEq> blob_index;
    std::vector<const Change*> unique;
    for (const CommitWork& cw : work)
        for (const auto* list : {&cw.bases, &cw.changes})
            for (const Change& c : *list)
                if (blob_index.emplace(c.blob, unique.size()).second) unique.push_back(&c);

    result.notes.push_back("found " + std::to_string(unique.size()) + " unique blobs at " + std::to_string(elapsed()) + " s");
    // Pass 2: scan each unique blob once. Many blobs: worth compiling the faster prefilter.
    if (unique.size() >= bulk_scan_items) scanner.matcher().accelerate();
    std::vector<std::vector<Finding>> blob_findings(unique.size());
    parallel_for(unique.size(), threads, [&](unsigned w, std::size_t i) {
        const Change& c = *unique[i];
        git_odb* odb_raw = nullptr;
        git_repository* r = pool.get(w);
        git::check(git_repository_odb(&odb_raw, r), "open object database");
        git::Odb odb(odb_raw);
        std::size_t size = 0;
        git_object_t type{};
        git::check(git_odb_read_header(&size, &type, odb.get(), &c.blob), "read blob header of", c.path);
        const std::string name = c.path + " (blob " + git::to_hex(c.blob).substr(0, 12) + ")";
        if (size > options.scan.max_file_size) {
            worker_stats[w].skipped.push_back({name, "larger than --max-file-size (" + std::to_string(size) + " bytes)"});
            return;
        }
        git_odb_object* obj_raw = nullptr;
        git::check(git_odb_read(&obj_raw, odb.get(), &c.blob), "read blob of", c.path);
        git::OdbObject obj(obj_raw);
        const std::string_view bytes(static_cast<const char*>(git_odb_object_data(obj.get())), git_odb_object_size(obj.get()));
        Provenance where{SourceKind::blob, name, ""};
        blob_findings[i] = scanner.scan_bytes(bytes, where, options.scan, worker_stats[w]);
    });
    for (const auto& s : worker_stats) result.stats.merge(s);
    result.notes.push_back("scanned blobs at " + std::to_string(elapsed()) + " s");

    // Pass 3: attribute each (rule, secret, path) to the first commit, parents first.
    constexpr std::size_t known_before = SIZE_MAX; // held by a parent outside the range: not new
    std::map<std::string, std::size_t> seen;       // key -> index in result.findings, or known_before
    std::vector<std::size_t> commit_of;            // index in commits, per finding
    std::vector<const std::string*> first_path(unique.size(), nullptr); // where each blob was first attributed
    auto key_of = [](const Finding& f, const std::string& path) { return f.rule_id + '\0' + f.secret + '\0' + path; };
    auto add = [&](const Finding& f, std::size_t commit) {
        auto [it, fresh] = seen.emplace(key_of(f, f.path), result.findings.size());
        if (fresh) {
            result.findings.push_back(f);
            commit_of.push_back(commit);
        } else if (it->second != known_before) {
            ++result.findings[it->second].occurrences;
        }
    };
    for (const CommitWork& cw : work)
        for (const Change& c : cw.bases) {
            const std::size_t b = blob_index.at(c.blob);
            for (const Finding& f : blob_findings[b]) seen.emplace(key_of(f, c.path), known_before);
            if (!first_path[b]) first_path[b] = &c.path;
        }
    for (std::size_t i = 0; i < commits.size(); ++i) {
        for (const Finding& f : work[i].message_findings) add(f, i);
        for (const Change& c : work[i].changes) {
            const std::size_t b = blob_index.at(c.blob);
            // The same content under another path (a rename or copy) adds nothing new: its
            // secrets count as occurrences of the findings made where the blob first appeared.
            const std::string& path = first_path[b] ? *first_path[b] : c.path;
            first_path[b] = &path;
            for (Finding f : blob_findings[b]) {
                f.path = path;
                add(f, i);
            }
        }
    }
    for (std::size_t k = 0; k < result.findings.size(); ++k) fill_commit(repo.get(), commits[commit_of[k]], result.findings[k]);
    mark_present_at_head(repo.get(), unique, blob_findings, result.findings);

    // Annotated tag messages: every tag when scanning every ref, else the tags the ranges name.
    if (options.messages) {
        if (options.ranges.empty()) {
            auto collect = [](const char* name, git_oid* oid, void* payload) -> int {
                static_cast<std::vector<std::pair<std::string, git_oid>>*>(payload)->emplace_back(name, *oid);
                return 0;
            };
            git::check(git_tag_foreach(repo.get(), collect, &named_tags), "list tags");
        }
        for (const auto& [ref, oid] : named_tags) {
            git_tag* raw = nullptr;
            if (git_tag_lookup(&raw, repo.get(), &oid) != 0) continue; // lightweight tag: no message
            git::Tag tag(raw);
            const std::string name = ref.rfind("refs/tags/", 0) == 0 ? ref.substr(10) : ref;
            const char* msg = git_tag_message(tag.get());
            ScanOptions unlimited = options.scan;
            unlimited.max_file_size = UINT64_MAX;
            ScanStats ignored;
            for (Finding f : scanner.scan_bytes(msg ? msg : "", {SourceKind::tag_message, "", "tag " + name + " message"},
                                                unlimited, ignored)) {
                f.tag = name;
                if (const git_signature* s = git_tag_tagger(tag.get())) {
                    f.author = std::string(s->name) + " <" + s->email + ">";
                    f.date = iso_date(s->when);
                }
                if (seen.emplace(key_of(f, f.source_name), result.findings.size()).second) result.findings.push_back(std::move(f));
            }
        }
    }
    result.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return result;
}

} // namespace secretscan
