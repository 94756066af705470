#include <secretscan/cache/scan_cache.hpp>
#include <secretscan/engine/pipeline.hpp>

#include "util/parallel.hpp"
#include "util/stopwatch.hpp"

#include <algorithm>
#include <future>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iterator>
#include <mutex>
#include <thread>

namespace secretscan {

void ScanStats::merge(const ScanStats& other)
{
    items += other.items;
    bytes += other.bytes;
    skipped.insert(skipped.end(), other.skipped.begin(), other.skipped.end());
    drops.insert(drops.end(), other.drops.begin(), other.drops.end());
}

std::string ScanStats::counted() const
{
    std::string u = unit;
    if (items == 1 && !u.empty() && u.back() == 's') u.pop_back();
    return std::to_string(items) + " " + u;
}

bool ChunkReader::admit(const std::string& name, std::uint64_t size)
{
    if (size <= m_options.max_file_size) return true;
    skip(name, "larger than --max-file-size (" + std::to_string(size) + " bytes; the limit is " + std::to_string(m_options.max_file_size) + ")");
    return false;
}

bool is_lfs_pointer(std::string_view bytes)
{
    constexpr std::string_view v1 = "version https://git-lfs.github.com/spec/v1\n", hawser = "version https://hawser.github.com/spec/v1\n";
    if (bytes.size() > 1024 || bytes.empty() || bytes.back() != '\n') return false;
    if (!bytes.starts_with(v1) && !bytes.starts_with(hawser)) return false;
    const auto hex64 = [](std::string_view s) {
        return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
    };
    bool oid = false, size = false;
    for (std::size_t at = bytes.find('\n') + 1; at < bytes.size();) {
        const std::size_t end = bytes.find('\n', at);
        const std::string_view line = bytes.substr(at, end - at);
        at = end + 1;
        const std::size_t space = line.find(' ');
        if (space == std::string_view::npos) return false;
        const std::string_view key = line.substr(0, space), value = line.substr(space + 1);
        if (key == "oid" && !oid && !size) oid = value.starts_with("sha256:") && hex64(value.substr(7));
        else if (key == "size" && oid && !size) size = !value.empty() && value.find_first_not_of("0123456789") == std::string_view::npos;
        else if (!key.starts_with("ext-") || oid || key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string_view::npos)
            return false; // extension lines come before oid; their values are checked below
        if ((key == "oid" && !oid) || (key == "size" && !size)) return false;
        if (key.starts_with("ext-") && !(value.starts_with("sha256:") && hex64(value.substr(7)))) return false;
    }
    return oid && size;
}

void ChunkReader::chunk(const Chunk& c, bool counted)
{
    if (!c.unlimited && !admit(c.where.name(), c.bytes.size())) return;
    if (!c.unlimited && c.lines_before == 0 && is_lfs_pointer(c.bytes))
        return skip(c.where.name(), "Git LFS pointer (its content is in LFS storage, which is not scanned)");
    const bool explain = m_options.explain_drops || m_options.explain_validator_drops || m_record_validator_drops;
    std::optional<std::vector<Finding>> found = m_scanner.scan_chunk(c, explain ? &m_stats.drops : nullptr, !m_options.explain_drops);
    if (!found) return skip(c.where.name(), "binary (NUL byte in the first 8000 bytes)");
    if (counted) {
        ++m_stats.items;
        m_stats.bytes += c.bytes.size();
    }
    for (Finding& f : *found) m_findings.push_back(std::move(f));
}

void ChunkReader::count(std::uint64_t bytes)
{
    ++m_stats.items;
    m_stats.bytes += bytes;
}

void ChunkReader::skip(std::string name, std::string reason, bool failed)
{
    m_stats.skipped.push_back({std::move(name), std::move(reason), failed});
}

void Source::attribute(std::vector<std::vector<Finding>>& by_item, ScanSummary&, const std::function<bool(Finding)>& report)
{
    for (auto& item : by_item)
        for (Finding& f : item)
            if (!report(std::move(f))) return;
}

bool CollectingSink::finding(const Finding& f)
{
    m_findings.push_back(f);
    return true;
}

namespace {

/// The last stage: the chain's finding steps, then the sink. Calls are serialised by the caller.
class Delivery {
public:
    Delivery(const FilterChain& chain, FindingSink& sink, ScanSummary& summary, std::atomic<bool>& stop)
        : m_chain(chain), m_sink(sink), m_summary(summary), m_stop(stop)
    {
    }

