#include <secretscan/engine/filter_chain.hpp>
#include <secretscan/engine/filters.hpp>
#include <secretscan/engine/glob.hpp>
#include <secretscan/engine/matcher.hpp>
#include <secretscan/engine/extractors.hpp>
#include <secretscan/engine/value.hpp>
#include <secretscan/error.hpp>

#include "util/regex.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <tuple>
#include <unordered_map>

namespace secretscan {

bool holds_allow_marker(std::string_view line) noexcept
{
    return std::any_of(std::begin(inline_allow_markers), std::end(inline_allow_markers),
                       [line](std::string_view m) { return line.find(m) != std::string_view::npos; });
}

std::string_view to_string(FilterStep s) noexcept
{
    switch (s) {
    case FilterStep::path: return "path";
    case FilterStep::extract: return "extract";
    case FilterStep::entropy: return "entropy";
    case FilterStep::stopword: return "stopword";
    case FilterStep::shared_filter: return "shared-filter";
    case FilterStep::value: return "value";
    case FilterStep::validator: return "validator";
    case FilterStep::overlap: return "overlap";
    case FilterStep::added_lines: return "added-lines";
    case FilterStep::inline_marker: return "inline-marker";
    case FilterStep::allowlist: return "allowlist";
    case FilterStep::baseline: return "baseline";
    case FilterStep::confidence: return "confidence";
    }
    return "entropy";
}

namespace {

/// `v` cut (not rounded) to two decimals: an entropy just under its floor never shows as equal.
std::string two_decimals(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", std::floor(v * 100) / 100);
    return buf;
}

bool touches(const std::vector<std::size_t>& added, std::size_t first, std::size_t last)
{
    const auto it = std::lower_bound(added.begin(), added.end(), first);
    return it != added.end() && *it <= last;
}

const std::string shared_filter_doc = " (docs/rules.md, \"Shared filter\")";

/// The shared filter's classes for one match (filters.hpp), by the rule's kind.
/// Whether a generic rule's match assigns its value to a key that names a secret and not a digest
/// or an id: a 40-hex or UUID value of api_token or _authToken is the token (GitHub's older OAuth
/// tokens are 40 hex, Nexus and Heroku API keys UUIDs), while sha, hash, checksum and the like
/// name digests.
bool keyed_secret(const Rule& rule, const MatchView& m)
{
    // A detector's match starts at its key; a format rule's (netrc's "machine ... password") at
    // the field names before its secret. A rule whose match is the value alone names nothing.
    if (rule.kind != RuleKind::generic || m.secret_begin <= m.begin) return false;
    static constexpr std::array<std::string_view, 14> digest_words{"sha", "sha1", "sha256", "hash", "checksum", "digest", "md5", "etag",
                                                                   "fingerprint", "integrity", "commit", "revision", "crc", "uuid"};
    const std::string_view key = m.text.substr(m.begin, std::min<std::size_t>(m.secret_begin - m.begin, 128));
    std::string word; // the key's words, split at non-letters and camelCase changes, lower-cased
    for (std::size_t i = 0; i <= key.size(); ++i) {
        const char c = i < key.size() ? key[i] : ' ';
        const bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
        const bool upper_after_lower = i > 0 && std::isupper(static_cast<unsigned char>(c)) && std::islower(static_cast<unsigned char>(key[i - 1]));
        if ((!alnum || upper_after_lower) && !word.empty()) {
            if (std::find(digest_words.begin(), digest_words.end(), word) != digest_words.end()) return false;
            word.clear();
        }
        if (alnum) word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return true;
}

std::optional<Drop> shared_classes(const Rule& rule, const MatchView& m, std::string_view secret)
{
    const bool generic = rule.kind != RuleKind::token;
    FilterVerdict v = explain_secret(secret, generic);
    if ((v.cls == FilterClass::hash || v.cls == FilterClass::uuid) && keyed_secret(rule, m)) v.cls = FilterClass::none;
    if (v.cls != FilterClass::none)
        return Drop{FilterStep::shared_filter,
                    "the shared filter drops the secret as " + std::string(to_string(v.cls)) + ": it " + v.reason + shared_filter_doc};
    if (rule.kind == RuleKind::url && credentials_for_example_host(m.text, m.secret_end))
        return Drop{FilterStep::shared_filter, "the shared filter drops credentials for a reserved example domain" + shared_filter_doc};
    if (rule.kind == RuleKind::generic && is_lockfile(m.path))
        return Drop{FilterStep::shared_filter, "the shared filter drops generic values in a lockfile" + shared_filter_doc};
    return std::nullopt;
}

/// Whether byte `at` of `text` lies inside a string literal that opens earlier on its line (an
/// odd number of unescaped quotes of one kind before it).
bool inside_string(std::string_view text, std::size_t at)
{
    const std::size_t newline = text.rfind('\n', at);
    const std::size_t start = newline == std::string_view::npos ? 0 : newline + 1;
    int open[3] = {0, 0, 0};
    for (std::size_t i = start; i < at; ++i) {
        if (text[i] == '\\') {
            ++i;
            continue;
        }
        if (const auto q = std::string_view("\"'`").find(text[i]); q != std::string_view::npos) open[q] ^= 1;
    }
    return open[0] || open[1] || open[2];
}

/// Why a detector's unquoted value is no literal at all, or "": in code a string is quoted, so an
/// unquoted value is a name, call or expression (pass = c->argv[1], token = strdup(...)); and a
/// value glued to its ':' is a Redis key, a case pattern or a URL part (auth:fea5..., PASS:*),
/// not YAML, JSON or a configuration line (.properties files alone write key:value).
std::string not_a_literal(const Rule& rule, const MatchView& m)
{
    if (rule.detector.empty() || m.secret_begin == 0) return "";
    const char before = m.text[m.secret_begin - 1];
    if (before == '"' || before == '\'' || before == '`' || before == '>') return "";
    // A URL's query parameter inside a string literal ("https://...?apikey=VALUE&..."): the
    // string is the literal, the value part of it. Not any `key=` inside a string: "AUTH=CRAM-MD5"
    // is a protocol word, f"password={password}" an expression.
    if (m.begin > 0 && (m.text[m.begin - 1] == '?' || m.text[m.begin - 1] == '&') && inside_string(m.text, m.secret_begin)) return "";
    if (code_file(m.path)) return "it is unquoted in code: a name, call or expression, not a string";
    if (before == ':' && !m.path.ends_with(".properties")) return "it is glued to a ':' (a Redis key, a pattern), not assigned";
    return "";
}


/// A key's words, lower-cased: split at every byte that is not a letter or digit and where a
/// lower-case letter or digit is followed by an upper-case one (datadogApiKey: datadog, api, key).
std::vector<std::string> key_words(std::string_view key)
{
    std::vector<std::string> words(1);
    for (std::size_t i = 0; i < key.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(key[i]);
        const bool alnum = std::isalnum(c) != 0;
        const bool camel = i > 0 && std::isupper(c) && (std::islower(static_cast<unsigned char>(key[i - 1])) || std::isdigit(static_cast<unsigned char>(key[i - 1])));
        if ((!alnum || camel) && !words.back().empty()) words.emplace_back();
        if (alnum) words.back() += static_cast<char>(std::tolower(c));
    }
    if (words.back().empty()) words.pop_back();
    return words;
}

} // namespace

struct FilterChain::Impl {
    FindingPolicy policy;
    std::vector<std::pair<std::string, std::size_t>> prefixes; // token rules' keywords -> rule index
    std::vector<std::pair<std::string, std::size_t>> providers; // token rules' providers (first tag) -> rule index
    std::unordered_map<std::string, std::size_t> provider_at;    // provider name -> its first index in providers
    std::size_t longest_provider = 0;                            // bytes of the longest provider name

