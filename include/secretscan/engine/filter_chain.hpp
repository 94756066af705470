#pragma once
// The filter chain: every reason a regex match does not become a reported finding, as one
// ordered list of steps (docs/architecture.md, "Filter chain"). The scanner runs the match and
// line steps on each text; run_scan runs the finding steps on each finding before a sink sees
// it. `rules check` and --verbose ask the same chain which step dropped a match.

#include <secretscan/engine/finding.hpp>
#include <secretscan/engine/validators.hpp>
#include <secretscan/rules/rule.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// The steps, in the order they run. Match steps look at one regex match; `overlap` at the
/// matches of one text together; line steps at the lines a match spans; finding steps at a
/// finding as reported (after history attributes it to a commit and a path).
enum class FilterStep {
    path,          ///< match: the rule applies to other files (its `paths` globs)
    extract,       ///< match: the rule's extractor finds no secret in the matched text (not base64, ...)
    entropy,       ///< match: the secret's Shannon entropy is below the rule's floor
    stopword,      ///< match: the secret contains one of the rule's own stopwords
    shared_filter, ///< match: a class of the shared filter (filters.hpp): template, placeholder,
                   ///< fixture, hash, uuid, example-host, lockfile
    value,         ///< match: generic rules: the value test (value.hpp) says it is no secret
    validator,     ///< match: the rule's offline validator rejects the secret
    overlap,       ///< text: another rule's match of the same bytes is reported (one finding per secret)
    added_lines,   ///< line: the match touches no line the commit adds (staged scans)
    inline_marker, ///< line: the line where it starts or ends holds an inline allow marker
    allowlist,     ///< finding: a configured path glob, secret regex or stopword, or a git-secrets allowed pattern
    baseline,      ///< finding: a baseline holds its fingerprint, with an entry that has not expired
    confidence,    ///< finding: its rule is less confident than --min-confidence
};

/// Number of FilterStep values.
inline constexpr std::size_t filter_step_count = 13;

/// "path", "extract", "entropy", "stopword", "shared-filter", "value", "validator", "overlap",
/// "added-lines", "inline-marker", "allowlist", "baseline", "confidence".
std::string_view to_string(FilterStep s) noexcept;

/// Markers that, anywhere on the line where a match starts or ends, drop it.
inline constexpr std::string_view inline_allow_markers[] = {"secretscan:allow", "gitleaks:allow", "pragma: allowlist secret"};

/// Whether `line` holds one of inline_allow_markers: linear in its length. Thread-safe.
bool holds_allow_marker(std::string_view line) noexcept;

/// Why a match was dropped: the step and, for people, what in the match made it drop
/// ("the secret's entropy 2.1 is below the floor 3.0").
struct Drop {
    FilterStep step;
    std::string reason;
};

/// One regex match as the match steps see it.
struct MatchView {
    std::size_t rule = 0;          ///< index into the chain's rules
    std::string_view text;         ///< the decoded text that was matched
    std::size_t secret_begin = 0;  ///< byte offsets of the secret in `text`
    std::size_t secret_end = 0;
    std::string_view path;         ///< the chunk's path (the lockfile class)
    std::size_t begin = 0;         ///< where the whole match starts (for a generic rule, its key)

    std::string_view secret() const noexcept { return text.substr(secret_begin, secret_end - secret_begin); }
};

/// What the match steps establish about a match they keep.
struct MatchResult {
    std::string note;    ///< what the validator established
    std::string secret;  ///< the extracted secret; empty: the matched secret text itself
    std::string decoder; ///< the extractor that produced `secret`
};

/// What the configuration drops (config.hpp fills it in; empty by default).
struct FindingPolicy {
    std::vector<std::string> path_globs;   ///< glob_match patterns on the finding's path
    std::vector<std::string> secret_regexes; ///< RE2, searched in the secret
    std::vector<std::string> stopwords;    ///< lower-case substrings of the lower-cased secret
    std::map<std::string, std::string> baseline; ///< fingerprint -> expires (YYYY-MM-DD, "" never)
    std::string today;                     ///< YYYY-MM-DD, for baseline expiry
    Confidence min_confidence = Confidence::low;
    /// Further allowlist checks (git-secrets' allowed patterns): the reason a finding is allowed,
    /// or "" to keep it. Must be thread-safe.
    std::vector<std::function<std::string(const Finding&)>> allow;
    /// For benchmarks only (bench/value_test.cpp): what generic rules' value step keeps. Unset:
    /// the value test (value.hpp). A number: values whose Shannon entropy, in bits per byte, is
    /// at least that, as entropy-filtered scanners decide; 0 keeps every value.
    std::optional<double> value_entropy;
};

