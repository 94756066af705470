#include <secretscan/error.hpp>
#include <secretscan/engine/filters.hpp>
#include <secretscan/engine/matcher.hpp>
#include <secretscan/engine/validators.hpp>

#include "util/strings.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#ifdef SECRETSCAN_HAVE_HYPERSCAN
#include <hs/hs.h>
#endif

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cmath>
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
};

std::string where(const Rule& r)
{
    const SourceMark& m = r.regex_mark.line ? r.regex_mark : r.mark;
    if (m.line == 0) return m.file;
    return m.file + ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
}

bool has_stopword(const Rule& rule, std::string_view secret)
{
    if (rule.allowlist.stopwords.empty()) return false;
    const std::string lower = ascii_lower(secret);
    return std::any_of(rule.allowlist.stopwords.begin(), rule.allowlist.stopwords.end(),
                       [&lower](const std::string& w) { return lower.find(w) != std::string::npos; });
}

/// A byte range [begin, end) of a text.
struct Window {
    std::size_t begin;
    std::size_t end;
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

    /// Every occurrence of every keyword in `text`: (keyword index, end offset) in text order.
    /// Throws Error(runtime) when the scan fails.
    void match(std::string_view text, std::vector<std::pair<unsigned, std::size_t>>& hits) const
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
        auto on_match = [](unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) -> int {
            static_cast<std::vector<std::pair<unsigned, std::size_t>>*>(ctx)->emplace_back(id, static_cast<std::size_t>(to));
            return 0;
        };
        if (hs_scan(m_db, text.data(), static_cast<unsigned>(text.size()), 0, scratch.space, on_match, &hits) != HS_SUCCESS)
            throw Error(ErrorKind::runtime, "keyword prefilter: Hyperscan scan failed; the input was not scanned");
    }

private:
    hs_database_t* m_db = nullptr;
};
#endif

struct Matcher::Impl {
#ifdef SECRETSCAN_HAVE_HYPERSCAN
    std::vector<std::string> keyword_list; // Set index -> keyword
    std::once_flag hs_once;
    std::unique_ptr<HsKeywords> hs;
    std::atomic<bool> want_hs{false};
#endif
    std::unique_ptr<RE2::Set> keywords;
    std::unique_ptr<RE2::Set> unfiltered;       // regexes of the rules without keywords
    std::vector<std::size_t> unfiltered_rules;  // set index -> rule index
    std::vector<std::vector<std::size_t>> rules_of_keyword; // keyword index -> rule indices
    std::vector<std::unique_ptr<CompiledRule>> compiled;
    std::vector<bool> generic;               // rule index -> tag "generic"
    std::vector<bool> url;                   // rule index -> tag "url" (credentials in a URL)
    std::vector<ValidatorFn> validators;     // rule index -> validator or nullptr

    const CompiledRule& compile(const Rule& rule, std::size_t i) const
    {
        CompiledRule& c = *compiled[i];
        std::call_once(c.once, [&] {
            RE2::Options o;
            o.set_log_errors(false);
            o.set_max_mem(64 << 20); // room for the DFA of counted repetitions such as [A-Za-z0-9/+=]{40}
            auto re = std::make_unique<RE2>(rule.regex, o);
            if (!re->ok())
                throw Error(ErrorKind::config, where(rule) + ": rule " + rule.id + ": invalid regex: " + re->error());
            c.groups = re->NumberOfCapturingGroups();
            c.secret_group = rule.secret_group >= 0 ? rule.secret_group : (c.groups > 0 ? 1 : 0);
            if (c.secret_group > c.groups)
                throw Error(ErrorKind::config, where(rule) + ": rule " + rule.id + ": 'secret_group' " +
                                                   std::to_string(c.secret_group) + " but the regex has " +
                                                   std::to_string(c.groups) + " capture groups");
            c.re = std::move(re);
        });
        return c; // a throw inside call_once leaves it unset: the next call compiles (and throws) again
    }
};