    /// Returns false once the sink has asked to stop.
    bool report(Finding f)
    {
        if (m_stop) return false;
        if (auto drop = m_chain.check_finding(f)) {
            m_chain.count(drop->step);
            return true;
        }
        ++m_summary.findings;
        if (m_sink.finding(f)) return true;
        m_summary.stopped = true;
        m_stop = true;
        return false;
    }

    /// Streaming sources: item `i` is read; reports every read item not reported yet that has
    /// no unread item before it, so findings come in item order. Thread-safe.
    void item_done(std::size_t i, std::vector<std::vector<Finding>>& by_item, std::vector<char>& done)
    {
        std::lock_guard lock(m_mutex);
        done[i] = 1;
        for (; m_next < done.size() && done[m_next]; ++m_next) {
            for (Finding& f : by_item[m_next])
                if (!report(std::move(f))) break;
            std::vector<Finding>().swap(by_item[m_next]);
        }
    }

private:
    const FilterChain& m_chain;
    FindingSink& m_sink;
    ScanSummary& m_summary;
    std::atomic<bool>& m_stop;
    std::mutex m_mutex;
    std::size_t m_next = 0;
};

/// Calls ScanOptions::progress from its own thread while items are scanned; the workers only
/// add to two atomic counters.
class ProgressReporter {
public:
    ProgressReporter(const ScanOptions& options, std::string_view unit, const Stopwatch& clock)
        : m_options(options), m_unit(unit), m_clock(clock)
    {
    }
    ~ProgressReporter() { finish(); }

    void phase(std::string_view name, std::uint64_t total = 0)
    {
        if (!m_options.progress) return;
        m_total = total;
        m_phase_start = m_clock.seconds();
        call(name);
        if (name == "scanning") m_thread = std::thread([this] { run(); });
    }
    void item_done(std::uint64_t bytes, bool counted)
    {
        if (!m_options.progress || !counted) return;
        m_bytes.fetch_add(bytes, std::memory_order_relaxed);
        m_done.fetch_add(1, std::memory_order_relaxed);
    }
    void finish()
    {
        if (!m_options.progress || m_finished) return;
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_finished = true;
        }
        m_wake.notify_all();
        if (m_thread.joinable()) m_thread.join();
        call("done");
    }

private:
    void run()
    {
        const auto interval = std::chrono::duration<double>(m_options.progress_interval);
        std::unique_lock<std::mutex> lock(m_mutex);
        while (!m_wake.wait_for(lock, interval, [this] { return m_finished; })) call("scanning");
    }
    void call(std::string_view name) const
    {
        m_options.progress(Progress{name, m_unit, m_done.load(std::memory_order_relaxed), m_total,
                                    m_bytes.load(std::memory_order_relaxed), m_clock.seconds() - m_phase_start});
    }

    const ScanOptions& m_options;
    std::string_view m_unit;
    const Stopwatch& m_clock;
    std::uint64_t m_total = 0;
    double m_phase_start = 0.0;
    std::atomic<std::uint64_t> m_done{0}, m_bytes{0};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_finished = false;
    std::thread m_thread;
};

/// Reads item `i` on worker `w` into `stats` (that item's alone) and `findings`: from `cache`
/// when it holds the item (counting it in `keyed`, and a hit), else through the source, storing what it gave.
void read_item(Source& source, const Scanner& scanner, const ScanOptions& options, ScanCache* cache, std::size_t i, unsigned w,
               ScanStats& stats, std::vector<Finding>& findings, std::atomic<std::uint64_t>& hits, std::atomic<std::uint64_t>& keyed)
{
    const Source::CacheIdentity id = cache ? source.cache_identity(i) : Source::CacheIdentity{};
    if (id.key.empty()) {
        ChunkReader reader(scanner, options, stats, findings);
        return source.read(i, w, reader);
    }
    keyed.fetch_add(1, std::memory_order_relaxed);
    CachedScan scan;
    if (cache->find(id.key, id.path, id.name, scan)) {
        hits.fetch_add(1, std::memory_order_relaxed);
        scanner.chain().add_counts(scan.dropped);
    } else {
        ScanStats fresh;
        ChunkReader reader(scanner, options, fresh, scan.findings);
        reader.record_validator_drops();
        DropCounts* const outer = FilterChain::tally_thread(&scan.dropped);
        try {
            source.read(i, w, reader);
        } catch (...) {
            FilterChain::tally_thread(outer);
            throw;
        }
        FilterChain::tally_thread(outer);
        scan.items = fresh.items;
        scan.bytes = fresh.bytes;
        scan.skipped = std::move(fresh.skipped);
        scan.drops = std::move(fresh.drops);
        cache->store(id.key, id.name, scan);
    }
    stats.items += scan.items;
    stats.bytes += scan.bytes;
    stats.skipped = std::move(scan.skipped);
    if (options.explain_validator_drops) stats.drops = std::move(scan.drops);
    findings = std::move(scan.findings);
}

/// The skipped inputs of every worker, in item order (each worker's are in its items' order).
std::vector<Skipped> in_item_order(std::vector<std::vector<std::pair<std::size_t, Skipped>>>& by_worker)
{
    std::vector<std::pair<std::size_t, Skipped>> all;
    for (auto& list : by_worker) std::move(list.begin(), list.end(), std::back_inserter(all));
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<Skipped> out;
    for (auto& entry : all) out.push_back(std::move(entry.second));
    return out;
}

/// Adds the workers' skipped inputs (item, input) to the summary's, sorted by name: workers
/// finish items in no fixed order, and a report is the same from run to run (and whatever
/// order a source reads its items in).
void add_skipped(ScanSummary& summary, std::vector<std::vector<std::pair<std::size_t, Skipped>>>& skipped)
{
    std::vector<Skipped> ordered = in_item_order(skipped);
    summary.stats.skipped.insert(summary.stats.skipped.end(), std::make_move_iterator(ordered.begin()), std::make_move_iterator(ordered.end()));
    std::stable_sort(summary.stats.skipped.begin(), summary.stats.skipped.end(),
                     [](const Skipped& a, const Skipped& b) { return a.name < b.name; });
}

} // namespace

