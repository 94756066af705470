#include <secretscan/engine/detectors.hpp>
#include <secretscan/engine/glob.hpp>
#include <secretscan/engine/matcher.hpp>
#include <secretscan/error.hpp>

#include "engine/keyword_set.hpp"
#include "util/regex.hpp"
#include "util/strings.hpp"

#include <re2/set.h>

#ifdef SECRETSCAN_HAVE_HYPERSCAN
#include <hs/hs.h>
#endif

#include <algorithm>
#include <array>
#include <cctype>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>

namespace secretscan {

double shannon_entropy(std::string_view s) noexcept
{
    if (s.empty()) return 0.0;
    std::array<std::size_t, 256> counts{};
    for (unsigned char c : s) ++counts[c];
    double h = 0.0;
    const double n = static_cast<double>(s.size());
    for (std::size_t c : counts) {
        if (c == 0) continue;
        const double p = static_cast<double>(c) / n;
        h -= p * std::log2(p);
    }
    return h;
}

namespace {

struct CompiledRule {
    std::once_flag once;
    std::unique_ptr<RE2> re;
    int secret_group = 0;
    int groups = 0;
    DetectorFn detector = nullptr; // instead of the regex
};

std::string where(const Rule& r)
{
    return to_string(r.regex_mark.line ? r.regex_mark : r.mark);
}

/// A byte range [begin, end) of a text.
struct Window {
    std::size_t begin;
    std::size_t end;
    bool anchored = false; // a match must start at `begin`
};

/// Start of the line holding byte `p`, then `extra` lines further back.
std::size_t lines_back(std::string_view text, std::size_t p, int extra)
{
    auto start = [&text](std::size_t q) {
        const void* nl = q ? memrchr(text.data(), '\n', q) : nullptr;
        return nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1 : 0;
    };
    std::size_t s = start(p);
    for (int i = 0; i < extra && s > 0; ++i) s = start(s - 1);
    return s;
}

/// End (exclusive, after its newline) of the line holding byte `q`, then `extra` lines further.
std::size_t lines_forward(std::string_view text, std::size_t q, int extra)
{
    for (int i = 0; i <= extra && q < text.size(); ++i) {
        if (i > 0) ++q;
        const void* nl = memchr(text.data() + q, '\n', text.size() - q);
        q = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) : text.size();
    }
    // The window keeps the line's '\n': a rule whose secret must be followed by a delimiter
    // ("(?:[^A-Za-z0-9]|$)") consumes it, and RE2 matches "$" only at the end of the whole text.
    return std::min(q + 1, text.size());
}

/// A failed Set match is an error, never "no secret".
void set_match(const RE2::Set& set, std::string_view text, std::vector<int>& hits, const char* what)
{
    RE2::Set::ErrorInfo info{};
    if (set.Match(text, &hits, &info) || info.kind == RE2::Set::kNoError) return;
    throw Error(ErrorKind::runtime, std::string(what) + (info.kind == RE2::Set::kOutOfMemory
                                                             ? ": RE2 DFA out of memory; the input was not scanned"
                                                             : ": RE2::Set match failed; the input was not scanned"));
}

/// The rules to run on a text: each with the windows it runs in (empty: the whole text).
using Candidates = std::vector<std::pair<std::size_t, std::vector<Window>>>;

} // namespace

