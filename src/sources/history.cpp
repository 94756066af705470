#include <secretscan/error.hpp>
#include <secretscan/sources/history.hpp>

#include "git/config.hpp"
#include "sources/history_cache.hpp"
#include "sources/history_walk.hpp"
#include "util/parallel.hpp"
#include "util/stopwatch.hpp"

#include <algorithm>
#include <deque>
#include <memory>
#include <mutex>
#include <malloc.h>
#include <atomic>
#include <map>
#include <set>
#include <unordered_map>

namespace secretscan {

using namespace history;

namespace {

/// A history item: a blob and the class of the path it is read at (Source::set_path_key).
struct ItemKey {
    git_oid blob;
    std::uint32_t cls;
};
struct ItemKeyHash {
    std::size_t operator()(const ItemKey& k) const noexcept { return OidHash{}(k.blob) ^ (static_cast<std::size_t>(k.cls) * 0x9E3779B97F4A7C15ull); }
};
struct ItemKeyEq {
    bool operator()(const ItemKey& a, const ItemKey& b) const noexcept { return a.cls == b.cls && git_oid_equal(&a.blob, &b.blob); }
};

} // namespace

/// What the whole-text passes found in the blobs the workers scanned last (TextFacts), by their
/// place in the packs, so that a blob stored as a delta on one of them is searched only where it
/// differs (Lineage). git writes a delta soon after its base, and the workers read blobs in pack
/// order. Bounded: at most max_entries hits and runs (8 bytes each) are kept, each blob's entry
/// counted as 16 more (its bookkeeping), the oldest blob's dropped first. Thread-safe.
class FactCache {
public:
    static constexpr std::size_t max_entries = std::size_t{1} << 19;
    using Facts = std::shared_ptr<const TextFacts>;

    Facts find(std::uint64_t place) const
    {
        const std::lock_guard lock(m_mutex);
        const auto it = m_facts.find(place);
        return it == m_facts.end() ? nullptr : it->second;
    }
    void put(std::uint64_t place, TextFacts facts)
    {
        const std::size_t size = weight(facts);
        if (size > max_entries || (!facts.hits_known && !facts.runs_known)) return;
        auto shared = std::make_shared<const TextFacts>(std::move(facts));
        const std::lock_guard lock(m_mutex);
        if (!m_facts.emplace(place, std::move(shared)).second) return;
        m_total += size;
        m_order.push_back(place);
        for (; m_total > max_entries; m_order.pop_front()) {
            const auto oldest = m_facts.find(m_order.front());
            m_total -= weight(*oldest->second);
            m_facts.erase(oldest);
        }
    }

private:
    static std::size_t weight(const TextFacts& f) { return f.hits.size() + f.runs.size() + 16; }

    mutable std::mutex m_mutex;
    std::unordered_map<std::uint64_t, Facts> m_facts;
    std::deque<std::uint64_t> m_order; // oldest first
    std::size_t m_total = 0;
};

struct HistorySource::State {
    git::Repository repo;
    std::string git_dir;
    std::vector<git::Repository> pool; // one handle per worker: libgit2 objects are not shared across threads
    std::unique_ptr<git::PackSet> packs;                     // the repository's packs, read by every worker
    std::vector<std::unique_ptr<git::ObjectReader>> readers; // one per worker, over its handle
    std::unique_ptr<git::CommitGraph> graph;                 // git's commit-graph, when the repository has one
    FactCache facts;                                           // shared by the workers
    Shapes shapes;                     // each listed commit's tree, parents and time, read once (the walk and refs_reaching)
    OidSet shallow;
    std::vector<git_oid> commits;
    std::vector<CommitWork> work;      // per commit
    std::vector<const Change*> unique; // item -> the first (path, blob) holding each unique (blob, path class)
    Source::PathKey path_key; // set_path_key
    std::unordered_map<std::string_view, std::uint32_t> class_of_path; // path (a Change's, in work) -> its class (memo of path_key)
    std::unordered_map<std::string, std::uint32_t> classes;       // path key -> class
    std::vector<std::string> class_keys;                           // class -> path key
    ScanCache* cache = nullptr;                                    // set_cache
    std::unordered_map<ItemKey, std::size_t, ItemKeyHash, ItemKeyEq> blob_index; // (blob, class) -> item
    std::vector<NamedTag> tags;        // annotated tags whose messages are scanned
    std::vector<Change> loose;         // blobs that refs reach without a commit (blobs_outside_commits)
    std::size_t messages_at = 0, tags_at = 0, loose_at = 0, items = 0; // where each kind of item starts
    unsigned shard_index = 0, shard_count = 1; // HistoryOptions
    enum Role : std::uint8_t { unread, own, head_only };
    std::vector<Role> roles; // --shard: per item, whether it is read, and why; empty: all read as own