/// Per-step counts of dropped matches, indexed by FilterStep.
using DropCounts = std::array<std::uint64_t, filter_step_count>;

/// The steps, set up for one rule list and one policy. Immutable after construction except for
/// the drop counters, which are atomic: every member may be called from many threads at once.
class FilterChain {
public:
    /// `rules` must outlive the chain (the Matcher's). `inline_markers`: honour
    /// inline_allow_markers (off in git-secrets mode, which has none). Throws Error(config) for
    /// an invalid secret regex in the policy or an unknown validator name.
    FilterChain(const std::vector<Rule>& rules, FindingPolicy policy = {}, bool inline_markers = true);
    ~FilterChain();

    const std::vector<Rule>& rules() const noexcept { return m_rules; }

    /// The match steps (path, extract, entropy, stopword, shared_filter, value, validator) in
    /// order, the steps after extract looking at the extracted secret: the first that drops the
    /// match, or nullopt with `result` filled in.
    std::optional<Drop> check_match(const MatchView& m, MatchResult& result) const;

    /// Which of two overlapping matches (rule indices) is reported: the user's own rule (a pack
    /// loaded at run time, then a git-secrets pattern) over a built-in one, so a team's rule id is
    /// never hidden (issue 12); then a token rule's over a generic one's, a regex's over a
    /// detector's (a file format's own rule over the assignment detector), then a match that
    /// names its provider over one that knows only the format (`a_named`, `b_named`: the whole
    /// match holds 3 bytes or more besides the secret, such as `workos_api_key: "` before an
    /// `sk_live_` key that Stripe's rule also matches), then the higher confidence, then the rule
    /// loaded first. True when `a` is preferred to `b`.
    bool preferred(std::size_t a, std::size_t b, bool a_named = false, bool b_named = false) const noexcept;

    /// What in `path` decides the findings a text gives: one character per test that looks at
    /// the path (each rule's `paths` globs or path regex, the lockfile class, the code-file and
    /// .properties tests of the value step). Two paths with the same key give the same findings
    /// for the same content, so a history scan reads a blob once per key (history.hpp).
    std::string path_key(std::string_view path) const;

    /// The line steps for a match spanning lines [first, last] (1-based): added_lines (when
    /// `added` is non-null: sorted line numbers that count), then inline_marker on the texts of
    /// its first and last lines.
    std::optional<Drop> check_lines(std::size_t first, std::size_t last, const std::vector<std::size_t>* added,
                                    std::string_view first_text, std::string_view last_text) const;

    /// check_lines with the inline_marker step asking `marked(line)` (1-based) whether a line
    /// holds a marker, called only when markers are honoured. A caller checking many matches of
    /// one text remembers the answer per line, so a long line with thousands of matches is
    /// searched once, not once per match (hardening issue, item 11).
    std::optional<Drop> check_lines(std::size_t first, std::size_t last, const std::vector<std::size_t>* added,
                                    const std::function<bool(std::size_t)>& marked) const;

    /// The finding steps (allowlist, baseline, confidence). A finding whose baseline entry has
    /// expired is kept and marked baseline_expired.
    std::optional<Drop> check_finding(Finding& f) const;

    /// Counts a drop, for --verbose. Thread-safe.
    void count(FilterStep step) const noexcept;
    /// The drops counted so far.
    DropCounts counts() const noexcept;
    /// Adds `counts` as if each drop had been counted (a cached scan's). Thread-safe.
    void add_counts(const DropCounts& counts) const noexcept;
    /// Until called again, count() on the calling thread also adds to `*tally` (null: to
    /// nothing), whichever chain counts: one item's drops, for the scan cache. Returns the
    /// tally it replaces.
    static DropCounts* tally_thread(DropCounts* tally) noexcept;

private:
    std::optional<Drop> validate(std::size_t rule, std::string_view secret, MatchResult& result) const;

    struct Impl;
    const std::vector<Rule>& m_rules;
    std::unique_ptr<Impl> m_impl;
    bool m_inline_markers;
    mutable std::array<std::atomic<std::uint64_t>, filter_step_count> m_counts{};
};

} // namespace secretscan