#ifdef SECRETSCAN_HAVE_HYPERSCAN
/// The keyword prefilter as a Hyperscan literal database: several times faster than RE2::Set
/// on large inputs, but compiling it costs milliseconds, so only bulk scans ask for it.
class HsKeywords {
public:
    explicit HsKeywords(const std::vector<std::string>& keywords)
    {
        std::vector<const char*> exprs;
        std::vector<std::size_t> lens;
        std::vector<unsigned> flags, ids;
        for (std::size_t i = 0; i < keywords.size(); ++i) {
            exprs.push_back(keywords[i].c_str());
            lens.push_back(keywords[i].size());
            flags.push_back(HS_FLAG_CASELESS); // every occurrence: the matcher windows around each
            ids.push_back(static_cast<unsigned>(i));
        }
        hs_compile_error_t* err = nullptr;
        if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(), static_cast<unsigned>(exprs.size()),
                                 HS_MODE_BLOCK, nullptr, &m_db, &err) != HS_SUCCESS) {
            hs_free_compile_error(err);
            m_db = nullptr;
        }
    }
    ~HsKeywords() { hs_free_database(m_db); }
    HsKeywords(const HsKeywords&) = delete;
    HsKeywords& operator=(const HsKeywords&) = delete;
    bool ok() const { return m_db != nullptr; }

    /// Appends every occurrence of every keyword in `text` to `hits`, each end moved by `offset`
    /// (where `text` lies in a larger one), in text order. Throws Error(runtime) when the scan fails.
    void match(std::string_view text, std::size_t offset, std::vector<KeywordHit>& hits) const
    {
        // Scratch space is per thread (Hyperscan forbids sharing it) and per database.
        struct Scratch {
            const hs_database_t* db = nullptr;
            hs_scratch_t* space = nullptr;
            ~Scratch() { hs_free_scratch(space); }
        };
        thread_local Scratch scratch;
        if (scratch.db != m_db) {
            if (hs_alloc_scratch(m_db, &scratch.space) != HS_SUCCESS)
                throw Error(ErrorKind::runtime, "keyword prefilter: cannot allocate Hyperscan scratch space");
            scratch.db = m_db;
        }
        struct Sink {
            std::vector<KeywordHit>& hits;
            std::size_t offset;
        } sink{hits, offset};
        auto on_match = [](unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) -> int {
            auto& into = *static_cast<Sink*>(ctx);
            into.hits.push_back({id, static_cast<std::uint32_t>(to + into.offset)});
            return 0;
        };
        if (hs_scan(m_db, text.data(), static_cast<unsigned>(text.size()), 0, scratch.space, on_match, &sink) != HS_SUCCESS)
            throw Error(ErrorKind::runtime, "keyword prefilter: Hyperscan scan failed; the input was not scanned");
    }

private:
    hs_database_t* m_db = nullptr;
};
#endif

struct Matcher::Impl {
    const std::vector<Rule>& rules;
    std::vector<std::string> keyword_list;                  // keyword index -> keyword
    std::vector<std::vector<std::size_t>> rules_of_keyword; // keyword index -> rule indices
    // keyword index -> for each of rules_of_keyword's rules, how far into each of that rule's
    // matches the keyword is written (keyword_anchors), else npos
    std::vector<std::vector<std::size_t>> anchors_of_keyword;
    std::size_t longest_keyword = 0;
    std::unique_ptr<KeywordSet> keywords;      // the keyword prefilter for inputs bulk scans leave to it
    std::unique_ptr<RE2::Set> unfiltered;      // regexes of the rules without keywords
    std::vector<std::size_t> unfiltered_rules; // set index -> rule index
    std::vector<std::size_t> file_rules;       // rules with paths and no keywords: run on matching files
    std::vector<std::vector<Glob>> path_globs; // rule index -> its paths, compiled (none: every path)
    std::uint64_t id = next_id++;              // distinct for every Matcher made (applies_here's cache)
    static inline std::atomic<std::uint64_t> next_id{1};
    std::vector<std::unique_ptr<CompiledRule>> compiled;
#ifdef SECRETSCAN_HAVE_HYPERSCAN
    std::once_flag hs_once;
    std::unique_ptr<HsKeywords> hs;
    std::atomic<bool> want_hs{false};
#endif

    std::int64_t loaded_memory; // each loaded (not built-in) rule's regex memory (loaded_rule_memory)

