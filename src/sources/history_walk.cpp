#include "sources/history_walk.hpp"

#include <algorithm>
#include <bitset>
#include <cctype>
#include <cinttypes>
#include <ctime>
#include <filesystem>
#include <functional>
#include <fstream>
#include <queue>
#include <unordered_set>

namespace secretscan::history {

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

namespace {

/// Calls `visit` with every ref (branches, tags, remotes, stash, notes...). Throws Error(runtime).
/// Throws Error(runtime) naming a loose ref (a file below the repository's refs/) that libgit2
/// cannot read: its ref iterator passes over a damaged one (a truncated hash) without a word,
/// and the commits only that ref holds would go unscanned. git says "bad object" there.
void check_loose_refs(git_repository* repo)
{
    namespace fs = std::filesystem;
    const fs::path refs = fs::path(git_repository_commondir(repo)) / "refs";
    std::error_code ec;
    for (fs::recursive_directory_iterator it(refs, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const std::string name = "refs/" + it->path().lexically_relative(refs).generic_string();
        git_reference* ref = nullptr;
        const int rc = git_reference_lookup(&ref, repo, name.c_str());
        const git::Reference owned(ref);
        if (rc != 0 && fs::exists(it->path(), ec)) { // not one deleted since it was listed
            const git_error* e = git_error_last();
            throw Error(ErrorKind::runtime, "ref " + name + " cannot be read (" + std::string(e && e->message ? e->message : "damaged") +
                                                "): the repository is damaged; repair or delete the ref (git update-ref -d " + name + ")");
        }
    }
}

void for_each_ref(git_repository* repo, const std::function<void(git_reference*)>& visit)
{
    check_loose_refs(repo);
    git_reference_iterator* raw = nullptr;
    git::check(git_reference_iterator_new(&raw, repo), "list refs");
    const git::ReferenceIterator it(raw);
    git_reference* ref = nullptr;
    int rc;
    while ((rc = git_reference_next(&ref, it.get())) == 0) {
        const git::Reference owned(ref);
        visit(owned.get());
    }
    if (rc != GIT_ITEROVER) git::check(rc, "list refs");
}

/// Every ref and HEAD, peeled to commits.
std::vector<git_oid> all_ref_tips(git_repository* repo)
{
    std::vector<git_oid> tips;
    for_each_ref(repo, [&tips](git_reference* ref) {
        if (const auto id = git::peeled_commit(ref)) tips.push_back(*id);
    });
    git_reference* ref = nullptr;
    if (git_repository_head_unborn(repo) == 0 && git_repository_head(&ref, repo) == 0) {
        const git::Reference head(ref);
        if (const auto id = git::peeled_commit(head.get())) tips.push_back(*id);
    }
    return tips;
}

/// The commits of git log's ref set `set`: --branches, --tags and --remotes (the refs under
/// refs/heads/, refs/tags/, refs/remotes/), or --all (every ref and HEAD).
std::vector<git_oid> ref_set_tips(git_repository* repo, const std::string& set)
{
    if (set == "--all") return all_ref_tips(repo);
    const std::string prefix = set == "--branches" ? "refs/heads/" : set == "--tags" ? "refs/tags/" : "refs/remotes/";
    std::vector<git_oid> tips;
    for_each_ref(repo, [&](git_reference* ref) {
        if (std::string_view(git_reference_name(ref)).substr(0, prefix.size()) != prefix) return;
        if (const auto id = git::peeled_commit(ref)) tips.push_back(*id);
    });
    return tips;
}

/// The commits a walk starts from, and those whose ancestry it excludes.
struct Tips {
    std::vector<git_oid> include, exclude;
};

Tips resolve_ranges(git_repository* repo, const std::vector<std::string>& ranges, std::vector<NamedTag>& named_tags)
{
    Tips t;
    if (ranges.empty()) t.include = all_ref_tips(repo);
    auto resolve = [repo](const std::string& spec) { return *git_commit_id(git::peel_commit(repo, spec.empty() ? "HEAD" : spec).get()); };
    for (const std::string& r : ranges) {
        if (r == "--all" || r == "--branches" || r == "--tags" || r == "--remotes") {
            const auto tips = ref_set_tips(repo, r);
            t.include.insert(t.include.end(), tips.begin(), tips.end());
        } else if (!r.empty() && r[0] == '^') {
            t.exclude.push_back(resolve(r.substr(1)));
        } else if (const auto dots3 = r.find("..."); dots3 != std::string::npos) {
            const git_oid a = resolve(r.substr(0, dots3)), b = resolve(r.substr(dots3 + 3));
            t.include.insert(t.include.end(), {a, b});
            git::OidArray bases;
            const int rc = git_merge_bases(&bases.value, repo, &a, &b);
            if (rc != GIT_ENOTFOUND) git::check(rc, "find merge bases of", r);
            t.exclude.insert(t.exclude.end(), bases.value.ids, bases.value.ids + bases.value.count);
        } else if (const auto dots2 = r.find(".."); dots2 != std::string::npos) {
            t.exclude.push_back(resolve(r.substr(0, dots2)));
            t.include.push_back(resolve(r.substr(dots2 + 2)));
        } else {
            t.include.push_back(resolve(r)); // first: it says when a ref's object is missing
            // A range that names an annotated tag includes the tag's message.
            if (const git::Object o = git::try_revparse(repo, r); o && git_object_type(o.get()) == GIT_OBJECT_TAG)
                named_tags.emplace_back(r, *git_object_id(o.get()));
        }
    }
    return t;
}

/// A commit's tree and parents, read from its raw object ("tree ID", then "parent ID" lines).
struct RawCommit {
    git_oid tree{};
    std::vector<git_oid> parents;
    std::int64_t time = 0; ///< the committer's, seconds since 1970, as git reads it (committer_time)
};

/// The committer time of raw commit `c` as git reads it (commit.c, parse_commit_date), which is
/// what its commit-graph holds: the line after the parents must be "author ...", the next
/// "committer ..."; the time is what follows the last '>' of that line and its blanks, read as
/// strtoumax does (a '-' wraps around), kept to its low 34 bits as the graph keeps it; 0 when a
/// line is missing or no digit follows. `at`: where the parent lines end.
std::int64_t committer_time(std::string_view c, std::size_t at)
{
    if (c.substr(at, 6) != "author") return 0;
    const std::size_t line = c.find('\n', at);
    if (line == std::string_view::npos || c.substr(line + 1, 9) != "committer") return 0;
    const std::size_t eol = c.find('\n', line + 1);
    if (eol == std::string_view::npos) return 0;
    std::size_t date = eol;
    while (date > line + 1 && c[date - 1] != '>') --date;
    if (date == line + 1) return 0;
    while (date < eol && (c[date] == ' ' || c[date] == '\t' || c[date] == '\r')) ++date;
    if (date == eol || (!std::isdigit(static_cast<unsigned char>(c[date])) && c[date] != '-')) return 0;
    const std::string digits(c.substr(date, eol - date));
    return static_cast<std::int64_t>(std::strtoumax(digits.c_str(), nullptr, 10) & 0x3ffffffffull);
}

RawCommit parse_commit(git::ObjectReader& reader, const git_oid& id)
{
    const git::SharedBytes raw = reader.read_owned(id, git::ObjectType::commit);
    const std::string_view c = raw->view();
    RawCommit out;
    if (c.substr(0, 5) != "tree " || c.size() < 46 || git_oid_fromstrn(&out.tree, c.data() + 5, GIT_OID_HEXSZ) != 0)
        throw Error(ErrorKind::runtime, "read commit " + git::to_hex(id) + ": no tree line (the repository is damaged)");
    std::size_t at = 46;
    for (; c.substr(at, 7) == "parent " && c.size() >= at + 48; at += 48) {
        git_oid p;
        if (git_oid_fromstrn(&p, c.data() + at + 7, GIT_OID_HEXSZ) != 0)
            throw Error(ErrorKind::runtime, "read commit " + git::to_hex(id) + ": malformed parent line (the repository is damaged)");
        out.parents.push_back(p);
    }
    out.time = committer_time(c, at);
    return out;
}

struct Node {
    git_oid id;
    std::int64_t time;
    std::vector<git_oid> parents; ///< as the scan sees them: none at a shallow boundary
    git_oid tree;
};

Node load_node(git_repository* repo, const CommitSource& from, const git_oid& id, const OidSet& shallow, const Shapes* shapes = nullptr)
{
    if (const auto it = shapes ? shapes->find(id) : Shapes::const_iterator(); shapes && it != shapes->end())
        return {id, it->second.time, it->second.parents, it->second.tree};
    if (git::CommitGraph::Commit c; from.graph && from.graph->find(id, c))
        return {id, c.time, shallow.count(id) ? std::vector<git_oid>{} : std::move(c.parents), c.tree};
    if (from.reader) {
        RawCommit raw = parse_commit(*from.reader, id);
        return {id, raw.time, shallow.count(id) ? std::vector<git_oid>{} : std::move(raw.parents), raw.tree};
    }
    const git::Commit c = git::lookup_commit(repo, id, git::to_hex(id));
    Node n{id, static_cast<std::int64_t>(git_commit_time(c.get())), {}, *git_commit_tree_id(c.get())};
    if (!shallow.count(id))
        for (unsigned i = 0; i < git_commit_parentcount(c.get()); ++i) n.parents.push_back(*git_commit_parent_id(c.get(), i));
    return n;
}

/// The commits reachable from `t.include` but not from `t.exclude`, with their index by id.
std::vector<Node> reachable(git_repository* repo, const CommitSource& from, const Tips& t, const OidSet& shallow,
                            OidMap<std::size_t>& index, const Shapes* shapes = nullptr)
{
    OidSet hidden;
    for (std::vector<git_oid> stack = t.exclude; !stack.empty();) {
        const git_oid id = stack.back();
        stack.pop_back();
        if (!hidden.insert(id).second) continue;
        for (const git_oid& p : load_node(repo, from, id, shallow).parents) stack.push_back(p);
    }
    std::vector<Node> nodes;
    for (std::vector<git_oid> stack = t.include; !stack.empty();) {
        const git_oid id = stack.back();
        stack.pop_back();
        if (hidden.count(id) || index.count(id)) continue;
        index.emplace(id, nodes.size());
        nodes.push_back(load_node(repo, from, id, shallow, shapes));
        for (const git_oid& p : nodes.back().parents) stack.push_back(p);
    }
    return nodes;
}

/// Kahn's algorithm: a commit is ready once all of its included parents are out; of the ready
/// ones, the oldest (then the smallest id) goes first.
std::vector<git_oid> parents_first(const std::vector<Node>& nodes, const OidMap<std::size_t>& index)
{
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

/// The entry at `path` in `tree`, or null.
git::TreeEntry entry_at(git_tree* tree, const std::string& path)
{
    git_tree_entry* e = nullptr;
    if (git_tree_entry_bypath(&e, tree, path.c_str()) != 0) return nullptr;
    return git::TreeEntry(e);
}

/// For a parent outside the range: what it already holds of `work.changes`.
void add_bases(git_repository* repo, git_tree* base, CommitWork& work)
{
    // Content the parent holds under any path (a rename, a copy) is not new either.
    std::vector<Change> all;
    changed_blobs(repo, nullptr, base, "", all);
    OidSet held;
    for (const Change& c : all) held.insert(c.blob);
    for (const Change& c : work.changes)
        if (held.count(c.blob)) work.bases.push_back(c);
    for (const Change& c : work.changes)
        if (const git::TreeEntry e = entry_at(base, c.path); e && git_tree_entry_type(e.get()) == GIT_OBJECT_BLOB)
            work.bases.push_back({c.path, *git_tree_entry_id(e.get())});
}

} // namespace

std::vector<git_oid> list_commits(git_repository* repo, const std::vector<std::string>& ranges, const OidSet& shallow,
                                  std::vector<NamedTag>& named_tags, const CommitSource& from, Shapes* shapes)
{
    const Tips tips = resolve_ranges(repo, ranges, named_tags);
    OidMap<std::size_t> index;
    std::vector<Node> nodes = reachable(repo, from, tips, shallow, index);
    std::vector<git_oid> order = parents_first(nodes, index);
    if (shapes)
        for (Node& n : nodes) shapes->insert_or_assign(n.id, CommitShape{n.tree, std::move(n.parents), n.time});
    return order;
}

namespace {

/// Every commit the refs reach, children before parents, with each one's parents by index.
struct Graph {
    std::vector<git_oid> ids;
    std::vector<std::vector<std::size_t>> parents;
    OidMap<std::size_t> index;
};

Graph commit_graph(git_repository* repo, const CommitSource& from, const std::vector<git_oid>& tips, const OidSet& shallow,
                   const Shapes* shapes)
{
    OidMap<std::size_t> index;
    const Tips all{tips, {}};
    const std::vector<Node> nodes = reachable(repo, from, all, shallow, index, shapes);
    const std::vector<git_oid> order = parents_first(nodes, index);
    Graph g;
    for (std::size_t i = order.size(); i-- > 0;) g.index.emplace(order[i], g.ids.size()), g.ids.push_back(order[i]);
    g.parents.resize(g.ids.size());
    for (std::size_t i = 0; i < g.ids.size(); ++i)
        for (const git_oid& p : nodes[index.at(g.ids[i])].parents)
            if (const auto it = g.index.find(p); it != g.index.end()) g.parents[i].push_back(it->second);
    return g;
}

} // namespace

std::vector<std::vector<std::string>> refs_reaching(git_repository* repo, const std::vector<git_oid>& targets, const OidSet& shallow,
                                                    const CommitSource& from, const Shapes* shapes)
{
    std::vector<std::pair<std::string, git_oid>> refs;
    for_each_ref(repo, [&refs](git_reference* ref) {
        if (const auto id = git::peeled_commit(ref)) refs.emplace_back(git_reference_name(ref), *id);
    });
    std::vector<git_oid> tips;
    for (const auto& r : refs) tips.push_back(r.second);
    const Graph g = commit_graph(repo, from, tips, shallow, shapes);
    std::vector<std::vector<std::string>> out(targets.size());
    constexpr std::size_t pass = 1024;
    for (std::size_t first = 0; first < refs.size(); first += pass) {
        std::vector<std::bitset<pass>> reach(g.ids.size());
        for (std::size_t r = first; r < std::min(refs.size(), first + pass); ++r) reach[g.index.at(refs[r].second)].set(r - first);
        for (std::size_t i = 0; i < g.ids.size(); ++i) // children first: a commit's set is complete when it is reached
            for (const std::size_t p : g.parents[i]) reach[p] |= reach[i];
        for (std::size_t t = 0; t < targets.size(); ++t)
            if (const auto it = g.index.find(targets[t]); it != g.index.end())
                for (std::size_t r = 0; r < pass; ++r)
                    if (reach[it->second].test(r)) out[t].push_back(refs[first + r].first);
    }
    for (auto& names : out) std::sort(names.begin(), names.end());
    return out;
}

std::vector<NamedTag> all_tags(git_repository* repo)
{
    std::vector<NamedTag> tags;
    auto collect = [](const char* name, git_oid* oid, void* payload) -> int {
        static_cast<std::vector<NamedTag>*>(payload)->emplace_back(name, *oid);
        return 0;
    };
    git::check(git_tag_foreach(repo, collect, &tags), "list tags");
    return tags;
}

namespace {

/// Appends the blobs of `object` (a blob, or a tree's) named after `name`; false for a commit.
bool append_blobs(git_repository* repo, git_object* object, const std::string& name, std::vector<Change>& out)
{
    if (git_object_type(object) == GIT_OBJECT_BLOB) out.push_back({name, *git_object_id(object)});
    else if (git_object_type(object) == GIT_OBJECT_TREE) changed_blobs(repo, nullptr, reinterpret_cast<git_tree*>(object), name + ":", out);
    else return false;
    return true;
}

} // namespace

bool blobs_of_object(git_repository* repo, const std::string& spec, std::vector<Change>& out)
{
    if (spec.empty() || spec[0] == '^' || spec[0] == '-' || spec.find("..") != std::string::npos) return false;
    git_reference* ref = nullptr;
    if (git_reference_dwim(&ref, repo, spec.c_str()) == 0) { // a ref: read through peeled_commit, which
        const git::Reference named(ref);                      // says when its object is missing
        if (git::peeled_commit(named.get())) return false;
        git_object* target = nullptr;
        if (git_reference_peel(&target, named.get(), GIT_OBJECT_ANY) != 0) return false;
        const git::Object object(target);
        return append_blobs(repo, target, spec, out);
    }
    const git::Object named = git::try_revparse(repo, spec);
    if (!named) return false;
    // Through annotated tags only (libgit2 peels a commit "to any type" to its tree).
    git_object* raw = nullptr;
    const bool tag = git_object_type(named.get()) == GIT_OBJECT_TAG;
    if ((tag ? git_object_peel(&raw, named.get(), GIT_OBJECT_ANY) : git_object_dup(&raw, named.get())) != 0) return false;
    const git::Object object(raw);
    return append_blobs(repo, object.get(), spec, out);
}

std::vector<Change> blobs_outside_commits(git_repository* repo)
{
    std::vector<Change> out;
    for_each_ref(repo, [repo, &out](git_reference* ref) {
        if (git_reference_type(ref) != GIT_REFERENCE_DIRECT || git::peeled_commit(ref)) return; // peeled_commit throws when damaged
        const std::string name = git_reference_name(ref);
        git_object* target = nullptr;
        git::check(git_reference_peel(&target, ref, GIT_OBJECT_ANY), "read the object of ref", name);
        const git::Object object(target);
        append_blobs(repo, target, name, out);
    });
    return out;
}

OdbObjects odb_objects(git_repository* repo)
{
    const git::Odb odb = git::odb(repo);
    std::vector<git_oid> all;
    const auto collect = [](const git_oid* id, void* into) {
        static_cast<std::vector<git_oid>*>(into)->push_back(*id);
        return 0;
    };
    git::check(git_odb_foreach(odb.get(), collect, &all), "list the object database of", git_repository_path(repo));
    const auto less = [](const git_oid& a, const git_oid& b) { return git_oid_cmp(&a, &b) < 0; };
    std::sort(all.begin(), all.end(), less);
    all.erase(std::unique(all.begin(), all.end(), [](const git_oid& a, const git_oid& b) { return git_oid_equal(&a, &b); }), all.end());
    OdbObjects out;
    for (const git_oid& id : all) {
        std::size_t size = 0;
        git_object_t type{};
        git::check(git_odb_read_header(&size, &type, odb.get(), &id), "read the header of object", git::to_hex(id));
        if (type == GIT_OBJECT_COMMIT) out.commits.push_back(id);
        else if (type == GIT_OBJECT_BLOB) out.blobs.push_back(id);
    }
    return out;
}

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
            const git::Tree sub_now = git::lookup_tree(repo, *git_tree_entry_id(e), dir);
            git::Tree sub_before;
            if (old && git_tree_entry_type(old) == GIT_OBJECT_TREE) sub_before = git::lookup_tree(repo, *git_tree_entry_id(old), dir);
            changed_blobs(repo, sub_before.get(), sub_now.get(), dir, out);
        } else if (type == GIT_OBJECT_BLOB) {
            out.push_back({prefix + name, *git_tree_entry_id(e)});
        } // GIT_OBJECT_COMMIT: a submodule, scanned in its own repository
    }
}

