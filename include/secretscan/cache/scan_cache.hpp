#pragma once
// The scanned-blob cache: what scanning a blob (or a commit message) found, kept between runs so
// that a history scan never scans the same content twice with the same rules, and each
// commit's changed (path, blob) pairs, so that a warm run costs little more than listing the
// commits (docs/architecture.md, "Cache"). One SQLite database per repository in the cache
// folder ($XDG_CACHE_HOME/secretscan, --cache DIR).

#include <secretscan/engine/filter_chain.hpp>
#include <secretscan/engine/finding.hpp>
#include <secretscan/engine/pipeline.hpp>
#include <secretscan/rules/rule.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

struct sqlite3;

namespace secretscan {

/// What scanning one item produced, before a source attributes its findings: the counters it
/// added, the inputs it skipped (names as the source gave them), the validator-drop lines
/// (--verbose) and per-step drop counts, and its findings.
struct CachedScan {
    std::uint64_t items = 0;
    std::uint64_t bytes = 0; ///< bytes scanned (ScanStats::bytes)
    std::vector<Skipped> skipped;
    std::vector<std::string> drops;
    DropCounts dropped{};
    std::vector<Finding> findings;
};

/// The cache folder a history scan uses by default: $XDG_CACHE_HOME/secretscan, else
/// $HOME/.cache/secretscan; empty when neither variable is set. Thread-safe.
std::string default_cache_dir();

/// A text that names every input that changes what a scan of one blob finds besides the
/// blob and its path key: the program (version and build), the rules (every field but their
/// examples and where they are written), the built-in rules only redacted (`redact_only`, may be
/// null), `policy` (the match steps' part of the configuration, e.g. --min-confidence) and
/// --max-file-size in bytes. Equal texts: equal findings. Thread-safe.
std::string scan_fingerprint(const std::vector<Rule>& rules, const std::vector<Rule>* redact_only, const std::string& policy,
                             std::uint64_t max_file_size);

/// The cache of one scan. Entries live in `dir`/history-HASH.sqlite, one file per repository
/// (HASH: of its git folder's path), keyed by an item key (the source's: blob id and path key,
/// or a commit id) under `scope` (scan_fingerprint's text, hashed); commits' changes are keyed
/// by the commit alone. Every value carries a checksum of its key and bytes. Entries of a scope,
/// and files, that no run used for 30 days are deleted.
///
/// Errors never fail a scan: a folder or file that cannot be created, opened or written is a
/// warning (take_warnings) and the scan goes on without (the rest of) the cache; a damaged file
/// (SQLite reports corruption, PRAGMA quick_check fails, a value's checksum or the schema
/// version is wrong) is a warning, deleted and created anew, never trusted. Concurrent runs
/// share a file (WAL mode, a 10 s busy timeout); entries are written in batches, one
/// transaction each, so a crash loses at most the last batch.
///
/// Thread-safety: attach() on one thread before the scan; then find, store, find_commit and
/// store_commit from any number of threads at once; flush() after them. attach() returns at
/// once and loads on a thread of its own; every other call waits for that load first (a
/// history scan lists its commits meanwhile), and the load's warnings are said then.
class ScanCache {
public:
    ScanCache(std::string dir, const std::string& scope);
    ~ScanCache(); ///< flushes
    ScanCache(const ScanCache&) = delete;
    ScanCache& operator=(const ScanCache&) = delete;

    /// Opens the file of the repository whose git folder is `git_dir` and loads its entries of
    /// this scope into memory, on a thread of its own. A second call (another source on the
    /// same repository) does nothing. After a failure the cache stays inactive: every find
    /// misses, store does nothing.
    void attach(const std::string& git_dir);
    /// Whether attach() succeeded (waits for its load).
    bool active() const;
    /// The database file ("" before attach()).
    const std::string& file() const noexcept { return m_file; }

    /// The scan stored under `key`, with each finding's path and source name set to `path` and
    /// `name` and each skipped input named `name` (its drop lines too). False when absent.
    bool find(std::string_view key, const std::string& path, const std::string& name, CachedScan& out) const;
    /// Stores `scan` under `key`; `name` is what its skipped inputs and drop lines are named
    /// after (stored without it). A scan whose reading failed (Skipped::failed) is not stored.
    void store(std::string_view key, const std::string& name, const CachedScan& scan);
    /// A commit's stored bytes (history_cache.hpp encodes them) into `bytes`, valid while the
    /// cache lives; false when absent.
    bool find_commit(std::string_view key, std::string_view& bytes) const;
    void store_commit(std::string_view key, std::string bytes);
    /// Writes what store and store_commit hold back.
    void flush();
    /// The warnings so far (each a sentence naming the folder or file and what happens next),
    /// handed over once: a scan puts them in its summary. Waits for attach()'s load.
    std::vector<std::string> take_warnings();

private:
    struct Pending {
        std::vector<std::pair<std::string, std::string>> scans, commits;
    };
    /// Keys and values read from one table, sorted by key; the bytes in one block.
    struct Entries {
        struct Row {
            std::size_t at;                     // the key's first byte in `bytes`; its value follows it
            std::uint32_t key_size, value_size; // bytes
        };
        std::string bytes;
        std::vector<Row> rows;
        void add(std::string_view key, std::string_view value);
        void sort(); ///< by key, when rows were added out of order
        bool find(std::string_view key, std::string_view& value) const; ///< false when absent
        void clear();
    };
    void open_and_load();
    void ready() const; ///< waits for attach()'s load and adds its warnings
    void warn(std::string what) const;
    void open_file(const std::string& path);
    void load();
    void close() noexcept;
    void write(Pending& batch);
    void queue(bool commit, std::string key, std::string value);

    std::string m_dir, m_scope, m_file, m_git_dir;
    mutable std::mutex m_warnings_mutex;           // guards m_warnings
    mutable std::vector<std::string> m_warnings;   // take_warnings()
    sqlite3* m_db = nullptr;
    std::int64_t m_scope_id = 0;
    Entries m_scans, m_commits; // loaded by attach()
    mutable std::thread m_loader;                    // attach()'s load
    mutable std::once_flag m_loaded;                 // ready() joined it
    mutable std::vector<std::string> m_load_warnings; // said by ready()
    std::mutex m_mutex;                                              // guards m_pending
    Pending m_pending;
    std::mutex m_db_mutex; // one writer at a time; a worker that fills a batch writes it, the others queue on
    std::atomic<bool> m_write_failed{false};
};

} // namespace secretscan
