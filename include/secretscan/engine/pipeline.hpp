#pragma once
// The pipeline: sources -> chunks -> decoders -> matcher -> filter chain -> sinks, driven by one
// function, run_scan (docs/architecture.md, "Pipeline"). A Source lists its work and reads it as
// chunks; the Scanner turns each chunk into findings; run_scan owns the threads, the size and
// binary skips, the timing and the finding steps of the filter chain, and hands the findings to
// a FindingSink, the only way out of the engine.

#include <secretscan/engine/chunk.hpp>
#include <secretscan/engine/filter_chain.hpp>
#include <secretscan/engine/finding.hpp>
#include <secretscan/engine/scanner.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

class ScanCache; // cache/scan_cache.hpp

/// Where a scan is, for a progress display. `phase` is "listing" (the source is finding its
/// items: no counts yet), "scanning" or "done" (the last call). `done` and `total` count items
/// (files, blobs, messages; skipped ones included), `bytes` the bytes of the items done,
/// `seconds` the time since the phase started.
struct Progress {
    std::string_view phase;
    std::string_view unit;
    std::uint64_t done = 0, total = 0, bytes = 0;
    double seconds = 0.0;
};

/// Settings shared by every scan.
struct ScanOptions {
    /// Bytes; larger inputs are skipped and listed. Files on disk are read in segments
    /// (FilesSource), so this bounds their scan time, not memory; a blob or standard input is held
    /// whole, so this bounds the memory each worker holds.
    std::uint64_t max_file_size = 100u << 20;
    unsigned threads = 0;                    ///< 0 = one per core; at most 4 per core and 256 (more is that many)
    bool explain_drops = false;              ///< list every dropped match in ScanStats::drops
    bool explain_validator_drops = false;    ///< list the matches a validator dropped (a token whose check digits fail) in ScanStats::drops
    /// Called when each phase starts, every `progress_interval` seconds while items are scanned,
    /// and once with "done"; from one thread at a time (a reporter thread, or the caller's).
    /// Empty: no progress is reported and no thread is started.
    std::function<void(const Progress&)> progress;
    double progress_interval = 0.25;
    /// The scanned-blob cache (cache/scan_cache.hpp), or null. Items with a cache identity
    /// (Source::cache_identity) are taken from it when it holds them, and stored in it when
    /// read. Not used for reading with explain_drops (every dropped match is listed afresh).
    ScanCache* cache = nullptr;
};

/// Number of items from which a scan switches the matcher to its bulk prefilter
/// (Matcher::accelerate): below it, compiling that prefilter would cost more than it saves.
inline constexpr std::size_t bulk_scan_items = 256;

/// An input that was not scanned, and why ("binary", "larger than --max-file-size (N bytes; the limit is M)": the text before " (" or ',' is its kind).
struct Skipped {
    std::string name;
    std::string reason;
    /// Reading it failed (permissions, an I/O error, a path too long): the scan is incomplete,
    /// which the command reports as exit code 3 whatever --exit-zero, a baseline or an allowlist
    /// say. False for what is passed over on purpose (binary, too large, a link).
    bool failed = false;
};

/// Counters of one scan. `items` counts the files, blobs or messages scanned; `bytes` their size
/// before decoding. Skipped inputs are listed, never counted in `items`.
struct ScanStats {
    std::uint64_t items = 0;
    std::uint64_t bytes = 0;
    std::vector<Skipped> skipped;
    std::vector<std::string> drops; ///< with ScanOptions::explain_drops: Scanner::scan_chunk's lines
    double seconds = 0.0;
    std::string unit = "files"; ///< what items are: "files", "blobs", "messages"

    /// Adds another worker's counters to these.
    void merge(const ScanStats& other);
    /// The items with their unit: "1 file", "3 blobs".
    std::string counted() const;
};

/// What a whole scan reports besides its findings.
struct ScanSummary {
    ScanStats stats;
    std::vector<std::string> warnings; ///< e.g. "shallow repository: history is incomplete"
    std::vector<std::string> notes;    ///< progress facts for --verbose (phase timings, counts)
    std::size_t findings = 0;          ///< findings the sink received
    DropCounts dropped{};              ///< matches each filter step dropped during this scan
    bool stopped = false;              ///< the sink asked to stop before the scan's end
    std::uint64_t ignored = 0;         ///< files and folders a directory scan passed over for .gitignore
};