namespace {

/// One entry of a raw tree object.
struct RawEntry {
    std::string_view name;
    const unsigned char* id = nullptr;
    bool tree = false, blob = false; // neither: a submodule (a commit)
};

/// The entry of raw tree `t` at `i` (advanced past it); false at the end. Throws
/// Error(runtime) for a malformed entry.
bool next_entry(std::string_view t, std::size_t& i, RawEntry& e, const std::string& where)
{
    if (i >= t.size()) return false;
    const std::size_t sp = t.find(' ', i), nul = sp == std::string_view::npos ? sp : t.find('\0', sp);
    if (nul == std::string_view::npos || nul + 21 > t.size() || sp == i)
        throw Error(ErrorKind::runtime, "read tree " + where + ": malformed entry (the repository is damaged)");
    unsigned mode = 0;
    for (std::size_t k = i; k < sp; ++k) mode = mode * 8 + static_cast<unsigned>(t[k] - '0');
    e.tree = (mode & 0170000u) == 0040000u;
    e.blob = !e.tree && (mode & 0170000u) != 0160000u;
    e.name = t.substr(sp + 1, nul - sp - 1);
    e.id = reinterpret_cast<const unsigned char*>(t.data()) + nul + 1;
    i = nul + 21;
    return true;
}

/// git's tree order: names compared bytewise, a tree's name as if it ended in '/'.
int tree_order(const RawEntry& a, const RawEntry& b) noexcept
{
    const std::size_t n = std::min(a.name.size(), b.name.size());
    if (const int c = std::memcmp(a.name.data(), b.name.data(), n)) return c;
    const int ca = a.name.size() > n ? static_cast<unsigned char>(a.name[n]) : (a.tree ? '/' : 0);
    const int cb = b.name.size() > n ? static_cast<unsigned char>(b.name[n]) : (b.tree ? '/' : 0);
    return ca - cb;
}

git_oid oid_of(const unsigned char* raw) noexcept
{
    git_oid id;
    std::memcpy(id.id, raw, GIT_OID_RAWSZ);
    return id;
}

/// The length of the raw tree entry at `i` of `t` (mode, name, NUL, id), or 0 when malformed.
std::size_t entry_length(std::string_view t, std::size_t i) noexcept
{
    const void* nul = std::memchr(t.data() + i, 0, t.size() - i);
    const std::size_t end = nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - t.data()) + 21 : 0;
    return end && end <= t.size() ? end - i : 0;
}