    /// The token rule whose provider the key before a generic match names, or nullptr.
    /// The provider must be whole words of the key (DATADOG_API_KEY, datadogApiKey,
    /// HASHICORP_VAULT_TOKEN for hashicorp-vault), not part of one: SQLALCHEMY_SECRET_KEY names no
    /// Alchemy, EXPORT_TOKEN no Expo.
    /// Of several, the first in `providers`.
    const std::pair<std::string, std::size_t>* named_provider(std::string_view key) const
    {
        const std::vector<std::string> words = key_words(key.substr(0, 128));
        std::size_t first = providers.size();
        for (std::size_t i = 0; i < words.size(); ++i) {
            std::string joined;
            for (std::size_t j = i; j < words.size() && joined.size() < longest_provider; ++j) {
                joined += words[j];
                if (const auto it = provider_at.find(joined); it != provider_at.end()) first = std::min(first, it->second);
            }
        }
        return first < providers.size() ? &providers[first] : nullptr;
    }

    /// The path step: the rule's `paths` globs, then its path regex.
    /// The path step: a rule with `paths` reports only in files that match one of them, one with
    /// a path regex only in files it matches. `segments`: `path` split at '/', or null to split it
    /// here when needed.
    std::optional<Drop> outside(const Rule& rule, std::size_t i, std::string_view path, const std::vector<std::string>* segments = nullptr) const
    {
        if (!path_globs[i].empty() && !any_glob_matches(path_globs[i], segments ? *segments : split_nonempty(path, "/")))
            return Drop{FilterStep::path, "the rule applies only to files matching its paths"};
        if (const RE2* re = path_regexes[i].get(); re && !RE2::PartialMatch(path, *re))
            return Drop{FilterStep::path, "the path does not match the rule's path regex '" + rule.path_regex + "'"};
        return std::nullopt;
    }