    /// Whether this shard reports findings named by `path` (HistoryOptions::shard_index).
    bool owns(const std::string& path) const { return shard_count <= 1 || shard_of(path, shard_count) == shard_index; }
    Role role(std::size_t item) const { return roles.empty() ? own : roles[item]; }

    /// The item key of a (path, blob): the blob's id and its path's class.
    ItemKey item_key(const Change& c)
    {
        std::uint32_t cls = 0;
        if (path_key) {
            auto [it, fresh] = class_of_path.emplace(c.path, 0);
            if (fresh) {
                auto [cls_at, added] = classes.emplace(path_key(c.path), static_cast<std::uint32_t>(classes.size()));
                if (added) class_keys.push_back(cls_at->first);
                it->second = cls_at->second;
            }
            cls = it->second;
        }
        return {c.blob, cls};
    }

    std::size_t item_of(const Change& c) { return blob_index.at(item_key(c)); }

    git_repository* worker_repo(unsigned w)
    {
        if (!pool[w]) pool[w] = git::open_exact(git_dir);
        return pool[w].get();
    }

    /// Worker `w`'s object reader. Its cache of delta bases: 8 MiB. On git/git (85,361 commits)
    /// 8 and 48 MiB cost the same CPU time (25 s under load), and 48 MiB per worker took the peak
    /// memory from 229 MB to 417 MB, past the 300 MB a history scan may use.
    git::ObjectReader& reader(unsigned w)
    {
        if (!readers[w]) readers[w] = std::make_unique<git::ObjectReader>(*packs, worker_repo(w), std::size_t{8} << 20);
        return *readers[w];
    }