/// Whether `bytes` are a whole Git LFS pointer file, as the Git LFS specification
/// (github.com/git-lfs/git-lfs, docs/spec.md) defines one: at most 1,024 bytes, LF line ends,
/// "version https://git-lfs.github.com/spec/v1" (or the pre-release hawser URL) first, then only
/// "ext-N-NAME sha256:HEX64" lines, "oid sha256:HEX64" and "size DIGITS", each once where the
/// spec says once. Strict, so nothing else can hide in a file that claims to be a pointer: a
/// pointer holds no secret (the content lives in LFS storage, which no scan here reads).
/// Thread-safe.
bool is_lfs_pointer(std::string_view bytes);

/// What a Source hands its chunks to, on the worker thread reading them. Counts into the
/// worker's stats; findings go to the item being read. Not thread-safe: one per item.
class ChunkReader {
public:
    ChunkReader(const Scanner& scanner, const ScanOptions& options, ScanStats& stats, std::vector<Finding>& findings)
        : m_scanner(scanner), m_options(options), m_stats(stats), m_findings(findings)
    {
    }
    /// Also lists the matches a validator dropped when ScanOptions asks for none (the cache
    /// keeps them for a later --verbose run).
    void record_validator_drops() noexcept { m_record_validator_drops = true; }
    /// Whether an input of `size` bytes is within --max-file-size; when it is not, it is listed
    /// as skipped under `name`. Sources ask before reading a large object (a blob's header).
    bool admit(const std::string& name, std::uint64_t size);
    /// --max-file-size in bytes: a source that cannot know an input's size before reading it
    /// (standard input, a pipe, a device) reads at most this much plus one byte.
    std::uint64_t max_size() const noexcept { return m_options.max_file_size; }
    /// Scans one chunk: size (unless unlimited), decode stage (a binary chunk is listed as
    /// skipped), matcher, filter chain. Counts it in items and bytes when `counted`. Throws what
    /// Scanner::scan_chunk throws.
    void chunk(const Chunk& c, bool counted = true);
    /// Counts one input of `bytes` bytes whose chunks were given with `counted` false (a file
    /// read in segments).
    void count(std::uint64_t bytes);
    /// An input passed over: listed as skipped; `failed` when reading it failed (Skipped::failed).
    void skip(std::string name, std::string reason, bool failed = false);

private:
    const Scanner& m_scanner;
    const ScanOptions& m_options;
    ScanStats& m_stats;
    std::vector<Finding>& m_findings;
    bool m_record_validator_drops = false;
};

