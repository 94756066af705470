#include <secretscan/engine/filters.hpp>
#include <secretscan/engine/scanner.hpp>

#include <algorithm>
#include <optional>
#include <tuple>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace secretscan {

void ScanStats::merge(const ScanStats& other)
{
    items += other.items;
    bytes += other.bytes;
    skipped.insert(skipped.end(), other.skipped.begin(), other.skipped.end());
}

namespace {

bool has_allow_marker(std::string_view line)
{
    return std::any_of(std::begin(inline_allow_markers), std::end(inline_allow_markers),
                       [line](std::string_view m) { return line.find(m) != std::string_view::npos; });
}

bool touches_added(const std::vector<std::size_t>& added, std::size_t first, std::size_t last)
{
    const auto it = std::lower_bound(added.begin(), added.end(), first);
    return it != added.end() && *it <= last;
}

} // namespace

std::vector<Finding> Scanner::scan_text(std::string_view text, const Provenance& where,
                                        const std::vector<std::size_t>* added_lines) const
{
    std::vector<Finding> out;
    if (added_lines && added_lines->empty()) return out;
    std::vector<RawMatch> matches;
    std::optional<LineIndex> index; // built only when needed: most texts hold no match
    if (!added_lines) {
        m_matcher.find(text, matches);
    } else {
        const LineIndex& lines = index.emplace(text);
        // Only matches touching an added line count, so only the text around the added lines
        // is matched: each run of added lines with `added_context_lines` lines either side
        // (enough for a multi-line secret such as a PEM block that the change edits).
        const std::size_t n = lines.line_count();
        std::size_t i = 0;
        while (i < added_lines->size()) {
            const std::size_t first = (*added_lines)[i] > added_context_lines ? (*added_lines)[i] - added_context_lines : 1;
            std::size_t last = std::min(n, (*added_lines)[i] + added_context_lines);
            for (++i; i < added_lines->size() && (*added_lines)[i] <= last + added_context_lines; ++i)
                last = std::min(n, (*added_lines)[i] + added_context_lines);
            const std::size_t begin = lines.start_of(first);
            const std::size_t end = last < n ? lines.start_of(last + 1) : text.size();
            std::vector<RawMatch> part;
            m_matcher.find(text.substr(begin, end - begin), part);
            for (RawMatch& m : part) {
                m.begin += begin;
                m.end += begin;
                m.secret_begin += begin;
                m.secret_end += begin;
                matches.push_back(std::move(m));
            }
        }
    }
    if (matches.empty()) return out;
    // One secret, one finding: of matches whose secrets overlap, keep the most specific rule's.
    const auto rank = [this](const RawMatch& m) {
        const Rule& r = m_matcher.rules()[m.rule];
        const bool git_secrets_pattern = r.id.starts_with("git-secrets-"); // git_secrets_rules()
        return std::make_tuple(git_secrets_pattern, m_matcher.is_generic(m.rule), -static_cast<int>(r.confidence), m.rule);
    };
    std::sort(matches.begin(), matches.end(), [](const RawMatch& a, const RawMatch& b) {
        return std::tie(a.secret_begin, a.rule) < std::tie(b.secret_begin, b.rule);
    });
    std::vector<RawMatch> kept;
    for (RawMatch& m : matches) {
        bool drop = false;
        // Kept matches start at or before m; look back over the few that can still overlap it.
        for (std::size_t j = kept.size(), looked = 0; j-- > 0 && looked < 16; ++looked) {
            RawMatch& k = kept[j];
            if (k.secret_end <= m.secret_begin) continue;
            if (rank(m) < rank(k)) k = std::move(m);
            drop = true;
            break;
        }
        if (!drop) kept.push_back(std::move(m));
    }
    matches = std::move(kept);
    std::sort(matches.begin(), matches.end(), [](const RawMatch& a, const RawMatch& b) {
        return std::tie(a.begin, a.rule) < std::tie(b.begin, b.rule);
    });
    const LineIndex& lines = index ? *index : index.emplace(text);
    const bool lockfile = is_lockfile(where.path);
    for (const RawMatch& m : matches) {
        const std::size_t first = lines.line_of(m.begin);
        const std::size_t last = lines.line_of(m.end > m.begin ? m.end - 1 : m.begin);
        if (added_lines && !touches_added(*added_lines, first, last)) continue;
        if (m_inline_allow &&
            (has_allow_marker(lines.line_text(first)) || (last != first && has_allow_marker(lines.line_text(last)))))
            continue;
        // A finding is located at its secret's first byte.
        const std::size_t at = lines.line_of(m.secret_begin);
        const std::string_view line = lines.line_text(at);
        const Rule& rule = m_matcher.rules()[m.rule];
        if (lockfile && rule.shared_filter && m_matcher.is_generic(m.rule) && !m_matcher.is_url(m.rule))
            continue; // the shared filter's lockfile class (filters.hpp)
        Finding f;
        f.rule_id = rule.id;
        f.rule_name = rule.name;
        f.confidence = std::string(to_string(rule.confidence));
        f.validation = m.note;
        f.secret.assign(text.substr(m.secret_begin, m.secret_end - m.secret_begin));
        constexpr std::size_t max_line = 1000; // minified files: keep reports readable
        f.line_text.assign(line.substr(0, max_line));
        f.source = where.source;
        f.path = where.path;
        f.source_name = where.source_name;
        f.line = at;
        f.column = lines.column_of(m.secret_begin);
        f.end_line = last;
        f.fingerprint = fingerprint(f.rule_id, f.secret);
        // What a file or the index holds now is what HEAD will hold; history sets its own.
        if (where.source == SourceKind::file || where.source == SourceKind::staged) f.present_at_head = 1;
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<Finding> Scanner::scan_bytes(std::string_view bytes, const Provenance& where, const ScanOptions& options,
                                         ScanStats& stats, const std::vector<std::size_t>* added_lines) const
{
    const std::string& name = where.path.empty() ? where.source_name : where.path;
    if (bytes.size() > options.max_file_size) {
        stats.skipped.push_back({name, "larger than --max-file-size (" + std::to_string(bytes.size()) + " bytes)"});
        return {};
    }
    Decoded d = decode(bytes);
    if (d.encoding == Encoding::binary) {
        stats.skipped.push_back({name, "binary (NUL byte in the first 8000 bytes)"});
        return {};
    }
    ++stats.items;
    stats.bytes += bytes.size();
    return scan_text(d.text, where, added_lines);
}

unsigned effective_threads(unsigned threads) noexcept
{
    if (threads) return threads;
    const unsigned hw = std::thread::hardware_concurrency();
    return hw ? hw : 1;
}

void parallel_for(std::size_t n, unsigned threads, const std::function<void(unsigned, std::size_t)>& fn)
{
    if (n == 0) return;
    const unsigned workers = static_cast<unsigned>(std::min<std::size_t>(std::max(1u, threads), n));
    if (workers == 1) {
        for (std::size_t i = 0; i < n; ++i) fn(0, i);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto work = [&](unsigned w) {
        try {
            for (std::size_t i; !failed.load(std::memory_order_relaxed) && (i = next.fetch_add(1)) < n;) fn(w, i);
        } catch (...) {
            std::lock_guard lock(error_mutex);
            if (!error) error = std::current_exception();
            failed = true;
        }
    };
    std::vector<std::thread> pool;
    for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work, w);
    work(0);
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}

} // namespace secretscan