    /// Where the walk reads commits: the commit-graph, then worker 0's reader.
    CommitSource commit_source() { return {&reader(0), graph.get()}; }
};

namespace {

/// Unique (blob, path class) pairs, each with the path it first appeared at, in the order
/// their blobs lie in the packs (so that a worker reading a run of them finds the delta bases
/// it needs in its cache), then those no pack holds, in order of first appearance.
void collect_unique(HistorySource::State& s)
{
    for (const CommitWork& cw : s.work)
        for (const auto* list : {&cw.bases, &cw.changes})
            for (const Change& c : *list)
                if (s.blob_index.emplace(s.item_key(c), s.unique.size()).second) s.unique.push_back(&c);
    std::vector<std::pair<git::PackPosition, const Change*>> placed;
    placed.reserve(s.unique.size());
    for (const Change* c : s.unique) placed.emplace_back(s.packs->find(c->blob), c);
    std::stable_sort(placed.begin(), placed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < placed.size(); ++i) {
        s.unique[i] = placed[i].second;
        s.blob_index[s.item_key(*placed[i].second)] = i;
    }
}

/// A tag as findings name it: its ref without refs/tags/, or the range that named it.
std::string tag_name(const NamedTag& t)
{
    return t.first.rfind("refs/tags/", 0) == 0 ? t.first.substr(10) : t.first;
}

void read_blob(git::ObjectReader& reader, const Change& c, ChunkReader& out, bool counted = true, FactCache* facts = nullptr)
{
    const std::string name = c.path + " (blob " + git::to_hex(c.blob).substr(0, 12) + ")";
    const git::ObjectReader::Object blob = reader.read(c.blob, out.max_size());
    if (!out.admit(name, blob.size)) return;
    Chunk chunk{blob.data, Provenance{SourceKind::blob, c.path, name}}; // the real path: rules' paths and lockfiles
    Lineage lineage;
    const FactCache::Facts base = facts && blob.place && blob.copies ? facts->find(blob.base_place) : nullptr;
    if (facts && blob.place) {
        if (base) {
            lineage.base = base.get();
            lineage.copies = *blob.copies;
        }
        chunk.lineage = &lineage;
    }
    out.chunk(chunk, counted);
    if (chunk.lineage) facts->put(blob.place, std::move(lineage.facts));
}

/// A commit or tag message: text (git refuses NUL bytes in one), scanned whatever its size, not
/// counted as a blob.
/// Scans the message of the commit or tag object `id`: its raw bytes after the header's blank
/// line, read from the object database. libgit2's message accessors stop at a NUL byte, and
/// git fast-import (or hash-object --literally) writes messages that hold one.
void read_message(git::ObjectReader& reader, const git_oid& id, Provenance where, ChunkReader& out)
{
    const std::string_view data = reader.read(id).data;
    const std::size_t blank = data.find("\n\n");
    Chunk c{blank == std::string_view::npos ? std::string_view() : data.substr(blank + 2), std::move(where)};
    c.encoding = Encoding::utf8;
    c.unlimited = true;
    out.chunk(c, false);
}

/// The blobs of HEAD's tree (none without a HEAD).
OidSet head_blobs(HistorySource::State& s)
{
    std::vector<Change> head_blobs;
    if (const git::Tree head = git::head_tree(s.repo.get())) changed_blobs(s.repo.get(), nullptr, head.get(), "", head_blobs);
    OidSet at_head;
    for (const Change& c : head_blobs) at_head.insert(c.blob);
    return at_head;
}

/// Of `findings` (file findings HEAD's read blobs do not hold), those whose secret is written in
/// one of HEAD's blobs this scan did not read (`unread`) are present (1), the others gone (0). A
/// decoded secret is not written as it is reported, and a blob over 64 MiB is not read: what
/// they would say stays unknown (-1).
void mark_in_unread_head(HistorySource::State& s, const OidSet& unread, std::vector<Finding*>& findings)
{
    constexpr std::uint64_t largest = 64u << 20; // a larger blob is not read: what it holds stays unknown
    bool unsure = false;
    for (Finding* f : findings) f->present_at_head = f->decoder.empty() ? 0 : -1;
    for (const git_oid& id : unread) {
        const git::ObjectReader::Object blob = s.reader(0).read(id, largest);
        unsure |= blob.size > largest;
        for (Finding* f : findings)
            if (f->present_at_head == 0 && blob.data.find(f->secret) != std::string_view::npos) f->present_at_head = 1;
    }
    for (Finding* f : findings)
        if (unsure && f->present_at_head == 0) f->present_at_head = -1;
}

/// Sets present_at_head for file findings: whether any blob of HEAD's tree (under any path, so
/// renames and copies count) holds the same rule's same secret. Messages stay unknown (-1).
void mark_present_at_head(HistorySource::State& s, const std::vector<std::vector<Finding>>& by_item, std::vector<Finding>& findings)
{
    const OidSet at_head = head_blobs(s);
    OidSet unread = at_head;
    std::set<std::string> present; // rule id, NUL, secret
    for (std::size_t b = 0; b < s.unique.size(); ++b)
        if (at_head.count(s.unique[b]->blob)) {
            unread.erase(s.unique[b]->blob);
            for (const Finding& f : by_item[b]) present.insert(f.rule_id + '\0' + f.secret);
        }
    std::vector<Finding*> pending; // not in a HEAD blob this scan read
    for (Finding& f : findings)
        if (!f.path.empty()) {
            f.present_at_head = present.count(f.rule_id + '\0' + f.secret) ? 1 : 0;
            if (!f.present_at_head && !unread.empty()) pending.push_back(&f);
        }
    // A range that does not reach all of HEAD reads only some of its blobs (or none).
    if (!pending.empty()) mark_in_unread_head(s, unread, pending);
}

/// The path each item's findings are named by: its first path in a parent outside the range,
/// else its first path in the commits, parents first.
std::vector<const std::string*> first_paths(HistorySource::State& s)
{
    std::vector<const std::string*> first(s.unique.size(), nullptr);
    for (const CommitWork& cw : s.work)
        for (const Change& c : cw.bases)
            if (const std::size_t b = s.item_of(c); !first[b]) first[b] = &c.path;
    for (const CommitWork& cw : s.work)
        for (const Change& c : cw.changes)
            if (const std::size_t b = s.item_of(c); !first[b]) first[b] = &c.path;
    return first;
}

/// Attributes each (rule, secret, path) to the first commit that holds it, parents first.
/// With --shard, only what this shard owns (State::owns; messages and tags: shard 0). Each
/// fresh finding gets its shard_order.
class Attribution {
public:
    explicit Attribution(HistorySource::State& s) : m_s(s) {}

