#include <secretscan/error.hpp>
#include <secretscan/sources/staged.hpp>

#include "git/plumbing.hpp"
#include "git/repository.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <iterator>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace secretscan {

/// One way to read the staged changes: their paths, staged contents and parent versions.
class StagedSource::Backend {
public:
    virtual ~Backend() = default;
    /// The paths the commit adds or changes, in diff order.
    virtual const std::vector<std::string>& paths() const = 0;
    /// The staged content of path `i`.
    virtual std::string staged(std::size_t i) = 0;
    /// The commit's parents: HEAD, then each MERGE_HEAD.
    virtual std::size_t parent_count() const = 0;
    /// Path `i` in parent `k` (0 = HEAD; a rename's old path), empty when absent there.
    virtual std::string parent_version(std::size_t i, std::size_t k) = 0;
};

namespace {

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
    git::check(git_diff_buffers(before.data(), before.size(), path.c_str(), now.data(), now.size(), path.c_str(), &opts, nullptr,
                                nullptr, nullptr, on_line, &added),
               "diff staged", path);
    std::sort(added.begin(), added.end());
    return added;
}

/// The lines of `now` (decoded) added relative to every parent version in `parents` (their
/// bytes, HEAD's first): the intersection of the lines added against each.
std::vector<std::size_t> added_against_all(const std::vector<std::string>& parents, const std::string& now, const std::string& path)
{
    std::vector<std::size_t> added;
    for (std::size_t k = 0; k < parents.size(); ++k) {
        std::vector<std::size_t> a = added_lines(decode(parents[k]).text, now, path);
        if (k == 0) {
            added = std::move(a);
            continue;
        }
        std::vector<std::size_t> both;
        std::set_intersection(added.begin(), added.end(), a.begin(), a.end(), std::back_inserter(both));
        added = std::move(both);
    }
    return added;
}

/// One path the commit adds or changes, as `git diff-index --raw` lists it.
struct Change {
    std::string old_sha, new_sha; ///< 40 hex digits; old is all zeros for an added path
    char status;                  ///< A, M, R, C or T
};

/// The changes from tree-ish `base` to the index, in diff order, by git's plumbing (`git
/// diff-index --cached -M`, run in `top`; git honours GIT_INDEX_FILE itself): deleted and
/// unmerged paths and submodules are left out. Paths go to `paths`, one per change. Throws
/// Error(runtime) when git fails or prints what is not --raw -z output.
std::vector<Change> diff_index(const std::string& top, const std::string& base, std::vector<std::string>& paths)
{
    const std::string raw = git::output(top, {"diff-index", "--cached", "-z", "--raw", "--no-abbrev", "-M", "--ignore-submodules", base});
    std::vector<Change> changes;
    // Records: ":<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0[<new path>\0]"
    for (std::size_t at = 0; at < raw.size();) {
        const std::size_t meta_end = raw.find('\0', at);
        if (meta_end == std::string::npos || raw[at] != ':') throw Error(ErrorKind::runtime, "git diff-index: unexpected output");
        std::istringstream meta(raw.substr(at + 1, meta_end - at - 1));
        std::string old_mode, new_mode, status;
        Change c;
        meta >> old_mode >> new_mode >> c.old_sha >> c.new_sha >> status;
        c.status = status.empty() ? '?' : status[0];
        at = meta_end + 1;
        auto next_path = [&] {
            const std::size_t end = raw.find('\0', at);
            std::string p = raw.substr(at, end - at);
            at = end == std::string::npos ? raw.size() : end + 1;
            return p;
        };
        const std::string old_path = next_path();
        const std::string path = (c.status == 'R' || c.status == 'C') ? next_path() : old_path;
        if (c.status == 'D' || c.status == 'U' || new_mode == "160000") continue;
        changes.push_back(c);
        paths.push_back(path);
    }
    return changes;
}

