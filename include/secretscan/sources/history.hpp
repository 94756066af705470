#pragma once
// Commits: every ref's history, or revision ranges (`secretscan history`, CI).

#include <secretscan/engine/pipeline.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

struct HistoryOptions {
    /// Revision ranges as git log takes them ("A..B", "A...B", "^A", "B", and the ref sets
    /// "--all", "--branches", "--tags", "--remotes"); empty = every ref (branches, tags, remotes,
    /// stash, notes) and HEAD, like `git log --all`.
    std::vector<std::string> ranges;
    bool messages = true; ///< also scan commit messages and (with no range) annotated tag messages
    /// Commit-time window, seconds since 1970 UTC, inclusive (git log --since / --until): commits
    /// outside it are not scanned, and what a commit inside it inherits from one outside is not
    /// reported, as with a range. Unset = no limit.
    std::optional<std::int64_t> since, until;
    /// With no ranges: also every commit in the object database that no ref reaches (its
    /// ancestry walked like a ref's) and every blob no scanned commit names, reported with the
    /// path "(unreachable)/" + its id. Lists every object's type once (git_odb_foreach).
    bool all_objects = false;
    /// history --shard I/N (shard_index I < shard_count N): every shard walks the whole history
    /// alike, then reads and reports only its share: the blobs whose findings are named by a
    /// path that shard_of() gives to it (so no finding can be split between shards), and in
    /// shard 0 the commit and tag messages. Every shard also reads the messages (commit
    /// subjects are shown redacted) and HEAD's blobs (present_at_head), neither counted nor
    /// reported there. The shards' reports, merged (`report merge`), are the report of one
    /// process. shard_count 1: everything.
    unsigned shard_index = 0, shard_count = 1;
};

/// The shard of `count` that a finding named by `path` belongs to: FNV-1a (64 bits) of the
/// path's bytes, modulo count; the same on every machine. Thread-safe.
unsigned shard_of(std::string_view path, unsigned count) noexcept;

/// The part of `git log` options (gitleaks' --log-opts) a history scan honours, read from one
/// string split as a POSIX shell splits words (quotes and backslashes; no expansions):
/// revisions and ranges, --all, --branches, --tags, --remotes, --since/--after and
/// --until/--before (each as --opt=V or --opt V). Dates: YYYY-MM-DD, optionally with
/// [T ]HH:MM[:SS] and Z or ±HH[:]MM (local time without one, as git), @SECONDS, or
/// "N second(s)|minute(s)|hour(s)|day(s)|week(s)|month(s)|year(s) ago" relative to `now`.
/// Throws Error(usage) naming any other option (-n, --author, --first-parent, -- PATH...), a
/// date it cannot read, or an unterminated quote. Thread-safe.
HistoryOptions parse_log_opts(const std::string& opts, std::int64_t now);

/// `history`: the commits reachable from the ranges, parents first (topological order, ties
/// broken by commit time). Every (path, blob) that a commit adds relative to all of its parents
/// is collected; the items are the unique blobs (each read and scanned once per distinct
/// path key of its paths (set_path_key), in parallel, one repository handle per worker), then the
/// commit messages, then the annotated tags' messages. A finding is one (rule, secret, path),
/// attributed to the first commit in that order whose blob holds it; later blobs that still hold
/// it, and the same content under another path of the same key, increase `occurrences`. With ranges, what a parent outside them already holds is not
/// reported. Each file finding says whether HEAD still holds it. Works on bare repositories; a
/// shallow one adds a warning; no commit at all adds the warning "no commits to scan".
/// list() throws Error(usage) when repo_dir is not a repository or a range does not resolve;
/// list() and read() throw Error(runtime) on a corrupt or missing object.
class HistorySource : public Source {
public:
    HistorySource(std::string repo_dir, HistoryOptions options);
    ~HistorySource() override;
    std::string unit() const override { return "blobs"; }
    std::size_t list(ScanSummary& summary, unsigned threads) override;
    void read(std::size_t item, unsigned worker, ChunkReader& out) override;
    void set_path_key(PathKey key) override;
    /// Blobs by (id, path key), commit messages by commit id; tag messages are not cached.
    CacheIdentity cache_identity(std::size_t item) const override;
    /// Attached to the repository in list(); a full walk (no ranges, no time window) also keeps
    /// each commit's changed (path, blob) pairs there.
    void set_cache(ScanCache* cache) override;
    bool needs_whole_scan() const override { return true; }
    std::size_t batch() const override { return 64; }
    bool expects_bulk() const override { return m_options.ranges.empty() && !m_options.since && !m_options.until; }
    std::size_t progress_items() const override;
    void attribute(std::vector<std::vector<Finding>>& by_item, ScanSummary& summary,
                   const std::function<bool(Finding)>& report) override;

    /// After list(): a digest (64 hex digits) of what the walk found (the commits in order, the
    /// tags and the blobs refs name without a commit), the same in every shard of one history:
    /// `report merge` refuses shards of different histories. Thread-safe after list().
    std::string walk_digest() const;

    struct State; ///< what list() learns; internal

private:
    std::string m_repo_dir;
    HistoryOptions m_options;
    std::unique_ptr<State> m;
};

} // namespace secretscan