    std::vector<Finding> run(const std::vector<std::vector<Finding>>& by_item)
    {
        // The same content under another path (a rename or copy) adds nothing new: its secrets
        // count as occurrences of the findings made where the blob first appeared.
        const std::vector<const std::string*> first_path = first_paths(m_s);
        for (const CommitWork& cw : m_s.work)
            for (const Change& c : cw.bases) // held by a parent outside the range: not new
                if (m_s.owns(c.path))
                    for (const Finding& f : by_item[m_s.item_of(c)]) m_seen.emplace(key(f, c.path), known_before);
        for (std::size_t i = 0; i < m_s.commits.size(); ++i) {
            ++m_slot;
            if (m_s.messages_at < m_s.tags_at && m_s.shard_index == 0)
                for (std::size_t k = 0; k < by_item[m_s.messages_at + i].size(); ++k) add(by_item[m_s.messages_at + i][k], i, k);
            for (const Change& c : m_s.work[i].changes) {
                ++m_slot;
                const std::size_t b = m_s.item_of(c);
                if (!m_s.owns(*first_path[b])) continue;
                for (std::size_t k = 0; k < by_item[b].size(); ++k) {
                    Finding f = by_item[b][k];
                    f.path = *first_path[b];
                    f.source_name.clear(); // the blob's id was for skip messages
                    add(f, i, k);
                }
            }
        }
        fill_commits(by_item);
        mark_present_at_head(m_s, by_item, m_findings);
        add_tags(by_item);
        add_loose(by_item);
        return std::move(m_findings);
    }

private:
    static constexpr std::size_t known_before = SIZE_MAX;

    static std::string key(const Finding& f, const std::string& where) { return f.rule_id + '\0' + f.secret + '\0' + where; }

    /// The finding's place in a single process's order (Finding::shard_order).
    void order(Finding& f, std::size_t index) const { f.shard_order = {m_slot, index}; }

    void add(const Finding& f, std::size_t commit, std::size_t index)
    {
        auto [it, fresh] = m_seen.emplace(key(f, f.path), m_findings.size());
        if (fresh) {
            m_findings.push_back(f);
            order(m_findings.back(), index);
            m_commits_of.push_back({commit});
        } else if (it->second != known_before) {
            ++m_findings[it->second].occurrences;
            if (m_commits_of[it->second].back() != commit) m_commits_of[it->second].push_back(commit);
        }
    }

    /// Each finding's first commit (its author and date) and every commit that holds it, and
    /// the refs whose history holds any of them.
    void fill_commits(const std::vector<std::vector<Finding>>& by_item)
    {
        std::vector<std::size_t> used; // indexes in m_s.commits that hold a finding
        for (const auto& list : m_commits_of) used.insert(used.end(), list.begin(), list.end());
        std::sort(used.begin(), used.end());
        used.erase(std::unique(used.begin(), used.end()), used.end());
        std::vector<git_oid> ids;
        for (const std::size_t i : used) ids.push_back(m_s.commits[i]);
        const auto refs = ids.empty() ? std::vector<std::vector<std::string>>{} : refs_reaching(m_s.repo.get(), ids, m_s.shallow, m_s.commit_source(), &m_s.shapes);
        for (std::size_t k = 0; k < m_findings.size(); ++k) {
            Finding& f = m_findings[k];
            const git_oid& id = m_s.commits[m_commits_of[k].front()];
            const git::Commit c = git::lookup_commit(m_s.repo.get(), id, git::to_hex(id));
            f.commit = git::to_hex(id);
            f.author = person(git_commit_author(c.get()));
            f.date = iso_date(git_commit_author(c.get())->when);
            f.commit_message = subject(c.get(), m_commits_of[k].front(), by_item);
            std::set<std::string> holding;
            for (const std::size_t i : m_commits_of[k]) {
                f.commits.push_back(git::to_hex(m_s.commits[i]));
                const auto& names = refs[std::lower_bound(used.begin(), used.end(), i) - used.begin()];
                holding.insert(names.begin(), names.end());
            }
            f.refs.assign(holding.begin(), holding.end());
        }
    }