/// Where `now` and `old` stop being the same entries, byte for byte, from their start.
std::size_t same_entries(std::string_view now, std::string_view old) noexcept
{
    std::size_t i = 0;
    for (std::size_t n; i < now.size() && (n = entry_length(now, i)) && n <= old.size() - i &&
                        std::memcmp(now.data() + i, old.data() + i, n) == 0;)
        i += n;
    return i;
}

/// changed_blobs on raw trees read through `reader`: the blobs of tree `now` whose id differs
/// from the same path in tree `before` (null: all of them). A commit changes few entries of a
/// tree: the entries both trees share byte for byte before the first change cost one
/// comparison each, and once the rest of both is the same bytes nothing further is parsed.
void changed_raw(git::ObjectReader& reader, const git_oid* before, const git_oid& now, const std::string& prefix,
                 std::vector<Change>& out)
{
    const git::SharedBytes now_b = reader.read_owned(now, git::ObjectType::tree);
    const git::SharedBytes old_b = before ? reader.read_owned(*before, git::ObjectType::tree) : nullptr;
    const std::string_view nt = now_b->view(), ot = old_b ? old_b->view() : std::string_view();
    std::size_t i = old_b ? same_entries(nt, ot) : 0, j = i, old_at = j;
    RawEntry e, old;
    bool have_old = old_b && next_entry(ot, j, old, prefix), differed = false;
    const auto next_old = [&] {
        old_at = j;
        have_old = next_entry(ot, j, old, prefix);
    };
    for (std::size_t at = i; next_entry(nt, i, e, prefix); at = i) {
        while (have_old && tree_order(old, e) < 0) next_old();
        if (differed && have_old && nt.substr(at) == ot.substr(old_at)) return; // the rest is the same entries
        const bool same_name = have_old && tree_order(old, e) == 0;
        differed = !same_name || std::memcmp(old.id, e.id, GIT_OID_RAWSZ) != 0;
        if (differed && e.tree) {
            const git_oid old_id = same_name ? oid_of(old.id) : git_oid{};
            changed_raw(reader, same_name && old.tree ? &old_id : nullptr, oid_of(e.id), prefix + std::string(e.name) + "/", out);
        } else if (differed && e.blob) {
            out.push_back({prefix + std::string(e.name), oid_of(e.id)});
        } // a submodule: scanned in its own repository
        if (same_name) next_old();
    }
}

