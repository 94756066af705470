#include <secretscan/engine/pipeline.hpp>

#include "util/parallel.hpp"
#include "util/stopwatch.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>

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
    skip(name, "larger than --max-file-size (" + std::to_string(size) + " bytes)");
    return false;
}

void ChunkReader::chunk(const Chunk& c, bool counted)
{
    if (!c.unlimited && !admit(c.where.name(), c.bytes.size())) return;
    std::optional<std::vector<Finding>> found = m_scanner.scan_chunk(c, m_options.explain_drops ? &m_stats.drops : nullptr);
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
    const std::size_t n = source.list(summary, threads);
    if (n >= bulk_scan_items) scanner.matcher().accelerate();

    std::vector<std::vector<Finding>> by_item(n);
    std::vector<char> done(n, 0);
    std::vector<ScanStats> worker_stats(threads);
    std::atomic<bool> stop{false};
    Delivery delivery(scanner.chain(), sink, summary, stop);
    const bool whole = source.needs_whole_scan();
    parallel_for(n, threads, [&](unsigned w, std::size_t i) {
        ChunkReader reader(scanner, options, worker_stats[w], by_item[i]);
        source.read(i, w, reader);
        if (!whole) delivery.item_done(i, by_item, done);
    }, &stop);
    for (const ScanStats& s : worker_stats) summary.stats.merge(s);
    summary.notes.push_back("scanned " + summary.stats.counted() + " " + clock.at());
    if (whole) source.attribute(by_item, summary, [&delivery](Finding f) { return delivery.report(std::move(f)); });
    const DropCounts after = scanner.chain().counts();
    for (std::size_t k = 0; k < after.size(); ++k) summary.dropped[k] = after[k] - before[k];
    summary.stats.seconds = clock.seconds();
    sink.finish(summary);
    return summary;
}

} // namespace secretscan