    /// The commit's subject line, with the secrets found in its message redacted.
    std::string subject(git_commit* c, std::size_t commit, const std::vector<std::vector<Finding>>& by_item) const
    {
        const char* summary = git_commit_summary(c);
        std::string line = summary ? summary : "";
        if (m_s.messages_at < m_s.tags_at)
            for (const Finding& f : by_item[m_s.messages_at + commit]) line = redact_in(line, f.secret);
        return line;
    }

    void add_tags(const std::vector<std::vector<Finding>>& by_item)
    {
        for (std::size_t t = 0; t < m_s.tags.size(); ++t) {
            ++m_slot;
            git_tag* raw = nullptr;
            if (git_tag_lookup(&raw, m_s.repo.get(), &m_s.tags[t].second) != 0) continue;
            const git::Tag tag(raw);
            for (std::size_t k = 0; k < by_item[m_s.tags_at + t].size(); ++k) {
                Finding f = by_item[m_s.tags_at + t][k];
                order(f, k);
                f.tag = tag_name(m_s.tags[t]);
                if (f.tag.size() == GIT_OID_HEXSZ && f.tag.find_first_not_of("0123456789abcdef") == std::string::npos)
                    f.tag = git_tag_name(tag.get()); // named by its id (a push): the name it was made with
                if (m_s.tags[t].first.rfind("refs/tags/", 0) == 0) f.refs = {m_s.tags[t].first};
                if (const git_signature* s = git_tag_tagger(tag.get())) {
                    f.author = person(s);
                    f.date = iso_date(s->when);
                }
                if (m_seen.emplace(key(f, f.source_name), m_findings.size()).second) m_findings.push_back(std::move(f));
            }
        }
    }

    /// Findings in blobs that a ref reaches without a commit, named by the ref (and path in its tree).
    void add_loose(const std::vector<std::vector<Finding>>& by_item)
    {
        for (std::size_t i = 0; i < m_s.loose.size(); ++i) {
            ++m_slot;
            for (std::size_t k = 0; k < by_item[m_s.loose_at + i].size(); ++k) {
                Finding f = by_item[m_s.loose_at + i][k];
                order(f, k);
                f.path = m_s.loose[i].path;
                f.source_name.clear();
                // A ref to a blob or tree ("refs/tags/key", "refs/tags/dir:path") holds it; an
                // unreachable blob, none.
                if (f.path.rfind("refs/", 0) == 0) f.refs = {f.path.substr(0, f.path.find(':'))};
                if (m_seen.emplace(key(f, f.path), m_findings.size()).second) m_findings.push_back(std::move(f));
            }
        }
    }