/// The tree git's empty tree has: the base before the first commit.
const char* const empty_tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/// The staged changes: listed by git's plumbing, read through libgit2. Listing through libgit2
/// (git_index_read, which hashes the whole index, and git_diff_tree_to_index, which reads every
/// tree of HEAD) cost some 5 ms of a pre-commit hook's 20 in a repository the size of git/git;
/// `git diff-index --cached` costs 2 ms, process start included, as git skips the subtrees its
/// cache-tree says are unchanged.
class Libgit2Backend : public StagedSource::Backend {
public:
    Libgit2Backend(git::Repository repo, const std::string& top) : m_repo(std::move(repo))
    {
        index_file_from_env(top); // git reads it itself; only check that it exists
        m_parents.push_back(git::head_tree(m_repo.get()));
        for (const git_oid& id : git::merge_heads(m_repo.get())) {
            const git::Commit c = git::lookup_commit(m_repo.get(), id, "MERGE_HEAD " + git::to_hex(id));
            git_tree* t = nullptr;
            git::check(git_commit_tree(&t, c.get()), "read tree of MERGE_HEAD", git::to_hex(id));
            m_parents.emplace_back(t);
        }
        m_changes = diff_index(top, m_parents[0] ? git::to_hex(*git_tree_id(m_parents[0].get())) : empty_tree, m_paths);
    }
    const std::vector<std::string>& paths() const override { return m_paths; }
    std::string staged(std::size_t i) override
    {
        return std::string(git::blob_bytes(git::lookup_blob(m_repo.get(), oid(m_changes[i].new_sha), m_paths[i]).get()));
    }
    std::size_t parent_count() const override { return m_parents.size(); }
    std::string parent_version(std::size_t i, std::size_t k) override
    {
        if (k > 0) return std::string(git::blob_bytes(git::blob_at(m_repo.get(), m_parents[k].get(), m_paths[i]).get()));
        if (m_changes[i].status == 'A' || !m_parents[0]) return {};
        return std::string(git::blob_bytes(git::lookup_blob(m_repo.get(), oid(m_changes[i].old_sha), m_paths[i]).get()));
    }

private:
    static git_oid oid(const std::string& hex)
    {
        git_oid id;
        git::check(git_oid_fromstrn(&id, hex.data(), hex.size()), "git diff-index: bad object id", hex);
        return id;
    }

    git::Repository m_repo;
    std::vector<git::Tree> m_parents; // HEAD's (null before the first commit), then each MERGE_HEAD's
    std::vector<Change> m_changes;
    std::vector<std::string> m_paths;
};

/// The staged changes through git's plumbing, for repositories libgit2 1.5 cannot read (split
/// or sparse index). git honours GIT_INDEX_FILE itself.
class PlumbingBackend : public StagedSource::Backend {
public:
    explicit PlumbingBackend(const std::string& repo_dir)
    {
        int rc = 0;
        m_top = git::first_line(git::output(repo_dir, {"rev-parse", "--show-toplevel"}, &rc));
        if (rc != 0 || m_top.empty()) throw Error(ErrorKind::usage, repo_dir + ": not in a git work tree: 'staged' needs one");
        index_file_from_env(m_top); // git reads it itself; only check that it exists
        m_head = git::first_line(git::output(m_top, {"rev-parse", "-q", "--verify", "HEAD^{commit}"}, &rc));
        m_merge_heads = git::merge_heads_of(m_top);
        m_changes = diff_index(m_top, m_head.empty() ? empty_tree : m_head, m_paths);
        m_objects = std::make_unique<git::GitCatFile>(m_top);
    }
    const std::vector<std::string>& paths() const override { return m_paths; }
    std::string staged(std::size_t i) override
    {
        std::string bytes;
        if (!m_objects->read(m_changes[i].new_sha, bytes))
            throw Error(ErrorKind::runtime, "read staged blob of " + m_paths[i] + ": missing object " + m_changes[i].new_sha);
        return bytes;
    }
    std::size_t parent_count() const override { return 1 + m_merge_heads.size(); }
    std::string parent_version(std::size_t i, std::size_t k) override
    {
        std::string content;
        if (k > 0) m_objects->read(m_merge_heads[k - 1] + ":" + m_paths[i], content);
        else if (m_changes[i].status != 'A' && !m_head.empty()) m_objects->read(m_changes[i].old_sha, content);
        return content;
    }

private:
    std::string m_top, m_head;
    std::vector<std::string> m_merge_heads;
    std::vector<Change> m_changes;
    std::vector<std::string> m_paths;
    std::unique_ptr<git::GitCatFile> m_objects;
};

} // namespace

/// What prepare() read ahead: each staged file's bytes and added lines, up to a budget.
struct StagedSource::Preloaded {
    struct File {
        std::string bytes;
        std::vector<std::size_t> added; ///< as read() passes them (empty with all_lines)
    };
    std::vector<std::optional<File>> files; ///< item -> what was read; unset: read() reads it
    std::vector<std::string> notes;         ///< list()'s notes, given again to its summary
};

StagedSource::StagedSource(std::string repo_dir, bool all_lines) : m_repo_dir(std::move(repo_dir)), m_all_lines(all_lines) {}

StagedSource::~StagedSource() = default;