    explicit Impl(const std::vector<Rule>& r)
        : rules(r),
          loaded_memory(loaded_rule_memory(static_cast<std::size_t>(
              std::count_if(r.begin(), r.end(), [](const Rule& x) { return x.origin != RuleOrigin::builtin; }))))
    {
    }

    const CompiledRule& compile(std::size_t i) const;
    void add_keywords(std::size_t i, std::map<std::string, std::size_t>& index);
    void add_unfiltered(std::size_t i);
    void add_anchors(std::size_t i, const std::map<std::string, std::size_t>& index);
    bool bulk_candidates(std::string_view text, Candidates& out, Lineage* lineage) const;
    std::vector<KeywordHit> keyword_hits(std::string_view text, const Lineage* lineage) const;
    void inherited_hits(std::string_view text, const Lineage& lineage, std::vector<KeywordHit>& hits) const;
    void set_candidates(std::string_view text, Candidates& out) const;
    void run_rule(std::size_t ri, std::string_view text, const std::vector<Window>& windows, std::vector<RawMatch>& out) const;
};

namespace {

/// For a multiline rule, where each keyword is written in every match: its offset from the
/// match's start, one per keyword, when the regex starts with a literal text holding each of them
/// (`-----BEGIN RSA PRIVATE KEY-----` holds `BEGIN RSA PRIVATE KEY` at 5); else empty. The rule
/// then runs anchored at each keyword occurrence, not unanchored to the end of the text from the
/// first (which read every later byte of every file that says "machine", for .netrc's rule).
/// The keyword prefilter folds ASCII case only: a case-insensitive regex also matches K and S as
/// U+212A and U+017F, so a keyword with k or s does not anchor one.
std::vector<std::size_t> keyword_anchors(const std::string& regex, const std::vector<std::string>& keywords)
{
    bool caseless = false;
    const auto lower = [](std::string t) {
        for (char& ch : t) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return t;
    };
    const std::string literal = lower(leading_literal(regex, caseless));
    std::vector<std::size_t> offsets;
    for (const std::string& kw : keywords) {
        const std::string k = lower(kw);
        const std::size_t at = literal.find(k);
        if (k.empty() || at == std::string::npos || (caseless && k.find_first_of("ks") != std::string::npos)) return {};
        offsets.push_back(at);
    }
    return offsets;
}

/// The error for a rule whose regex, as line_anchored() rewrote it, did not compile (RE2 said
/// `error`). RE2's messages quote the pattern: quote the user's, not the rewritten one.
Error invalid_regex(const Rule& rule, const std::string& error)
{
    const RE2 written(rule.regex, re2_options(1 << 20));
    return Error(ErrorKind::config, where(rule) + ": rule " + rule.id + ": invalid regex: " + (written.ok() ? error : written.error()));
}

} // namespace

const CompiledRule& Matcher::Impl::compile(std::size_t i) const
{
    const Rule& rule = rules[i];
    CompiledRule& c = *compiled[i];
    if (c.detector) return c;
    std::call_once(c.once, [&] {
        auto re = std::make_unique<RE2>(line_anchored(rule.regex),
                                        re2_options(rule.origin == RuleOrigin::builtin ? rule_regex_memory : loaded_memory));
        if (!re->ok()) throw invalid_regex(rule, re->error());
        c.groups = re->NumberOfCapturingGroups();
        c.secret_group = rule.secret_group >= 0 ? rule.secret_group
                         : c.groups == 0         ? 0
                         : rule.secret_group == first_nonempty_group ? first_nonempty_group
                                                                     : 1;
        if (c.secret_group > c.groups)
            throw Error(ErrorKind::config, where(rule) + ": rule " + rule.id + ": 'secret_group' " + std::to_string(c.secret_group) +
                                               " but the regex has " + std::to_string(c.groups) + " capture groups");
        c.re = std::move(re);
    });
    return c; // a throw inside call_once leaves it unset: the next call compiles (and throws) again
}