    HistorySource::State& m_s;
    std::map<std::string, std::size_t> m_seen; // key -> index in m_findings, or known_before
    std::vector<Finding> m_findings;
    std::vector<std::vector<std::size_t>> m_commits_of; // indexes in commits, per finding, in order
    std::size_t m_slot = 0; // the message, change, tag or ref-named blob being attributed, counted alike in every shard
};

} // namespace

HistorySource::HistorySource(std::string repo_dir, HistoryOptions options)
    : m_repo_dir(std::move(repo_dir)), m_options(std::move(options)), m(std::make_unique<State>())
{
}

HistorySource::~HistorySource() = default;

void HistorySource::set_path_key(PathKey key)
{
    m->path_key = std::move(key);
}

namespace {

/// Keeps the commits whose committer time is inside [o.since, o.until], in their order.
void keep_window(git_repository* repo, const HistoryOptions& o, std::vector<git_oid>& commits)
{
    std::erase_if(commits, [&](const git_oid& id) {
        const git::Commit c = git::lookup_commit(repo, id, git::to_hex(id));
        const std::int64_t t = git_commit_time(c.get());
        return (o.since && t < *o.since) || (o.until && t > *o.until);
    });
}

/// --all-objects, before the commits are inspected: the walk also starts at every commit no ref
/// reaches (a dropped stash, an amended or force-pushed commit), so their blobs get paths.
void add_dangling_commits(HistorySource::State& s, const OdbObjects& objects, ScanSummary& summary)
{
    const OidSet listed(s.commits.begin(), s.commits.end());
    std::vector<std::string> tips{"--all"};
    for (const git_oid& id : objects.commits)
        if (!listed.count(id)) tips.push_back(git::to_hex(id));
    summary.notes.push_back("--all-objects: " + std::to_string(tips.size() - 1) + " commits no ref reaches");
    if (tips.size() == 1) return;
    std::vector<NamedTag> none;
    s.commits = list_commits(s.repo.get(), tips, s.shallow, none, s.commit_source(), &s.shapes);
}

/// --all-objects, after the blobs of every commit and ref are known: each blob none of them
/// names is an item of its own, "(unreachable)/ID".
void add_unreachable_blobs(HistorySource::State& s, const OdbObjects& objects, ScanSummary& summary)
{
    OidSet named;
    for (const Change* c : s.unique) named.insert(c->blob);
    for (const Change& c : s.loose) named.insert(c.blob);
    const std::size_t before = s.loose.size();
    for (const git_oid& id : objects.blobs)
        if (!named.count(id)) s.loose.push_back(Change{"(unreachable)/" + git::to_hex(id), id});
    summary.notes.push_back("--all-objects: " + std::to_string(s.loose.size() - before) + " blobs no commit or ref names");
}

/// --shard: which items this shard reads (State::roles): the blobs whose findings it reports
/// (named by a path it owns, or held at a path it owns by a parent outside the range), the
/// commit messages (every shard: the subjects it shows are redacted with their findings), the
/// tags in shard 0, the ref-named blobs at a path it owns, and HEAD's other blobs, whose
/// findings decide present_at_head.
void choose_shard_items(HistorySource::State& s, const HistoryOptions& o)
{
    s.shard_index = o.shard_index;
    s.shard_count = o.shard_count;
    if (o.shard_count <= 1) return;
    using Role = HistorySource::State::Role;
    s.roles.assign(s.items, Role::unread);
    const std::vector<const std::string*> first = first_paths(s);
    const OidSet at_head = head_blobs(s);
    for (std::size_t b = 0; b < s.unique.size(); ++b)
        s.roles[b] = s.owns(*first[b]) ? Role::own : at_head.count(s.unique[b]->blob) ? Role::head_only : Role::unread;
    for (const CommitWork& cw : s.work)
        for (const Change& c : cw.bases)
            if (s.owns(c.path)) s.roles[s.item_of(c)] = Role::own;
    std::fill(s.roles.begin() + static_cast<std::ptrdiff_t>(s.messages_at), s.roles.begin() + static_cast<std::ptrdiff_t>(s.tags_at), Role::own);
    if (o.shard_index == 0) std::fill(s.roles.begin() + static_cast<std::ptrdiff_t>(s.tags_at), s.roles.begin() + static_cast<std::ptrdiff_t>(s.loose_at), Role::own);
    for (std::size_t i = 0; i < s.loose.size(); ++i)
        if (s.owns(s.loose[i].path)) s.roles[s.loose_at + i] = Role::own;
}

/// The name read_blob gives a blob in its skip entries.
std::string blob_name(const Change& c)
{
    return c.path + " (blob " + git::to_hex(c.blob).substr(0, 12) + ")";
}

} // namespace

unsigned shard_of(std::string_view path, unsigned count) noexcept
{
    std::uint64_t h = 0xcbf29ce484222325ull; // FNV-1a, 64 bits
    for (const char c : path) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ull;
    }
    return count == 0 ? 0 : static_cast<unsigned>(h % count);
}

std::string HistorySource::walk_digest() const
{
    std::string walk;
    for (const git_oid& id : m->commits) walk += git::to_hex(id) + '\n';
    for (const NamedTag& t : m->tags) walk += t.first + ' ' + git::to_hex(t.second) + '\n';
    for (const Change& c : m->loose) walk += c.path + ' ' + git::to_hex(c.blob) + '\n';
    return fingerprint("history", walk);
}