    /// The token rule whose keyword `secret` starts with, or nullptr.
    const std::pair<std::string, std::size_t>* owner(std::string_view secret) const
    {
        const std::string lower = ascii_lower(secret.substr(0, 32));
        for (const auto& p : prefixes)
            if (lower.starts_with(p.first) && (lower.size() > p.first.size() || p.first.size() >= 8)) return &p;
        return nullptr;
    }
    std::vector<ValidatorFn> validators; // rule index -> validator or nullptr
    std::vector<ExtractorFn> extractors; // rule index -> extractor or nullptr
    std::vector<std::unique_ptr<RE2>> secret_regexes;
    std::vector<std::unique_ptr<RE2>> path_regexes; // rule index -> its path_regex compiled; null: none
    std::vector<std::vector<Glob>> path_globs;      // rule index -> its paths compiled; none: every path

    std::optional<Drop> allowlisted(const Finding& f) const;
};

FilterChain::FilterChain(const std::vector<Rule>& rules, FindingPolicy policy, bool inline_markers)
    : m_rules(rules), m_impl(std::make_unique<Impl>()), m_inline_markers(inline_markers)
{
    for (const Rule& r : rules) {
        const ValidatorFn fn = r.validate.empty() ? nullptr : find_validator(r.validate);
        if (!r.validate.empty() && !fn)
            throw Error(ErrorKind::config, to_string(r.mark) + ": rule " + r.id + ": unknown validator '" + r.validate + "'");
        m_impl->validators.push_back(fn);
        m_impl->extractors.push_back(r.extract.empty() ? nullptr : find_extractor(r.extract));
        m_impl->path_regexes.push_back(r.path_regex.empty() ? nullptr : std::make_unique<RE2>(r.path_regex, re2_options()));
        m_impl->path_globs.emplace_back(r.paths.begin(), r.paths.end());
        if (!r.path_regex.empty() && !m_impl->path_regexes.back()->ok())
            throw Error(ErrorKind::config, to_string(r.mark) + ": rule " + r.id + ": path regex: " + m_impl->path_regexes.back()->error());
        if (r.kind == RuleKind::token && r.origin != RuleOrigin::git_secrets) {
            for (const std::string& k : r.keywords) // prefixes such as ghp_, sk-, xoxb-, dp.pt., DPAPI's AQAAANCMnd8B... (not words like ska)
                if ((k.size() >= 3 && k.find_first_of("_-.") != std::string::npos) ||
                    (k.size() >= 8 && !std::all_of(k.begin(), k.end(), [](char c) { return c >= 'a' && c <= 'z'; })))
                    m_impl->prefixes.emplace_back(k, m_impl->extractors.size() - 1);
            if (!r.tags.empty() && r.tags.front().size() >= 4 && r.family != "password-hash") { // a hash names no provider
                std::string name = ascii_lower(r.tags.front());
                std::erase(name, '-'); // compared with a key's words joined
                m_impl->providers.emplace_back(std::move(name), m_impl->extractors.size() - 1);
            }
        }
    }
    for (std::size_t i = 0; i < m_impl->providers.size(); ++i) {
        m_impl->provider_at.emplace(m_impl->providers[i].first, i);
        m_impl->longest_provider = std::max(m_impl->longest_provider, m_impl->providers[i].first.size());
    }
    for (const auto& r : policy.secret_regexes) {
        auto re = std::make_unique<RE2>(r, re2_options());
        if (!re->ok()) throw Error(ErrorKind::config, "allowlist secret regex '" + r + "': " + re->error());
        m_impl->secret_regexes.push_back(std::move(re));
    }
    m_impl->policy = std::move(policy);
}

FilterChain::~FilterChain() = default;

std::optional<Drop> FilterChain::check_match(const MatchView& m, MatchResult& result) const
{
    const Rule& rule = m_rules[m.rule];
    // Before the overlap step: a rule that cannot be reported must not take a secret from one
    // that can (a team's medium rule under --min-confidence high hid the built-in AWS rule).
    if (rule.confidence < m_impl->policy.min_confidence)
        return Drop{FilterStep::confidence, "its rule's confidence is below --min-confidence"};
    if (auto drop = m_impl->outside(rule, m.rule, m.path)) return drop;
    std::string_view secret = m.secret();
    if (const ExtractorFn x = m_impl->extractors[m.rule]) {
        Extraction e = x(secret);
        if (!e.ok) return Drop{FilterStep::extract, "the " + rule.extract + " extractor finds no secret: " + e.why};
        if (e.secret != secret) result.decoder = rule.extract; // said only when it decoded something
        result.secret = std::move(e.secret);
        secret = result.secret;
    }
    if (rule.entropy > 0)
        if (const double h = shannon_entropy(secret); h < rule.entropy)
            return Drop{FilterStep::entropy, "the secret's entropy " + two_decimals(h) + " is below the floor " + two_decimals(rule.entropy)};
    if (!rule.allowlist.stopwords.empty()) {
        const std::string lower = ascii_lower(secret);
        for (const std::string& w : rule.allowlist.stopwords)
            if (lower.find(w) != std::string::npos) return Drop{FilterStep::stopword, "the secret contains the stopword '" + w + "'"};
    }
    if (rule.shared_filter)
        if (auto drop = shared_classes(rule, m, secret)) return drop;
    if (rule.kind == RuleKind::generic) {
        if (const auto& floor = m_impl->policy.value_entropy) {
            if (const double h = shannon_entropy(secret); h < *floor)
                return Drop{FilterStep::value, "the entropy " + two_decimals(h) + " is below the benchmark's floor " + two_decimals(*floor)};
        } else if (std::string why = not_a_literal(rule, m); !why.empty()) {
            return Drop{FilterStep::value, "the value test: " + why};
        } else if (const ValueVerdict v = judge_value(secret, {true}); !v.secret) {
            return Drop{FilterStep::value, "the value test: it " + v.reason};
        }
        if (const auto* p = m_impl->owner(secret)) // a provider's token that its own rule does not take
            return Drop{FilterStep::value,
                        "it starts with " + p->first + ", the prefix of rule " + m_rules[p->second].id + ", which judges values of this shape"};
        const std::string_view key = m.text.substr(m.begin, m.secret_begin > m.begin ? m.secret_begin - m.begin : 0);
        // A detector's match starts at its key. A password (GRAFANA_ADMIN_PASSWORD) is chosen by
        // a person, never a provider's token format: it does not defer.
        const bool password = rule.family == "generic" && std::find(rule.keywords.begin(), rule.keywords.end(), "password") != rule.keywords.end();
        const auto* p = rule.detector != "assignment" || password ? nullptr : m_impl->named_provider(key);
        if (p) // the provider's rule knows its format: defer to it
            return Drop{FilterStep::value, "its key names " + p->first + ", whose rule " + m_rules[p->second].id +
                                               " knows that provider's format and does not report this value"};
    }
    return validate(m.rule, secret, result);
}

std::optional<Drop> FilterChain::validate(std::size_t rule, std::string_view secret, MatchResult& result) const
{
    const ValidatorFn v = m_impl->validators[rule];
    if (!v) return std::nullopt;
    Validation verdict = v(secret);
    if (!verdict.passed) return Drop{FilterStep::validator, "the " + m_rules[rule].validate + " validator fails: " + verdict.note};
    result.note = std::move(verdict.note);
    return std::nullopt;
}

std::string FilterChain::path_key(std::string_view path) const
{
    std::string key{is_lockfile(path) ? 'L' : '-', code_file(path) ? 'C' : '-', path.ends_with(".properties") ? 'P' : '-'};
    const std::vector<std::string> segments = split_nonempty(path, "/");
    for (std::size_t i = 0; i < m_rules.size(); ++i) {
        if (m_rules[i].paths.empty() && !m_impl->path_regexes[i]) continue;
        key += m_impl->outside(m_rules[i], i, path, &segments) ? '0' : '1';
    }
    return key;
}

bool FilterChain::preferred(std::size_t a, std::size_t b, bool a_named, bool b_named) const noexcept
{
    const auto rank = [this](std::size_t i, bool named) {
        const Rule& r = m_rules[i];
        return std::make_tuple(r.origin == RuleOrigin::builtin, r.origin == RuleOrigin::git_secrets, r.kind != RuleKind::token,
                               !r.detector.empty(), !named, -static_cast<int>(r.confidence), i);
    };
    return rank(a, a_named) < rank(b, b_named);
}

std::optional<Drop> FilterChain::check_lines(std::size_t first, std::size_t last, const std::vector<std::size_t>* added,
                                             std::string_view first_text, std::string_view last_text) const
{
    return check_lines(first, last, added, [&](std::size_t line) { return holds_allow_marker(line == first ? first_text : last_text); });
}

std::optional<Drop> FilterChain::check_lines(std::size_t first, std::size_t last, const std::vector<std::size_t>* added,
                                             const std::function<bool(std::size_t)>& marked) const
{
    if (added && !touches(*added, first, last)) return Drop{FilterStep::added_lines, "it is on no line the commit adds"};
    if (m_inline_markers && (marked(first) || (last != first && marked(last))))
        return Drop{FilterStep::inline_marker, "its line holds an inline allow marker (secretscan:allow)"};
    return std::nullopt;
}

std::optional<Drop> FilterChain::Impl::allowlisted(const Finding& f) const
{
    if (!f.path.empty())
        for (const auto& g : policy.path_globs)
            if (glob_match(g, f.path)) return Drop{FilterStep::allowlist, "the path matches the allowlist glob '" + g + "'"};
    for (std::size_t i = 0; i < secret_regexes.size(); ++i)
        if (RE2::PartialMatch(f.secret, *secret_regexes[i]))
            return Drop{FilterStep::allowlist, "the secret matches the allowlist regex '" + policy.secret_regexes[i] + "'"};
    if (!policy.stopwords.empty()) {
        const std::string lower = ascii_lower(f.secret);
        for (const auto& w : policy.stopwords)
            if (lower.find(w) != std::string::npos) return Drop{FilterStep::allowlist, "the secret contains the allowlist stopword '" + w + "'"};
    }
    for (const auto& allow : policy.allow)
        if (std::string why = allow(f); !why.empty()) return Drop{FilterStep::allowlist, why};
    return std::nullopt;
}

std::optional<Drop> FilterChain::check_finding(Finding& f) const
{
    if (auto drop = m_impl->allowlisted(f)) return drop;
    const FindingPolicy& p = m_impl->policy;
    if (const auto it = p.baseline.find(f.fingerprint); it != p.baseline.end()) {
        if (it->second.empty() || p.today <= it->second) return Drop{FilterStep::baseline, "a baseline accepts it"};
        f.baseline_expired = true;
    }
    const Confidence c = f.confidence == "high" ? Confidence::high : f.confidence == "medium" ? Confidence::medium : Confidence::low;
    if (c < p.min_confidence)
        return Drop{FilterStep::confidence, "its rule's confidence is below --min-confidence"};
    return std::nullopt;
}

namespace {
thread_local DropCounts* t_tally = nullptr; // FilterChain::tally_thread
} // namespace

void FilterChain::count(FilterStep step) const noexcept
{
    m_counts[static_cast<std::size_t>(step)].fetch_add(1, std::memory_order_relaxed);
    if (t_tally) ++(*t_tally)[static_cast<std::size_t>(step)];
}

void FilterChain::add_counts(const DropCounts& counts) const noexcept
{
    for (std::size_t i = 0; i < filter_step_count; ++i)
        if (counts[i]) m_counts[i].fetch_add(counts[i], std::memory_order_relaxed);
}

DropCounts* FilterChain::tally_thread(DropCounts* tally) noexcept
{
    DropCounts* before = t_tally;
    t_tally = tally;
    return before;
}

DropCounts FilterChain::counts() const noexcept
{
    DropCounts out{};
    for (std::size_t i = 0; i < filter_step_count; ++i) out[i] = m_counts[i].load(std::memory_order_relaxed);
    return out;
}

} // namespace secretscan