void Matcher::Impl::add_keywords(std::size_t i, std::map<std::string, std::size_t>& index)
{
    for (const auto& kw : rules[i].keywords) {
        auto it = index.find(kw);
        if (it == index.end()) {
            it = index.emplace(kw, keyword_list.size()).first;
            rules_of_keyword.emplace_back();
            anchors_of_keyword.emplace_back();
            keyword_list.push_back(kw);
        }
        auto& v = rules_of_keyword[it->second];
        if (v.empty() || v.back() != i) v.push_back(i), anchors_of_keyword[it->second].push_back(std::string::npos);
    }
}

void Matcher::Impl::add_anchors(std::size_t i, const std::map<std::string, std::size_t>& index)
{
    if (!rules[i].multiline || !rules[i].detector.empty()) return;
    const std::vector<std::size_t> offsets = keyword_anchors(rules[i].regex, rules[i].keywords);
    for (std::size_t k = 0; k < offsets.size(); ++k) {
        const std::size_t kw = index.at(rules[i].keywords[k]);
        anchors_of_keyword[kw][static_cast<std::size_t>(std::find(rules_of_keyword[kw].begin(), rules_of_keyword[kw].end(), i) -
                                                        rules_of_keyword[kw].begin())] = offsets[k];
    }
}

void Matcher::Impl::add_unfiltered(std::size_t i)
{
    // Rules without keywords (patterns from git config) are prefiltered by one RE2::Set of
    // their own regexes: a single DFA pass says which of them can match at all.
    if (!unfiltered) unfiltered = std::make_unique<RE2::Set>(re2_options(256 << 20), RE2::UNANCHORED);
    std::string err;
    if (unfiltered->Add(line_anchored(rules[i].regex), &err) < 0) throw invalid_regex(rules[i], err);
    unfiltered_rules.push_back(i);
}

namespace {

/// Sorts out[first..] (one rule's matches) by start and drops each match that starts inside the
/// one kept before it: a detector run on several windows (bulk prefilter) sees each window
/// alone, and a value found from one key may hold the next key (`password = "a password = b"`),
/// so its matches must be kept apart as one run over the whole text keeps them.
void keep_apart(std::vector<RawMatch>& out, std::size_t first)
{
    const auto from = out.begin() + static_cast<std::ptrdiff_t>(first);
    std::stable_sort(from, out.end(), [](const RawMatch& a, const RawMatch& b) { return a.begin < b.begin; });
    std::size_t last_end = 0;
    auto kept = from;
    for (auto it = from; it != out.end(); ++it) {
        if (it != from && it->begin < last_end) continue;
        last_end = it->end;
        *kept++ = *it;
    }
    out.erase(kept, out.end());
}

} // namespace