Matcher::Matcher(std::vector<Rule> rules) : m_rules(std::move(rules)), m_impl(std::make_unique<Impl>())
{
    RE2::Options o;
    o.set_log_errors(false);
    o.set_case_sensitive(false);
    o.set_literal(true);
    o.set_max_mem(64 << 20);
    m_impl->keywords = std::make_unique<RE2::Set>(o, RE2::UNANCHORED);
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < m_rules.size(); ++i) {
        m_impl->compiled.push_back(std::make_unique<CompiledRule>());
        const Rule& r = m_rules[i];
        m_impl->generic.push_back(std::find(r.tags.begin(), r.tags.end(), "generic") != r.tags.end());
        m_impl->url.push_back(std::find(r.tags.begin(), r.tags.end(), "url") != r.tags.end());
        ValidatorFn fn = r.validate.empty() ? nullptr : find_validator(r.validate);
        if (!r.validate.empty() && !fn)
            throw Error(ErrorKind::config, where(r) + ": rule " + r.id + ": unknown validator '" + r.validate + "'");
        m_impl->validators.push_back(fn);
        for (const auto& kw : m_rules[i].keywords) {
            auto it = index.find(kw);
            if (it == index.end()) {
                std::string err;
                const int k = m_impl->keywords->Add(kw, &err);
                if (k < 0) throw Error(ErrorKind::config, where(m_rules[i]) + ": rule " + m_rules[i].id + ": bad keyword '" + kw + "': " + err);
                it = index.emplace(kw, static_cast<std::size_t>(k)).first;
                m_impl->rules_of_keyword.emplace_back();
#ifdef SECRETSCAN_HAVE_HYPERSCAN
                m_impl->keyword_list.push_back(kw);
#endif
            }
            auto& v = m_impl->rules_of_keyword[it->second];
            if (v.empty() || v.back() != i) v.push_back(i);
        }
    }
    if (!m_impl->keywords->Compile()) throw Error(ErrorKind::config, "cannot compile the keyword prefilter (out of memory)");
    // Rules without keywords (patterns from git config) are prefiltered by one RE2::Set of
    // their own regexes: a single DFA pass says which of them can match at all.
    RE2::Options u;
    u.set_log_errors(false);
    u.set_max_mem(256 << 20);
    for (std::size_t i = 0; i < m_rules.size(); ++i) {
        if (!m_rules[i].keywords.empty()) continue;
        if (!m_impl->unfiltered) m_impl->unfiltered = std::make_unique<RE2::Set>(u, RE2::UNANCHORED);
        std::string err;
        if (m_impl->unfiltered->Add(m_rules[i].regex, &err) < 0)
            throw Error(ErrorKind::config, where(m_rules[i]) + ": rule " + m_rules[i].id + ": invalid regex: " + err);
        m_impl->unfiltered_rules.push_back(i);
    }
    if (m_impl->unfiltered && !m_impl->unfiltered->Compile())
        throw Error(ErrorKind::config, "cannot compile the regex prefilter (out of memory)");
}

Matcher::~Matcher() = default;

bool Matcher::is_generic(std::size_t i) const noexcept { return i < m_impl->generic.size() && m_impl->generic[i]; }

bool Matcher::is_url(std::size_t i) const noexcept { return i < m_impl->url.size() && m_impl->url[i]; }

bool Matcher::accelerate() const
{
#ifdef SECRETSCAN_HAVE_HYPERSCAN
    if (m_impl->keyword_list.empty() || m_impl->keyword_list.size() > UINT32_MAX) return false;
    std::call_once(m_impl->hs_once, [this] {
        auto hs = std::make_unique<HsKeywords>(m_impl->keyword_list);
        if (hs->ok()) m_impl->hs = std::move(hs);
    });
    m_impl->want_hs = m_impl->hs != nullptr;
    return m_impl->want_hs;
#else
    return false;
#endif
}

void Matcher::compile_all() const
{
    for (std::size_t i = 0; i < m_rules.size(); ++i) m_impl->compile(m_rules[i], i);
}