namespace {

/// Whether git reads the repository's commit-graph: core.commitGraph, true unless set false.
bool commit_graph_enabled(git_repository* repo)
{
    const git::Config cfg = git::repository_config(repo);
    int on = 1;
    return git_config_get_bool(&on, cfg.get(), "core.commitGraph") != 0 || on != 0;
}

/// Opens the repository, its packs and a reader slot per worker; warns of a shallow one.
void open_repository(HistorySource::State& s, const std::string& dir, ScanSummary& summary, unsigned threads)
{
    s.repo = git::open(dir);
    s.git_dir = git_repository_path(s.repo.get());
    if (s.cache) s.cache->attach(git_repository_commondir(s.repo.get()));
    s.pool.resize(threads);
    s.readers.resize(threads);
    // Objects are held whole while read and scanned. (The secretscan binary allocates with
    // jemalloc, CMakeLists.txt; these settings are for glibc's malloc, in builds without it.) glibc raises its mmap threshold to the
    // largest block freed so far (up to 32 MiB), after which such buffers come from the heap
    // and fragment it; a fixed threshold gives each one back to the system when it is freed.
    // Fixing it fixes the trim threshold too, at 128 KiB, which would give the heap's top back
    // and take it again all the time: 64 MiB.
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    const std::string objects = std::string(git_repository_commondir(s.repo.get())) + "objects";
    s.packs = std::make_unique<git::PackSet>(objects, summary.notes);
    if (commit_graph_enabled(s.repo.get())) {
        s.graph = std::make_unique<git::CommitGraph>(objects, summary.notes);
        if (s.graph->size() > 0) summary.notes.push_back("commit-graph: " + std::to_string(s.graph->size()) + " commits read from it, not inflated");
    } else {
        summary.notes.push_back("core.commitGraph is false: the commit-graph is not read (as git does not)");
    }
    if (git_repository_is_shallow(s.repo.get()) == 1)
        summary.warnings.push_back("shallow repository: history is incomplete; findings in commits that were not "
                                   "fetched are not reported (git fetch --unshallow to scan everything)");
    s.shallow = shallow_boundary(s.repo.get());
}

} // namespace

std::size_t HistorySource::list(ScanSummary& summary, unsigned threads)
{
    const Stopwatch clock;
    open_repository(*m, m_repo_dir, summary, threads);
    // A revision that names a blob or a tree (a pushed tag to one) is read as such; the rest
    // are commits. Only excludes left (^A): no commit to scan, not every ref.
    std::vector<std::string> ranges;
    for (const std::string& r : m_options.ranges)
        if (!blobs_of_object(m->repo.get(), r, m->loose)) ranges.push_back(r);
    const bool only_objects = !m_options.ranges.empty() &&
                              std::all_of(ranges.begin(), ranges.end(), [](const std::string& r) { return r.rfind('^', 0) == 0; });
    if (!only_objects) m->commits = list_commits(m->repo.get(), ranges, m->shallow, m->tags, m->commit_source(), &m->shapes);
    const bool all_objects = m_options.all_objects && m_options.ranges.empty() && !m_options.since && !m_options.until;
    const OdbObjects objects = all_objects ? odb_objects(m->repo.get()) : OdbObjects{};
    if (all_objects) add_dangling_commits(*m, objects, summary);
    const bool window = m_options.since || m_options.until;
    if (window) keep_window(m->repo.get(), m_options, m->commits);
    if (m->commits.empty() && m->loose.empty() && m->tags.empty()) summary.warnings.push_back("no commits to scan");
    summary.notes.push_back("listed " + std::to_string(m->commits.size()) + " commits " + clock.at());
    // Everything: every ref, tags' messages and blobs no commit holds. Otherwise what a commit
    // inherits from one outside the ranges or the time window is not reported.
    const bool everything = m_options.ranges.empty() && !window;
    OidSet in_range;
    if (!everything) in_range.insert(m->commits.begin(), m->commits.end());
    m->work.resize(m->commits.size());
    std::atomic<std::size_t> cached{0};
    ScanCache* const cache = everything ? m->cache : nullptr; // a range's changes depend on the range
    parallel_for(m->commits.size(), threads, [&](unsigned w, std::size_t i) {
        const auto inspect = [&] { return inspect_commit(m->reader(w), m->worker_repo(w), m->commits[i], m->shallow, everything ? nullptr : &in_range, &m->shapes); };
        m->work[i] = cached_commit_work(cache, m->commits[i], m->shallow.count(m->commits[i]) != 0, inspect, cached);
    }, nullptr, 64); // neighbours in parents-first order share trees, which each worker caches
    if (cache && cache->active())
        summary.notes.push_back("cache: " + std::to_string(cached.load()) + " of " + std::to_string(m->commits.size()) + " commits' changes");
    collect_unique(*m);
    std::size_t changes = 0;
    for (const CommitWork& cw : m->work) changes += cw.changes.size() + cw.bases.size();
    summary.notes.push_back("found " + std::to_string(m->unique.size()) + " unique blobs in " + std::to_string(changes) + " changes " + clock.at());
    if (!m_options.messages) m->tags.clear();
    else if (everything) m->tags = all_tags(m->repo.get());
    m->messages_at = m->unique.size();
    m->tags_at = m->messages_at + (m_options.messages ? m->commits.size() : 0);
    if (everything) m->loose = blobs_outside_commits(m->repo.get());
    if (all_objects) add_unreachable_blobs(*m, objects, summary);
    m->loose_at = m->tags_at + m->tags.size();
    m->items = m->loose_at + m->loose.size();
    choose_shard_items(*m, m_options);
    return m->items;
}