/// With the bulk prefilter, a keyword rule runs only around its keywords' occurrences: the
/// keyword's line and one line either side (to the end of the text for multiline rules); a
/// detector, which reads a key's surroundings itself, gets the occurrences alone.
bool Matcher::Impl::bulk_candidates(std::string_view text, Candidates& out, Lineage* lineage) const
{
#ifdef SECRETSCAN_HAVE_HYPERSCAN
    if (!want_hs || text.size() > UINT32_MAX) return false;
    std::vector<KeywordHit> hits = keyword_hits(text, lineage);
    std::map<std::size_t, std::vector<Window>> windows; // rule -> merged windows
    for (const KeywordHit& hit : hits) {
        const std::size_t k = hit.keyword, end = hit.end, start = end - keyword_list[k].size();
        for (std::size_t j = 0; j < rules_of_keyword[k].size(); ++j) {
            const std::size_t r = rules_of_keyword[k][j], anchor = anchors_of_keyword[k][j];
            auto& list = windows[r];
            if (anchor != std::string::npos) { // the match starts `anchor` bytes before the keyword
                if (start >= anchor) list.push_back({start - anchor, text.size(), true});
                continue;
            }
            if (compiled[r]->detector) { // pass and password at one place: one window over both
                if (!list.empty() && start < list.back().end)
                    list.back() = {std::min(list.back().begin, start), std::max(list.back().end, end)};
                else
                    list.push_back({start, end});
                continue;
            }
            if (!list.empty() && start < list.back().end) continue; // inside the last window
            const Window w{lines_back(text, start, 1), rules[r].multiline ? text.size() : lines_forward(text, end ? end - 1 : 0, 1)};
            if (!list.empty() && w.begin <= list.back().end) list.back().end = std::max(list.back().end, w.end);
            else list.push_back(w);
        }
    }
    for (auto& [r, list] : windows) {
        if (!list.empty() && list.front().anchored) { // starts of several keywords, in no order
            std::sort(list.begin(), list.end(), [](const Window& a, const Window& b) { return a.begin < b.begin; });
            list.erase(std::unique(list.begin(), list.end(), [](const Window& a, const Window& b) { return a.begin == b.begin; }), list.end());
        }
        out.emplace_back(r, std::move(list));
    }
    if (lineage) lineage->facts.hits = std::move(hits), lineage->facts.hits_known = true;
    return true;
#else
    (void)text;
    (void)out;
    (void)lineage;
    return false;
#endif
}

#ifdef SECRETSCAN_HAVE_HYPERSCAN
/// Every keyword hit of `text`, by end then keyword: searched in the whole text, or with a
/// lineage whose base hits are known, in its new bytes and seams only (inherited_hits).
std::vector<KeywordHit> Matcher::Impl::keyword_hits(std::string_view text, const Lineage* lineage) const
{
    std::vector<KeywordHit> hits;
    if (lineage && lineage->base && lineage->base->hits_known) inherited_hits(text, *lineage, hits);
    else hs->match(text, 0, hits);
    std::sort(hits.begin(), hits.end(), [](const KeywordHit& a, const KeywordHit& b) { return a.end != b.end ? a.end < b.end : a.keyword < b.keyword; });
    hits.erase(std::unique(hits.begin(), hits.end()), hits.end()); // a seam's search finds some copied ones again
    return hits;
}

/// The hits of a text made of copies of a base text and new bytes. A keyword written wholly
/// inside one copy is a base hit moved; any other overlaps new bytes or spans the seam between
/// two copies, and lies within longest_keyword - 1 bytes of them, where the text is searched.
void Matcher::Impl::inherited_hits(std::string_view text, const Lineage& lineage, std::vector<KeywordHit>& hits) const
{
    const std::size_t reach = longest_keyword ? longest_keyword - 1 : 0;
    std::vector<Window> searched;
    const auto search = [&](std::size_t begin, std::size_t end) {
        begin = begin > reach ? begin - reach : 0, end = std::min(text.size(), end + reach);
        if (!searched.empty() && begin <= searched.back().end) searched.back().end = std::max(searched.back().end, end);
        else searched.push_back({begin, end});
    };
    const std::vector<KeywordHit>& base = lineage.base->hits;
    std::size_t covered = 0; // the end of the copies so far
    for (const Copy& c : lineage.copies) {
        if (c.to > 0) search(covered, c.to); // new bytes, or the seam of two copies
        auto it = std::upper_bound(base.begin(), base.end(), c.from, [](std::size_t at, const KeywordHit& h) { return at < h.end; });
        for (; it != base.end() && it->end <= c.from + c.length; ++it)
            if (it->end - keyword_list[it->keyword].size() >= c.from) hits.push_back({it->keyword, static_cast<std::uint32_t>(it->end - c.from + c.to)});
        covered = c.to + c.length;
    }
    if (covered < text.size()) search(covered, text.size()); // a text is never empty here (find)
    for (const Window& w : searched) hs->match(text.substr(w.begin, w.end - w.begin), w.begin, hits);
}
#endif