/// The id of the blob at `path` in tree `tree`, or false when there is none.
bool blob_at(git::ObjectReader& reader, git_oid tree, std::string_view path, git_oid& out)
{
    for (std::size_t start = 0;;) {
        const std::size_t slash = path.find('/', start);
        const std::string_view name = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
        const git::SharedBytes t = reader.read_owned(tree, git::ObjectType::tree);
        RawEntry e;
        std::size_t i = 0;
        bool found = false;
        while (!found && next_entry(t->view(), i, e, "")) found = e.name == name && e.tree == (slash != std::string_view::npos);
        if (!found) return false;
        if (slash == std::string_view::npos) return out = oid_of(e.id), e.blob;
        tree = oid_of(e.id);
        start = slash + 1;
    }
}

/// Keeps the changes whose blob differs from parent tree `other` at the same path too. A
/// merge's changes against its first parent are few, while its tree can differ from another
/// parent's in everything the first parent's line did since they forked: each change's path is
/// looked up rather than the trees compared.
void keep_new_to(git::ObjectReader& reader, const git_oid& other, std::vector<Change>& changes)
{
    std::erase_if(changes, [&](const Change& c) {
        git_oid there;
        return blob_at(reader, other, c.path, there) && git_oid_equal(&there, &c.blob);
    });
}

} // namespace