void Matcher::find(std::string_view text, std::vector<RawMatch>& out) const
{
    if (text.empty() || m_rules.empty()) return;
    // A failed Set match is an error, never "no secret".
    auto set_match = [&text](const RE2::Set& set, std::vector<int>& hits, const char* what) {
        RE2::Set::ErrorInfo info{};
        if (set.Match(text, &hits, &info)) return;
        if (info.kind == RE2::Set::kNoError) return; // nothing matched
        throw Error(ErrorKind::runtime, std::string(what) +
                                            (info.kind == RE2::Set::kOutOfMemory ? ": RE2 DFA out of memory; the input was not scanned"
                                                                                 : ": RE2::Set match failed; the input was not scanned"));
    };
    // With the bulk prefilter, a keyword rule runs only around its keywords' occurrences: the
    // keyword's line and one line either side (to the end of the text for multiline rules).
    std::map<std::size_t, std::vector<Window>> windows; // rule -> merged windows, empty: whole text
    std::vector<std::size_t> candidates;
#ifdef SECRETSCAN_HAVE_HYPERSCAN
    if (m_impl->want_hs && text.size() <= UINT32_MAX) {
        std::vector<std::pair<unsigned, std::size_t>> occurrences;
        m_impl->hs->match(text, occurrences);
        std::vector<std::size_t> covered(m_rules.size(), 0); // per rule: end of its last window
        for (const auto& [k, end] : occurrences) {
            const std::size_t start = end - m_impl->keyword_list[k].size();
            for (std::size_t r : m_impl->rules_of_keyword[k]) {
                auto& list = windows[r];
                if (!list.empty() && start < covered[r]) continue; // inside the last window
                Window w{lines_back(text, start, 1), m_rules[r].multiline ? text.size() : lines_forward(text, end ? end - 1 : 0, 1)};
                if (!list.empty() && w.begin <= list.back().end) list.back().end = std::max(list.back().end, w.end);
                else list.push_back(w);
                covered[r] = list.back().end;
            }
        }
        for (const auto& [r, list] : windows) candidates.push_back(r);
    } else
#endif
    if (!m_impl->rules_of_keyword.empty()) {
        std::vector<int> hits; // keyword indices
        set_match(*m_impl->keywords, hits, "keyword prefilter");
        for (int k : hits)
            for (std::size_t r : m_impl->rules_of_keyword[static_cast<std::size_t>(k)]) candidates.push_back(r);
    }
    if (m_impl->unfiltered) {
        std::vector<int> direct;
        set_match(*m_impl->unfiltered, direct, "regex prefilter");
        for (int k : direct) candidates.push_back(m_impl->unfiltered_rules[static_cast<std::size_t>(k)]);
    }
    if (candidates.empty()) return;
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

    std::vector<re2::StringPiece> groups;
    const std::vector<Window> whole_text{{0, text.size()}};
    for (std::size_t ri : candidates) {
        const Rule& rule = m_rules[ri];
        const CompiledRule& c = m_impl->compile(rule, ri);
        groups.assign(static_cast<std::size_t>(c.groups) + 1, re2::StringPiece());
        const auto it = windows.find(ri);
        const std::vector<Window>& ranges = (it == windows.end() || it->second.empty()) ? whole_text : it->second;
        std::size_t pos = 0;
        for (const Window& w : ranges) {
            for (pos = std::max(pos, w.begin); pos <= w.end;) {
                // The whole text stays the context, so \b and ^ see the bytes around the window.
                if (!c.re->Match(text, pos, w.end, RE2::UNANCHORED, groups.data(), c.groups + 1)) break;
                const re2::StringPiece whole = groups[0];
                const std::size_t begin = static_cast<std::size_t>(whole.data() - text.data());
                const std::size_t end = begin + whole.size();
                pos = end > begin ? end : begin + 1;
                const re2::StringPiece secret = groups[static_cast<std::size_t>(c.secret_group)];
                if (secret.data() == nullptr || secret.empty()) continue; // optional group did not take part
                const std::string_view sv(secret.data(), secret.size());
                if (rule.entropy > 0 && shannon_entropy(sv) < rule.entropy) continue;
                if (has_stopword(rule, sv)) continue;
                if (rule.shared_filter && classify_secret(sv, m_impl->generic[ri]) != FilterClass::none) continue;
                if (rule.shared_filter && m_impl->url[ri] &&
                    credentials_for_example_host(text, static_cast<std::size_t>(secret.data() - text.data()) + secret.size()))
                    continue;
                Validation verdict;
                if (const ValidatorFn v = m_impl->validators[ri]) {
                    verdict = v(sv);
                    if (!verdict.passed) continue;
                }
                RawMatch m;
                m.note = std::move(verdict.note);
                m.rule = ri;
                m.begin = begin;
                m.end = end;
                m.secret_begin = static_cast<std::size_t>(secret.data() - text.data());
                m.secret_end = m.secret_begin + secret.size();
                out.push_back(m);
            }
        }
    }
}

} // namespace secretscan
