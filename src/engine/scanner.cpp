#include <secretscan/engine/scanner.hpp>

#include "util/strings.hpp"

#include <algorithm>
#include <functional>
#include <tuple>
#include <unordered_map>

namespace secretscan {

namespace {

constexpr std::size_t max_match_text = 4096; // bytes of a finding's whole match kept (gitleaks' regexTarget = "match")
constexpr std::size_t max_line_text = 1000; // bytes of a finding's line kept: minified files stay readable
constexpr std::size_t max_decode_context = 256; // bytes of an encoded span's line given before its decoded text

/// A match that passed the match steps, with what they established.
struct Kept {
    RawMatch match;
    MatchResult result;
};

/// Whether each line of one text holds an inline allow marker, each line searched once however
/// many matches it holds (a minified line with 20,000 keys was searched 20,000 times).
class MarkedLines {
public:
    explicit MarkedLines(const LineIndex& lines) : m_lines(lines) {}
    bool operator()(std::size_t line)
    {
        const auto [it, fresh] = m_known.try_emplace(line, false);
        if (fresh) it->second = holds_allow_marker(m_lines.line_text(line));
        return it->second;
    }

private:
    const LineIndex& m_lines;
    std::unordered_map<std::size_t, bool> m_known;
};

/// Columns of byte offsets in one text, each counted from the offset asked before it when that is
/// on the same line: offsets asked in about text order cost their distance, not their column
/// (LineIndex::column_of counts from the line's start: quadratic on a long line of findings).
class Columns {
public:
    Columns(std::string_view text, const LineIndex& lines) : m_text(text), m_lines(lines) {}
    std::size_t of(std::size_t offset)
    {
        const std::size_t start = m_lines.start_of(m_lines.line_of(offset));
        if (start != m_start) m_start = m_offset = start, m_column = 1;
        if (offset >= m_offset) m_column += utf8_length(m_text.substr(m_offset, offset - m_offset));
        else m_column -= utf8_length(m_text.substr(offset, m_offset - offset));
        m_offset = offset;
        return m_column;
    }

private:
    std::string_view m_text;
    const LineIndex& m_lines;
    std::size_t m_start = static_cast<std::size_t>(-1), m_offset = 0, m_column = 1;
};

/// The matcher's matches in `text`; with added lines, only around them: each run of added
/// lines with added_context_lines lines either side (enough for a multi-line secret such as a
/// PEM block that the change edits).
void find_matches(const Matcher& matcher, std::string_view text, std::string_view path, const std::vector<std::size_t>* added,
                  std::vector<RawMatch>& out, Lineage* lineage)
{
    if (!added) return matcher.find(text, out, path, lineage);
    const LineIndex lines(text);
    const std::size_t n = lines.line_count();
    for (std::size_t i = 0; i < added->size();) {
        const std::size_t first = (*added)[i] > added_context_lines ? (*added)[i] - added_context_lines : 1;
        std::size_t last = std::min(n, (*added)[i] + added_context_lines);
        for (++i; i < added->size() && (*added)[i] <= last + added_context_lines; ++i) last = std::min(n, (*added)[i] + added_context_lines);
        const std::size_t begin = lines.start_of(first);
        const std::size_t end = last < n ? lines.start_of(last + 1) : text.size();
        std::vector<RawMatch> part;
        matcher.find(text.substr(begin, end - begin), part, path);
        for (RawMatch& m : part) {
            m.begin += begin, m.end += begin, m.secret_begin += begin, m.secret_end += begin;
            out.push_back(m);
        }
    }
}

void record(const FilterChain& chain, std::vector<TraceEntry>* trace, const RawMatch& m, Drop drop)
{
    chain.count(drop.step);
    if (trace) trace->push_back({m.rule, m.secret_begin, std::move(drop)});
}

/// A value a provider's validator rejected (a GitHub token with wrong check digits), or that a
/// format rule's extractor found no secret in (Docker's `auth` of "<uuid>:" for a credential
/// helper), is not reported by a generic rule either: the rule that knows the format has judged it.
void defer_to_validators(const FilterChain& chain, const std::vector<RawMatch>& rejected, std::vector<Kept>& passed,
                         std::vector<TraceEntry>* trace)
{
    if (rejected.empty()) return;
    std::erase_if(passed, [&](const Kept& k) {
        if (chain.rules()[k.match.rule].kind == RuleKind::token) return false;
        for (const RawMatch& r : rejected)
            if (r.secret_begin < k.match.secret_end && k.match.secret_begin < r.secret_end) {
                record(chain, trace, k.match, Drop{FilterStep::overlap, "rule " + chain.rules()[r.rule].id + " judged this value and rejected it"});
                return true;
            }
        return false;
    });
}

/// Whether a match holds context besides its secret (FilterChain::preferred): more than the
/// one byte on either side a boundary takes.
bool names_provider(const RawMatch& m)
{
    return (m.end - m.begin) - (m.secret_end - m.secret_begin) >= 3;
}

/// One secret, one finding: of matches whose secrets overlap, keep the preferred rule's.
void resolve_overlaps(const FilterChain& chain, std::vector<Kept>& matches, std::vector<TraceEntry>* trace)
{
    std::sort(matches.begin(), matches.end(), [](const Kept& a, const Kept& b) {
        return std::tie(a.match.secret_begin, a.match.rule) < std::tie(b.match.secret_begin, b.match.rule);
    });
    std::vector<Kept> kept;
    for (Kept& m : matches) {
        bool dropped = false;
        // Kept matches start at or before m; look back over the few that can still overlap it.
        for (std::size_t j = kept.size(), looked = 0; j-- > 0 && looked < 16; ++looked) {
            Kept& k = kept[j];
            if (k.match.secret_end <= m.match.secret_begin) continue;
            const bool better = chain.preferred(m.match.rule, k.match.rule, names_provider(m.match), names_provider(k.match));
            const RawMatch& loser = better ? k.match : m.match;
            const RawMatch& winner = better ? m.match : k.match;
            record(chain, trace, loser, Drop{FilterStep::overlap, "rule " + chain.rules()[winner.rule].id + " reports the same secret"});
            if (better) k = std::move(m);
            dropped = true;
            break;
        }
        if (!dropped) kept.push_back(std::move(m));
    }
    std::sort(kept.begin(), kept.end(), [](const Kept& a, const Kept& b) { return std::tie(a.match.begin, a.match.rule) < std::tie(b.match.begin, b.match.rule); });
    matches = std::move(kept);
}

Finding make_finding(const Rule& rule, const Kept& k, std::string_view text, const LineIndex& lines, Columns& columns,
                     const Provenance& where)
{
    const RawMatch& m = k.match;
    Finding f;
    f.rule_id = rule.id;
    f.rule_name = rule.name;
    f.confidence = std::string(to_string(rule.confidence));
    f.validation = k.result.note;
    f.decoder = k.result.decoder;
    f.secret = k.result.decoder.empty() ? std::string(text.substr(m.secret_begin, m.secret_end - m.secret_begin)) : k.result.secret;
    f.line = lines.line_of(m.secret_begin); // a finding is located at its secret's first byte
    f.column = columns.of(m.secret_begin);
    f.end_column = columns.of(m.secret_end > m.secret_begin ? m.secret_end - 1 : m.secret_begin);
    f.end_line = lines.line_of(m.end > m.begin ? m.end - 1 : m.begin);
    f.match = std::string(text.substr(m.begin, std::min<std::size_t>(m.end - m.begin, max_match_text)));
    // line_text: set by place_line_text, once every finding of the text is known
    f.source = where.source;
    f.path = where.path;
    f.source_name = where.source_name;
    f.fingerprint = fingerprint(f.rule_id, f.secret);
    // What a file or the index holds now is what HEAD will hold; history sets its own.
    if (where.source == SourceKind::file || where.source == SourceKind::staged) f.present_at_head = 1;
    return f;
}

/// Merges decoded finding `f` into `out`, whose first `outer` findings are the outer layer's
/// (their secrets at `ranges`). An outer finding of the same rule or the same secret that
/// overlaps the encoded span has reported it already, as written in the file (a URL rule that
/// decoded the percent-encoded password itself; `password.hex=...` reported as its hex; an
/// opaque `_authToken` that happens to be base64 of text): `f` is dropped.
void merge_decoded(Finding f, const DecodedSpan& span, std::vector<Finding>& out,
                   const std::vector<std::pair<std::size_t, std::size_t>>& ranges, std::size_t outer)
{
    for (std::size_t i = 0; i < outer; ++i)
        if (ranges[i].first < span.end && span.begin < ranges[i].second && (out[i].secret == f.secret || out[i].rule_id == f.rule_id))
            return;
    out.push_back(std::move(f));
}

/// Appends to `secrets` the matches of `redact_only` (no filter step) on each line that holds one
/// of `out`'s findings, each line searched once, as written and in each of `decoders`' spans
/// (a base64 or hex form: the whole span).
void redact_only_secrets(const Matcher& redact_only, const std::vector<std::shared_ptr<const Decoder>>& decoders, const LineIndex& lines,
                         const std::vector<Finding>& out, std::string_view path, std::vector<std::pair<std::size_t, std::size_t>>& secrets)
{
    std::vector<std::size_t> held;
    for (const Finding& f : out) held.push_back(f.line);
    std::sort(held.begin(), held.end());
    held.erase(std::unique(held.begin(), held.end()), held.end());
    std::vector<RawMatch> found;
    for (const std::size_t line : held) {
        found.clear();
        redact_only.find(lines.line_text(line), found, path);
        const std::size_t base = lines.start_of(line);
        for (const RawMatch& m : found) secrets.emplace_back(base + m.secret_begin, base + m.secret_end);
        for (const auto& decoder : decoders) {
            std::vector<DecodedSpan> spans;
            decoder->decode(lines.line_text(line), spans);
            for (const DecodedSpan& span : spans) {
                found.clear();
                redact_only.find(span.text, found, path);
                if (!found.empty()) secrets.emplace_back(base + span.begin, base + span.end);
            }
        }
    }
}

/// Adds to `f`'s line_spans every other place on its line_text where the text of one of its
/// secrets (a span, or its own secret) is written again: `export K=SECRET; echo SECRET` must not
/// show the second in clear though no rule matched it there. Texts under 4 bytes are left alone.
void redact_repeats(Finding& f)
{
    std::vector<std::string> texts{f.secret};
    for (const LineSpan& s : f.line_spans)
        if (!s.cut && s.end <= f.line_text.size()) texts.emplace_back(f.line_text.substr(s.begin, s.end - s.begin));
    std::sort(texts.begin(), texts.end());
    texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
    for (const std::string& t : texts) {
        if (t.size() < 4) continue;
        for (std::size_t at = f.line_text.find(t); at != std::string::npos; at = f.line_text.find(t, at + t.size()))
            f.line_spans.push_back({at, at + t.size(), false});
    }
}

/// Sets each finding's line_text: at most max_line_text bytes of its line around its secret
/// (`ranges`, parallel to `out`; a decoded finding's is its encoded span), on UTF-8 boundaries;
/// and its line_spans: each of `secrets` (every rule's matches, reported or not, and every
/// finding's range) within that text. Sorted once, so a long line with thousands of findings
/// costs n log n, not n squared.
void place_line_text(const LineIndex& lines, const std::vector<std::pair<std::size_t, std::size_t>>& ranges,
                     std::vector<std::pair<std::size_t, std::size_t>> secrets, std::vector<Finding>& out)
{
    std::sort(secrets.begin(), secrets.end());
    std::size_t longest = 0;
    for (const auto& [b, e] : secrets) longest = std::max(longest, e - b);
    for (std::size_t i = 0; i < out.size(); ++i) {
        Finding& f = out[i];
        const std::string_view line = lines.line_text(f.line);
        const std::size_t line_begin = lines.start_of(f.line);
        const std::size_t own = std::min(std::max(ranges[i].first, line_begin) - line_begin, line.size());
        std::size_t from = own > max_line_text / 10 && line.size() > max_line_text ? own - max_line_text / 10 : 0;
        std::size_t to = std::min(line.size(), from + max_line_text);
        const auto continuation = [&line](std::size_t at) { return at < line.size() && (static_cast<unsigned char>(line[at]) & 0xC0) == 0x80; };
        while (continuation(from)) ++from;
        while (to > from && continuation(to)) --to;
        f.line_text.assign(line.substr(from, to - from));
        const std::size_t window = line_begin + from, window_end = line_begin + to;
        auto it = std::lower_bound(secrets.begin(), secrets.end(), std::make_pair(window > longest ? window - longest : 0, std::size_t{0}));
        for (; it != secrets.end() && it->first < window_end; ++it) {
            const std::size_t lo = std::max(it->first, window), hi = std::min(it->second, window_end);
            if (lo < hi) f.line_spans.push_back({lo - window, hi - window, it->first < window});
        }
        redact_repeats(f);
    }
}

} // namespace

Scanner::Scanner(const Matcher& matcher, const FilterChain& chain, std::vector<std::shared_ptr<const Decoder>> decoders)
    : m_matcher(matcher), m_chain(chain), m_decoders(std::move(decoders))
{
}

std::optional<std::vector<Finding>> Scanner::scan_chunk(const Chunk& chunk, std::vector<std::string>* drops, bool validator_only) const
{
    const Encoding encoding = chunk.encoding && *chunk.encoding == Encoding::utf8 ? Encoding::utf8 : detect_encoding(chunk.bytes);
    if (encoding == Encoding::binary) return std::nullopt;
    std::string storage; // UTF-16 only: UTF-8 text is scanned where it lies
    const std::string_view text = text_of(chunk.bytes, encoding, storage);
    const auto owned = [&chunk](std::size_t line) { return line >= chunk.own_first_line && line <= chunk.own_last_line; };
    std::vector<TraceEntry> trace;
    std::vector<Finding> found = scan_text(text, chunk.where, chunk.added_lines, drops ? &trace : nullptr,
                                           encoding == Encoding::utf8 ? chunk.lineage : nullptr); // the bytes a lineage describes
    if (encoding != Encoding::utf8) // UTF-16 by its BOM or its NULs, yet part of it may be plain text (a line appended by echo)
        for (Finding& f : scan_text(chunk.bytes, chunk.where, chunk.added_lines))
            if (std::none_of(found.begin(), found.end(), [&f](const Finding& g) { return g.fingerprint == f.fingerprint; }))
                found.push_back(std::move(f));
    if (chunk.lines_before || chunk.own_first_line != 1 || chunk.own_last_line != SIZE_MAX) { // a segment (Chunk)
        std::erase_if(found, [&owned](const Finding& f) { return !owned(f.line); });
        for (Finding& f : found) f.line += chunk.lines_before, f.end_line += chunk.lines_before;
    }
    if (validator_only) std::erase_if(trace, [](const TraceEntry& t) { return t.drop.step != FilterStep::validator; });
    if (!drops || trace.empty()) return found;
    const LineIndex lines(text);
    Columns columns(text, lines);
    std::stable_sort(trace.begin(), trace.end(), [](const TraceEntry& a, const TraceEntry& b) { return a.secret_begin < b.secret_begin; });
    for (const TraceEntry& t : trace) {
        const std::size_t line = lines.line_of(t.secret_begin);
        if (!owned(line)) continue;
        drops->push_back(chunk.where.name() + ":" + std::to_string(line + chunk.lines_before) + ":" + std::to_string(columns.of(t.secret_begin)) +
                         ": rule " + m_chain.rules()[t.rule].id + ", step " + std::string(to_string(t.drop.step)) + ": " + t.drop.reason);
    }
    return found;
}

std::vector<RawMatch> Scanner::kept_matches(std::string_view text, const Provenance& where, const std::vector<std::size_t>* added_lines,
                                            std::vector<TraceEntry>* trace, std::vector<MatchResult>& results,
                                            std::vector<std::pair<std::size_t, std::size_t>>& every_secret, Lineage* lineage) const
{
    std::vector<RawMatch> raw, rejected; // rejected: token rules' matches their validators reject
    find_matches(m_matcher, text, where.path, added_lines, raw, lineage);
    std::vector<Kept> passed;
    for (const RawMatch& m : raw) {
        every_secret.emplace_back(m.secret_begin, m.secret_end); // redacted in line_text even when not reported
        MatchResult result;
        if (auto drop = m_chain.check_match(MatchView{m.rule, text, m.secret_begin, m.secret_end, where.path, m.begin}, result)) {
            const bool format_rule = m_chain.rules()[m.rule].detector.empty(); // a detector's extractor knows no format
            if (drop->step == FilterStep::validator || (drop->step == FilterStep::extract && format_rule)) rejected.push_back(m);
            record(m_chain, trace, m, std::move(*drop));
        } else {
            passed.push_back({m, std::move(result)});
        }
    }
    defer_to_validators(m_chain, rejected, passed, trace);
    resolve_overlaps(m_chain, passed, trace);
    std::vector<RawMatch> out;
    for (Kept& k : passed) {
        out.push_back(k.match);
        results.push_back(std::move(k.result));
    }
    return out;
}

std::vector<Finding> Scanner::scan_text(std::string_view text, const Provenance& where, const std::vector<std::size_t>* added_lines,
                                        std::vector<TraceEntry>* trace, Lineage* lineage) const
{
    if (added_lines && added_lines->empty()) return {};
    return scan_layer(text, where, added_lines, trace, 0, lineage);
}

std::vector<Finding> Scanner::scan_layer(std::string_view text, const Provenance& where, const std::vector<std::size_t>* added_lines,
                                         std::vector<TraceEntry>* trace, int depth, Lineage* lineage) const
{
    std::vector<MatchResult> results;
    std::vector<std::pair<std::size_t, std::size_t>> every_secret; // every rule's matches, reported or not
    const std::vector<RawMatch> matches = kept_matches(text, where, added_lines, trace, results, every_secret, lineage);
    std::vector<std::pair<const Decoder*, DecodedSpan>> spans;
    if (depth < max_decode_depth)
        for (const auto& decoder : m_decoders) {
            std::vector<DecodedSpan> found;
            decoder->decode_with_lineage(text, found, lineage);
            for (DecodedSpan& span : found) spans.emplace_back(decoder.get(), std::move(span));
        }
    std::vector<Finding> out;
    if (matches.empty() && spans.empty()) return out;
    const LineIndex lines(text);
    MarkedLines marked_lines(lines); // each line searched for a marker once, however many matches it has
    const std::function<bool(std::size_t)> marked = std::ref(marked_lines);
    Columns columns(text, lines);
    std::vector<std::pair<std::size_t, std::size_t>> ranges; // secret byte ranges of out's findings
    for (std::size_t i = 0; i < matches.size(); ++i) {
        const RawMatch& m = matches[i];
        const std::size_t first = lines.line_of(m.begin), last = lines.line_of(m.end > m.begin ? m.end - 1 : m.begin);
        if (auto drop = m_chain.check_lines(first, last, added_lines, marked)) {
            record(m_chain, trace, m, std::move(*drop));
            continue;
        }
        out.push_back(make_finding(m_chain.rules()[m.rule], Kept{m, results[i]}, text, lines, columns, where));
        ranges.emplace_back(m.secret_begin, m.secret_end);
    }
    const std::size_t outer = out.size();
    for (const auto& [decoder, span] : spans) {
        for (Finding& f : scan_span(*decoder, span, text, lines, where, depth)) {
            f.column = columns.of(span.begin);
            f.end_column = columns.of(span.end > span.begin ? span.end - 1 : span.begin);
            if (auto drop = m_chain.check_lines(f.line, f.end_line, added_lines, marked)) {
                m_chain.count(drop->step);
                continue;
            }
            merge_decoded(std::move(f), span, out, ranges, outer);
            if (out.size() > ranges.size()) ranges.emplace_back(span.begin, span.end);
        }
    }
    if (depth == 0) {
        every_secret.insert(every_secret.end(), ranges.begin(), ranges.end());
        if (m_redact_only && !out.empty()) redact_only_secrets(*m_redact_only, m_decoders, lines, out, where.path, every_secret);
        place_line_text(lines, ranges, every_secret, out);
    }
    return out;
}

std::vector<Finding> Scanner::scan_span(const Decoder& decoder, const DecodedSpan& span, std::string_view text, const LineIndex& lines,
                                        const Provenance& where, int depth) const
{
    // The layer is the span's line up to the span, then the decoded text: a key before the
    // encoded value names the decoded one (`password.hex=...`). Findings in that context are the
    // outer layer's to report.
    // Only the max_decode_context bytes before the span are searched for its line's start: a
    // long line with many spans is not searched back to its start for each.
    const std::size_t floor = span.begin > max_decode_context ? span.begin - max_decode_context : 0;
    const std::size_t newline = text.substr(floor, span.begin - floor).rfind('\n');
    std::size_t context = newline == std::string_view::npos ? floor : floor + newline + 1;
    while (context < span.begin && (static_cast<unsigned char>(text[context]) & 0xc0) == 0x80) ++context;
    std::string layer(text.substr(context, span.begin - context));
    const std::size_t context_columns = LineIndex(layer).column_of(layer.size());
    layer += span.text;
    std::vector<Finding> found = scan_layer(layer, where, nullptr, nullptr, depth + 1);
    std::erase_if(found, [&](const Finding& f) { return f.line == 1 && f.column < context_columns; });
    const std::size_t first = lines.line_of(span.begin), last = lines.line_of(span.end > span.begin ? span.end - 1 : span.begin);
    for (Finding& f : found) {
        f.line = first, f.end_line = last; // the caller sets the column (of span.begin)
        const std::string name(span.decoder.empty() ? decoder.name() : span.decoder);
        f.decoder = f.decoder.empty() ? name : name + "/" + f.decoder;
    }
    return found;
}

std::string example_path(const Rule& rule)
{
    if (rule.paths.empty()) return "example";
    std::string p = rule.paths.front();
    for (std::size_t at; (at = p.find("**/")) != std::string::npos;) p.erase(at, 3);
    std::string out;
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (p[i] == '*') out += "example";
        else if (p[i] == '?') out += 'x';
        else if (p[i] == '[') i = p.find(']', i) == std::string::npos ? p.size() : p.find(']', i), out += 'x';
        else out += p[i];
    }
    return out;
}

std::optional<std::string> Scanner::explain_miss(std::size_t rule, std::string_view text) const
{
    std::vector<TraceEntry> trace;
    const std::string path = example_path(m_matcher.rules()[rule]);
    const std::vector<Finding> found = scan_text(text, Provenance{SourceKind::file, path, ""}, nullptr, &trace);
    const std::string& id = m_matcher.rules()[rule].id;
    if (std::any_of(found.begin(), found.end(), [&id](const Finding& f) { return f.rule_id == id; })) return std::nullopt;
    for (const TraceEntry& t : trace)
        if (t.rule == rule) return t.drop.reason;
    std::vector<RawMatch> direct;
    m_matcher.find_rule(rule, text, direct);
    if (!m_matcher.keyword_occurs(rule, text))
        return direct.empty() ? "no keyword occurs in it, and the regex does not match" : "no keyword occurs in it";
    return "the regex does not match";
}

} // namespace secretscan