void Matcher::Impl::set_candidates(std::string_view text, Candidates& out) const
{
    if (rules_of_keyword.empty()) return;
    std::vector<int> hits; // keyword indices
    keywords->find(text, hits);
    for (int k : hits)
        for (std::size_t r : rules_of_keyword[static_cast<std::size_t>(k)]) out.emplace_back(r, std::vector<Window>{});
}

namespace {

/// The secret of a match: group `group`, or with first_nonempty_group the first group that
/// matched a non-empty text (null when none did).
re2::StringPiece secret_of(const std::vector<re2::StringPiece>& groups, int group)
{
    if (group != first_nonempty_group) return groups[static_cast<std::size_t>(group)];
    for (std::size_t g = 1; g < groups.size(); ++g)
        if (groups[g].data() && !groups[g].empty()) return groups[g];
    return {};
}

} // namespace

void Matcher::Impl::run_rule(std::size_t ri, std::string_view text, const std::vector<Window>& windows,
                             std::vector<RawMatch>& out) const
{
    const CompiledRule& c = compile(ri);
    const std::vector<Window> whole{{0, text.size()}};
    if (c.detector) {
        const std::size_t first = out.size();
        for (const Window& w : windows.empty() ? whole : windows) c.detector(rules[ri], ri, text, w.begin, w.end, out);
        keep_apart(out, first);
        return;
    }
    std::vector<re2::StringPiece> groups(static_cast<std::size_t>(c.groups) + 1);
    std::size_t pos = 0;
    for (const Window& w : windows.empty() ? whole : windows) {
        for (pos = std::max(pos, w.begin); pos <= w.end;) {
            if (w.anchored && pos != w.begin) break; // tried, or inside the match before
            // The whole text stays the context, so \b and ^ see the bytes around the window.
            if (!c.re->Match(text, pos, w.end, w.anchored ? RE2::ANCHOR_START : RE2::UNANCHORED, groups.data(), c.groups + 1)) break;
            const std::size_t begin = static_cast<std::size_t>(groups[0].data() - text.data());
            const std::size_t end = begin + groups[0].size();
            pos = end > begin ? end : begin + 1;
            re2::StringPiece secret = secret_of(groups, c.secret_group);
            if (secret.data() == nullptr || secret.empty()) continue; // an optional group did not take part
            if (secret[secret.size() - 1] == '\r') secret.remove_suffix(1); // a `$` before a CRLF line end (line_anchored)
            if (secret.empty()) continue;
            const std::size_t s = static_cast<std::size_t>(secret.data() - text.data());
            out.push_back(RawMatch{ri, begin, end, s, s + secret.size()});
        }
    }
}

Matcher::Matcher(std::vector<Rule> rules) : m_rules(std::move(rules)), m_impl(std::make_unique<Impl>(m_rules))
{
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < m_rules.size(); ++i) {
        m_impl->compiled.push_back(std::make_unique<CompiledRule>());
        if (!m_rules[i].detector.empty()) {
            m_impl->compiled.back()->detector = find_detector(m_rules[i].detector);
            if (!m_impl->compiled.back()->detector || m_rules[i].keywords.empty())
                throw Error(ErrorKind::config, where(m_rules[i]) + ": rule " + m_rules[i].id + ": detector '" + m_rules[i].detector +
                                                   "' is unknown or has no keywords to run around");
        }
        m_impl->path_globs.emplace_back(m_rules[i].paths.begin(), m_rules[i].paths.end());
        if (m_rules[i].keywords.empty() && !m_rules[i].paths.empty()) m_impl->file_rules.push_back(i);
        else if (m_rules[i].keywords.empty()) m_impl->add_unfiltered(i);
        else m_impl->add_keywords(i, index), m_impl->add_anchors(i, index);
    }
    for (const std::string& kw : m_impl->keyword_list) m_impl->longest_keyword = std::max(m_impl->longest_keyword, kw.size());
    m_impl->keywords = std::make_unique<KeywordSet>(m_impl->keyword_list);
    if (m_impl->unfiltered && !m_impl->unfiltered->Compile())
        throw Error(ErrorKind::config, "cannot compile the regex prefilter (out of memory)");
}