/// A kind of input (files, the index, history...). run_scan calls list() once, then read() for
/// each item from worker threads, then, when needs_whole_scan(), attribute().
class Source {
public:
    virtual ~Source() = default;
    /// What the items are counted as: "files", "blobs", "messages".
    virtual std::string unit() const = 0;
    /// Lists the work on the calling thread (a source may use `threads` workers of its own for
    /// it) and returns the number of items. May add warnings, notes and skipped inputs.
    virtual std::size_t list(ScanSummary& summary, unsigned threads) = 0;
    /// Reads item `item` on worker `worker` (< the thread count) and hands its chunks to `out`.
    /// Called once per item, for different items at once on different workers.
    virtual void read(std::size_t item, unsigned worker, ChunkReader& out) = 0;
    /// What in a path decides the findings a text gives (FilterChain::path_key).
    using PathKey = std::function<std::string(std::string_view)>;
    /// Called by run_scan before list() with the scan's FilterChain::path_key. A source that
    /// reads one content under many paths (history) reads it once per distinct key, so that a
    /// rule limited to some paths judges it where it applies. Others ignore it.
    virtual void set_path_key(PathKey key) { (void)key; }
    /// An item's identity in the scan cache (ScanOptions::cache): `key` names everything that
    /// decides what reading it finds (empty: not cached, always read); `path` and `name` are its
    /// findings' path and source name and its skipped inputs' name, as read() gives them.
    struct CacheIdentity {
        std::string key, path, name;
    };
    /// After list(), from any worker thread: item `item`'s identity. Default: none.
    virtual CacheIdentity cache_identity(std::size_t item) const
    {
        (void)item;
        return {};
    }
    /// Called by run_scan before list() when the scan has a cache: a source may attach it to its
    /// repository (ScanCache::attach) and keep its own entries there. Others ignore it.
    virtual void set_cache(ScanCache* cache) { (void)cache; }
    /// Most workers read() supports (0: no limit).
    virtual unsigned max_threads() const { return 0; }
    /// How many consecutive items a worker takes at a time (at least 1): more than one when
    /// neighbouring items share what reading them costs (history's blobs in pack order share
    /// delta bases, which each worker caches).
    virtual std::size_t batch() const { return 1; }
    /// After list(): how many of the first items a progress display counts (the ones in
    /// unit(); history's messages that follow its blobs take little time and are not counted).
    virtual std::size_t progress_items() const { return SIZE_MAX; }
    /// A file the scan itself writes (its report and the report's temporary file), which a
    /// source reading files must not read: it is listed as skipped with `reason` instead. Called
    /// before list(). Sources that read no files ignore it.
    virtual void exclude(const std::string& path, const std::string& reason)
    {
        (void)path;
        (void)reason;
    }
    /// Whether a finding needs the whole scan before it is known (history attributes a finding
    /// to the first commit that holds it). False: each item's findings are reported, in item
    /// order, as soon as it and every item before it are read.
    virtual bool needs_whole_scan() const { return false; }
    /// Whether list() is expected to give a bulk scan's worth of items (a whole history): run_scan
    /// then compiles the bulk prefilter (Matcher::prepare_acceleration, some 40 ms) while list()
    /// runs, not after it; whether it is used still depends on the number of items. Only where
    /// being wrong costs nothing a user waits for (never a hook's range).
    virtual bool expects_bulk() const { return false; }
    /// For whole-scan sources: turns every item's findings (indexed by item) into the reported
    /// findings, calling `report` for each in order; stops when it returns false.
    virtual void attribute(std::vector<std::vector<Finding>>& by_item, ScanSummary& summary,
                           const std::function<bool(Finding)>& report);
};

/// Where findings go: a report format, the hook's message, git-secrets' output, a baseline.
/// run_scan calls begin, then finding for each reported finding (in the source's order, from
/// one thread at a time), then finish. Modelled on ripgrep's Sink.
class FindingSink {
public:
    virtual ~FindingSink() = default;
    /// Before the first finding; `unit` is what the scan counts ("files", "blobs").
    virtual void begin(const std::string& unit) { (void)unit; }
    /// One finding, after every step of the filter chain. Returns false to stop the scan: no
    /// further item is read and no further finding delivered; finish still comes.
    virtual bool finding(const Finding& f) = 0;
    /// After the last finding, with the scan's counters, warnings and notes.
    virtual void finish(const ScanSummary& summary) = 0;
};

/// Runs `source` through `scanner` into `sink`: lists the work, switches to the bulk prefilter
/// for bulk_scan_items items or more, reads items on min(options.threads or one per core,
/// source.max_threads()) workers, applies the filter chain's finding steps, delivers the
/// findings and finishes the sink. Returns what it passed to finish. Throws what the source and
/// scanner throw (the sink is then not finished).
ScanSummary run_scan(Source& source, const Scanner& scanner, const ScanOptions& options, FindingSink& sink);

/// A sink that keeps the findings, for callers that want them all (tests, baselines, the demo).
class CollectingSink : public FindingSink {
public:
    bool finding(const Finding& f) override;
    void finish(const ScanSummary& summary) override { m_summary = summary; }
    std::vector<Finding>& findings() noexcept { return m_findings; }
    const ScanSummary& summary() const noexcept { return m_summary; }

private:
    std::vector<Finding> m_findings;
    ScanSummary m_summary;
};

} // namespace secretscan