CommitWork inspect_commit(git::ObjectReader& reader, git_repository* repo, const git_oid& id, const OidSet& shallow,
                          const OidSet* in_range, const Shapes* shapes)
{
    // A commit list_commits did not list (a parent outside the range) is read into `slot`.
    const auto shape = [&](const git_oid& c, CommitShape& slot) -> const CommitShape& {
        if (const auto it = shapes ? shapes->find(c) : Shapes::const_iterator(); shapes && it != shapes->end()) return it->second;
        RawCommit raw = parse_commit(reader, c);
        slot = CommitShape{raw.tree, shallow.count(c) ? std::vector<git_oid>{} : std::move(raw.parents)};
        return slot;
    };
    CommitWork work;
    CommitShape own, other;
    const CommitShape& commit = shape(id, own);
    const std::vector<git_oid>& parents = commit.parents;
    if (parents.empty()) {
        changed_raw(reader, nullptr, commit.tree, "", work.changes);
        return work;
    }
    std::vector<git_oid> trees;
    trees.reserve(parents.size());
    for (const git_oid& p : parents) trees.push_back(shape(p, other).tree);
    changed_raw(reader, &trees[0], commit.tree, "", work.changes);
    // A merge adds only what differs from every parent.
    for (std::size_t p = 1; p < parents.size() && !work.changes.empty(); ++p) keep_new_to(reader, trees[p], work.changes);
    if (work.changes.capacity() > 2 * work.changes.size() + 8) work.changes.shrink_to_fit(); // held until the scan ends: a merge keeps few of what its first parent lacks
    // A parent outside the range already holds whatever its blobs hold.
    for (std::size_t p = 0; in_range && p < parents.size(); ++p)
        if (!in_range->count(parents[p])) add_bases(repo, git::lookup_tree(repo, trees[p], "of a parent of " + git::to_hex(id)).get(), work);
    return work;
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

std::string person(const git_signature* s)
{
    return std::string(s->name) + " <" + s->email + ">";
}

} // namespace secretscan::history