Matcher::~Matcher() = default;

bool Matcher::prepare_acceleration() const
{
#ifdef SECRETSCAN_HAVE_HYPERSCAN
    if (m_impl->keyword_list.empty() || m_impl->keyword_list.size() > UINT32_MAX) return false;
    std::call_once(m_impl->hs_once, [this] {
        auto hs = std::make_unique<HsKeywords>(m_impl->keyword_list);
        if (hs->ok()) m_impl->hs = std::move(hs);
    });
    return m_impl->hs != nullptr;
#else
    return false;
#endif
}

bool Matcher::accelerate() const
{
#ifdef SECRETSCAN_HAVE_HYPERSCAN
    m_impl->want_hs = prepare_acceleration();
    return m_impl->want_hs;
#else
    return false;
#endif
}

void Matcher::compile_all() const
{
    for (std::size_t i = 0; i < m_rules.size(); ++i) m_impl->compile(i);
}

void Matcher::find(std::string_view text, std::vector<RawMatch>& out, std::string_view path, Lineage* lineage) const
{
    if (text.empty() || m_rules.empty()) return;
    Candidates candidates;
    if (!m_impl->bulk_candidates(text, candidates, lineage)) m_impl->set_candidates(text, candidates);
    if (m_impl->unfiltered) {
        std::vector<int> direct;
        set_match(*m_impl->unfiltered, text, direct, "regex prefilter");
        for (int k : direct) candidates.emplace_back(m_impl->unfiltered_rules[static_cast<std::size_t>(k)], std::vector<Window>{});
    }
    for (std::size_t r : m_impl->file_rules) candidates.emplace_back(r, std::vector<Window>{});
    std::erase_if(candidates, [&](const auto& c) { return !m_impl->path_globs[c.first].empty() && !applies_here(c.first, path); });
    std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if (i == 0 || candidates[i].first != candidates[i - 1].first) m_impl->run_rule(candidates[i].first, text, candidates[i].second, out);
}

bool Matcher::applies_here(std::size_t rule, std::string_view path) const
{
    // The same path is asked about again and again: each decoded span of a file, each chunk of
    // a large one. Each thread remembers its last path's answers.
    struct Gates {
        std::uint64_t owner = 0; // Impl::id: an address can be reused by a later Matcher
        std::string path;
        std::vector<std::string> segments;   // path split at '/', for glob_match
        std::vector<signed char> applies; // rule index -> -1 not yet asked, 0 no, 1 yes
    };
    thread_local Gates gates;
    if (gates.owner != m_impl->id || gates.path != path) {
        gates.owner = m_impl->id, gates.path.assign(path);
        gates.segments = split_nonempty(path, "/");
        gates.applies.assign(m_rules.size(), -1);
    }
    signed char& a = gates.applies[rule];
    if (a < 0) a = any_glob_matches(m_impl->path_globs[rule], gates.segments) ? 1 : 0;
    return a == 1;
}

bool applies_to(const Rule& rule, std::string_view path)
{
    return rule.paths.empty() || any_glob_matches(std::vector<Glob>(rule.paths.begin(), rule.paths.end()), split_nonempty(path, "/"));
}

void Matcher::find_rule(std::size_t rule, std::string_view text, std::vector<RawMatch>& out) const
{
    m_impl->run_rule(rule, text, {}, out);
}

bool Matcher::keyword_occurs(std::size_t rule, std::string_view text) const
{
    const std::string lower = ascii_lower(text);
    const auto& kws = m_rules[rule].keywords;
    return std::any_of(kws.begin(), kws.end(), [&lower](const std::string& k) { return lower.find(k) != std::string::npos; });
}

} // namespace secretscan