ScanSummary run_scan(Source& source, const Scanner& scanner, const ScanOptions& options, FindingSink& sink)
{
    const Stopwatch clock;
    const DropCounts before = scanner.chain().counts();
    ScanSummary summary;
    summary.stats.unit = source.unit();
    sink.begin(summary.stats.unit);
    unsigned threads = effective_threads(options.threads);
    if (source.max_threads()) threads = std::min(threads, source.max_threads());
    ProgressReporter progress(options, summary.stats.unit, clock);
    progress.phase("listing");
    source.set_path_key([&chain = scanner.chain()](std::string_view path) { return chain.path_key(path); });
    if (options.cache) source.set_cache(options.cache);
    std::future<bool> accelerated; // the bulk prefilter, set up beside the listing
    if (source.expects_bulk()) accelerated = std::async(std::launch::async, [&scanner] { return scanner.matcher().prepare_acceleration(); });
    const std::size_t n = source.list(summary, threads);
    const std::size_t shown = std::min(n, source.progress_items());
    progress.phase("scanning", shown);
    if (accelerated.valid()) accelerated.get(); // rethrows what the set-up threw
    if (n >= bulk_scan_items) scanner.matcher().accelerate();

    std::vector<std::vector<Finding>> by_item(n);
    std::vector<char> done(n, 0);
    std::vector<ScanStats> worker_stats(threads);
    std::vector<std::vector<std::pair<std::size_t, Skipped>>> skipped(threads); // (item, input) per worker
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> hits{0}, keyed{0}; // cache hits, items with a cache identity
    ScanCache* const cache = options.cache && options.cache->active() && !options.explain_drops ? options.cache : nullptr;
    Delivery delivery(scanner.chain(), sink, summary, stop);
    const bool whole = source.needs_whole_scan();
    parallel_for(n, threads, [&](unsigned w, std::size_t i) {
        ScanStats mine;
        read_item(source, scanner, options, cache, i, w, mine, by_item[i], hits, keyed);
        progress.item_done(mine.bytes, i < shown);
        for (Skipped& k : mine.skipped) skipped[w].emplace_back(i, std::move(k));
        mine.skipped.clear();
        worker_stats[w].merge(mine);
        if (!whole) delivery.item_done(i, by_item, done);
    }, &stop, source.batch());
    progress.finish();
    for (const ScanStats& s : worker_stats) summary.stats.merge(s);
    add_skipped(summary, skipped);
    if (cache) {
        cache->flush();
        summary.notes.push_back("cache: " + std::to_string(hits.load()) + " of " + std::to_string(keyed.load()) + " items from " + cache->file());
    }
    if (options.cache) // a damaged file rebuilt, a folder it cannot create: the scan's warnings, in its report too
        for (std::string& w : options.cache->take_warnings()) summary.warnings.push_back(std::move(w));
    summary.notes.push_back("scanned " + summary.stats.counted() + " " + clock.at());
    if (whole) source.attribute(by_item, summary, [&delivery](Finding f) { return delivery.report(std::move(f)); });
    const DropCounts after = scanner.chain().counts();
    for (std::size_t k = 0; k < after.size(); ++k) summary.dropped[k] = after[k] - before[k];
    summary.stats.seconds = clock.seconds();
    sink.finish(summary);
    return summary;
}

} // namespace secretscan