std::unique_ptr<StagedSource::Backend> StagedSource::open_backend(std::vector<std::string>& notes) const
{
    try {
        git::Repository repo = git::open(m_repo_dir);
        const auto top = git::workdir(repo.get());
        if (!top) throw Error(ErrorKind::usage, m_repo_dir + ": bare repository: 'staged' needs a work tree with an index");
        return std::make_unique<Libgit2Backend>(std::move(repo), *top);
    } catch (const Error& e) {
        if (e.cause() != ErrorCause::unreadable_by_libgit2) throw;
        notes.push_back(std::string("libgit2 cannot read this repository (") + e.what() + "); used git's plumbing");
        return std::make_unique<PlumbingBackend>(m_repo_dir);
    }
}

std::vector<std::size_t> StagedSource::added_lines_of(std::size_t item, const std::string& bytes)
{
    if (m_all_lines) return {};
    const Decoded now = decode(bytes);
    if (now.encoding == Encoding::binary) return {};
    std::vector<std::string> parents;
    for (std::size_t k = 0; k < m_backend->parent_count(); ++k) parents.push_back(m_backend->parent_version(item, k));
    return added_against_all(parents, now.text, m_backend->paths()[item]);
}

void StagedSource::prepare()
{
    m_preloaded.reset();
    m_backend.reset();
    auto pre = std::make_unique<Preloaded>();
    m_backend = open_backend(pre->notes);
    pre->files.resize(m_backend->paths().size());
    preload(*pre);
    m_preloaded = std::move(pre);
}

/// Reads the files on this thread (the backend is not thread-safe) while another works out
/// their added lines (decoding and diffing need no repository), until `budget` bytes are held.
/// Blobs are read whole before the size limit is applied, as read() does. A file that cannot
/// be read or diffed is left for read(), whose error then names it.
void StagedSource::preload(Preloaded& pre)
{
    struct Read {
        std::size_t item;
        std::string bytes;
        std::vector<std::string> parents; // HEAD's version, then each MERGE_HEAD's
    };
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<Read> queue;
    bool done = false;
    std::thread differ([&] {
        for (std::unique_lock lock(mutex);; lock.lock()) {
            ready.wait(lock, [&] { return done || !queue.empty(); });
            if (queue.empty()) return;
            Read r = std::move(queue.front());
            queue.pop_front();
            lock.unlock();
            try {
                const Decoded now = decode(r.bytes);
                Preloaded::File f;
                if (!m_all_lines && now.encoding != Encoding::binary) f.added = added_against_all(r.parents, now.text, m_backend->paths()[r.item]);
                f.bytes = std::move(r.bytes);
                pre.files[r.item] = std::move(f); // one element per item: no other thread touches it
            } catch (...) {
            }
        }
    });
    constexpr std::size_t budget = 16u << 20;
    try {
        for (std::size_t i = 0, held = 0; i < pre.files.size() && held < budget; ++i) {
            Read r{i, m_backend->staged(i), {}};
            for (std::size_t k = 0; !m_all_lines && k < m_backend->parent_count(); ++k) r.parents.push_back(m_backend->parent_version(i, k));
            for (const std::string& p : r.parents) held += p.size();
            held += r.bytes.size();
            const std::lock_guard lock(mutex);
            queue.push_back(std::move(r));
            ready.notify_one();
        }
    } catch (...) {
    }
    {
        const std::lock_guard lock(mutex);
        done = true;
    }
    ready.notify_one();
    differ.join();
}

unsigned StagedSource::max_threads() const
{
    const bool all_read = m_preloaded && std::all_of(m_preloaded->files.begin(), m_preloaded->files.end(), [](const auto& f) { return f.has_value(); });
    return all_read ? 0 : 1;
}

std::size_t StagedSource::list(ScanSummary& summary, unsigned)
{
    if (m_preloaded) { // prepare() listed them
        for (const std::string& n : m_preloaded->notes) summary.notes.push_back(n);
        return m_backend->paths().size();
    }
    std::vector<std::string> notes;
    m_backend = open_backend(notes);
    for (std::string& n : notes) summary.notes.push_back(std::move(n));
    return m_backend->paths().size();
}

void StagedSource::read(std::size_t item, unsigned, ChunkReader& out)
{
    const std::string& path = m_backend->paths()[item];
    const Preloaded::File* pre = m_preloaded && m_preloaded->files[item] ? &*m_preloaded->files[item] : nullptr;
    const std::string bytes = pre ? std::string() : m_backend->staged(item);
    const std::string& b = pre ? pre->bytes : bytes;
    if (!out.admit(path, b.size())) return;
    Chunk c{b, Provenance{SourceKind::staged, path, ""}};
    const std::vector<std::size_t> added = pre ? pre->added : added_lines_of(item, b);
    if (!m_all_lines) c.added_lines = &added;
    out.chunk(c);
}

} // namespace secretscan