void HistorySource::read(std::size_t item, unsigned worker, ChunkReader& out)
{
    const State::Role role = m->role(item);
    if (role == State::unread) return;
    git_repository* repo = m->worker_repo(worker);
    if (item < m->messages_at) return read_blob(m->reader(worker), *m->unique[item], out, role == State::own, &m->facts);
    if (item < m->tags_at) {
        const git_oid& id = m->commits[item - m->messages_at];
        return read_message(m->reader(worker), id, {SourceKind::commit_message, "", "commit " + git::to_hex(id).substr(0, 12) + " message"}, out);
    }
    if (item >= m->loose_at) return read_blob(m->reader(worker), m->loose[item - m->loose_at], out);
    const NamedTag& t = m->tags[item - m->tags_at];
    git_tag* raw = nullptr;
    if (git_tag_lookup(&raw, repo, &t.second) != 0) return; // a lightweight tag: no message
    git::Tag tag(raw);
    read_message(m->reader(worker), *git_tag_id(tag.get()), {SourceKind::tag_message, "", "tag " + tag_name(t) + " message"}, out);
    // A tag of a tag: the inner tags' messages are published with it (git keeps no bound on the
    // depth; 100 levels are far beyond any real one).
    for (int depth = 0; depth < 100 && git_tag_target_type(tag.get()) == GIT_OBJECT_TAG; ++depth) {
        if (git_tag_lookup(&raw, repo, git_tag_target_id(tag.get())) != 0) return;
        tag = git::Tag(raw);
        read_message(m->reader(worker), *git_tag_id(tag.get()), {SourceKind::tag_message, "", "tag " + tag_name(t) + " message (inner tag " +
                                                                                   std::string(git_tag_name(tag.get())) + ")"},
                     out);
    }
}

void HistorySource::set_cache(ScanCache* cache)
{
    m->cache = cache;
}

Source::CacheIdentity HistorySource::cache_identity(std::size_t item) const
{
    // --shard: an item another shard owns is not read here (or read for present_at_head alone,
    // uncounted): nothing of it may be stored or replayed as if it had been scanned.
    if (m->role(item) != State::own) return {};
    // Named as read_blob and read's messages name them.
    const auto blob = [](const Change& c, const std::string& path_key) {
        return CacheIdentity{blob_cache_key(c.blob, path_key), c.path, c.path + " (blob " + git::to_hex(c.blob).substr(0, 12) + ")"};
    };
    if (item < m->messages_at) { // every path of a Change is in class_of_path (item_key); find() alone is thread-safe
        const Change& c = *m->unique[item];
        return blob(c, m->class_keys.empty() ? "" : m->class_keys[m->class_of_path.find(c.path)->second]);
    }
    if (item < m->tags_at) {
        const git_oid& id = m->commits[item - m->messages_at];
        return {message_cache_key(id), "", "commit " + git::to_hex(id).substr(0, 12) + " message"};
    }
    if (item >= m->loose_at) {
        const Change& c = m->loose[item - m->loose_at];
        return blob(c, m->path_key ? m->path_key(c.path) : "");
    }
    return {}; // a tag's message, with its inner tags': read each time
}

std::size_t HistorySource::progress_items() const
{
    return m->messages_at;
}

void HistorySource::attribute(std::vector<std::vector<Finding>>& by_item, ScanSummary& summary, const std::function<bool(Finding)>& report)
{
    // --shard: HEAD's blobs read only for present_at_head are another shard's to list as skipped.
    std::set<std::string> others;
    for (std::size_t b = 0; b < m->unique.size() && !m->roles.empty(); ++b)
        if (m->roles[b] == State::head_only) others.insert(blob_name(*m->unique[b]));
    if (!others.empty()) std::erase_if(summary.stats.skipped, [&others](const Skipped& k) { return others.count(k.name) > 0; });
    for (Finding& f : Attribution(*m).run(by_item))
        if (!report(std::move(f))) return;
}

} // namespace secretscan
