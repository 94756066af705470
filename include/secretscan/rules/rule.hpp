#pragma once
// A detection rule as plain data: the schema of a rule pack (docs/rules.md). Loading lives in
// pack.hpp and selection.hpp; the compiled form lives in the engine's Matcher.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// How sure a rule is that a match is a live secret.
enum class Confidence { low, medium, high };

/// "low", "medium" or "high".
std::string_view to_string(Confidence c) noexcept;

/// What a rule recognises, which decides the shared filter's classes (filters.hpp).
enum class RuleKind {
    token,   ///< a provider's token format (a prefix, a length, a checksum): the pack key `kind: token`, the default
    generic, ///< a value recognised by the name it is assigned to (`password = ...`): digests, UUIDs,
             ///< test passwords and lockfile values are not secrets
    url,     ///< credentials inside a URL (`scheme://user:password@host`): generic, and credentials for
             ///< a host reserved for documentation (example.com) are not secrets; lockfiles are scanned
};

/// "token", "generic" or "url".
std::string_view to_string(RuleKind k) noexcept;

/// What the pack key `boundary` generates around a rule's regex R (docs/rules.md, "Boundaries"):
/// the secret is then R as a whole (group 1; R's own groups follow).
enum class Boundary {
    none,  ///< the regex is used as written
    token, ///< `\b(R)(?:[^A-Za-z0-9_-]|$)`: a token not preceded by a word character nor followed
           ///< by a letter, digit, '_' or '-'
    word,  ///< `\b(R)\b`
};

/// "none", "token" or "word".
std::string_view to_string(Boundary b) noexcept;

/// The regex a rule runs: `regex` wrapped as `boundary` says.
std::string apply_boundary(const std::string& regex, Boundary boundary);

/// Where a rule came from: decides reporting precedence (one finding per secret) and messages.
enum class RuleOrigin {
    builtin,     ///< a shipped pack (patterns/*.yaml), compiled into the binary
    pack,        ///< a pack loaded at run time (--rules, `rules:` in a configuration file)
    git_secrets, ///< a git-secrets pattern (git config secrets.patterns or a provider)
};

/// A rule-local allowlist: a match whose secret contains one of the stopwords (ASCII
/// case-insensitive substring) is dropped.
struct RuleAllowlist {
    std::vector<std::string> stopwords; ///< stored lower-cased
};

/// Where in a pack file a value was written: for error messages. 1-based line and column;
/// 0 when unknown (e.g. a rule built in code).
struct SourceMark {
    std::string file;
    std::size_t line = 0;
    std::size_t column = 0;
};

/// "file:line:col", or just the file when the line is unknown.
std::string to_string(const SourceMark& m);

/// Rule::secret_group for "the first capture group that matched a non-empty text" (gitleaks'
/// choice when a rule names no secretGroup).
inline constexpr int first_nonempty_group = -2;

/// One detection rule. Plain data: the compiled form lives in Matcher.
struct Rule {
    std::string id;         ///< stable kebab-case id, unique across all loaded packs
    std::string name;       ///< human-readable name
    std::string regex;      ///< RE2 syntax, with its boundary applied; matched against whole decoded texts;
                            ///< empty when a detector finds the matches
    Boundary boundary = Boundary::none; ///< what the pack asked for (already part of `regex`)
    int secret_group = -1;  ///< capture group holding the secret; -1 = "1 if any group, else 0";
                            ///< first_nonempty_group: the first group that matched a non-empty text
    std::vector<std::string> keywords; ///< literal prefilter, stored lower-cased; never empty in a pack
    bool multiline = false; ///< a match may run many lines below its keyword (a PEM block); other
                            ///< rules' matches lie within their keyword's line and one line either side
    double entropy = 0.0;   ///< minimum Shannon entropy of the secret in bits per byte; 0 = none
    std::string detector;   ///< a built-in detector (detectors.hpp) that finds the matches instead of a
                            ///< regex, around the rule's keywords; empty = the regex
    std::string extract;    ///< an extractor (extractors.hpp) that decodes the matched text into the
                            ///< secret (base64, user:password); empty = the text is the secret
    std::vector<std::string> paths; ///< path globs (glob.hpp): the rule reports only in such files; empty = any
    std::string path_regex; ///< an RE2 regex searched in the path: the rule reports only in such files
                            ///< (a gitleaks rule's `path`); empty = any
    std::string validate;   ///< offline validator name (validators.hpp; empty = none); a
                            ///< match that fails it is not reported
    Confidence confidence = Confidence::medium;
    RuleKind kind = RuleKind::token;
    std::string family;     ///< cloud, vcs, ci, ... (docs/rules.md lists them); empty for ad hoc rules
    std::vector<std::string> tags; ///< free labels; shipped rules start with the provider
    std::vector<std::string> references; ///< URLs of the provider's documentation of the format
    std::string remediation;
    std::string impact;     ///< what an attacker can do with the secret; empty: the family's (impact_of)
    RuleAllowlist allowlist;
    /// Whether the shared filter (filters.hpp) applies: the pack key `shared_filter`, default
    /// true; false for formats whose genuine values look like placeholders (Twitter's bearer
    /// tokens start with a run of 'A') and for git-secrets patterns, which report every match
    /// as git-secrets does.
    bool shared_filter = true;
    RuleOrigin origin = RuleOrigin::pack;
    std::vector<std::string> examples;          ///< each must produce a finding of this rule
    std::vector<std::string> negative_examples; ///< each must produce no finding of this rule
    std::vector<SourceMark> example_marks;          ///< where each example is written
    std::vector<SourceMark> negative_example_marks; ///< where each negative example is written
    SourceMark mark;        ///< where the rule starts in its pack
    SourceMark regex_mark;  ///< where its regex is written
};

/// What an attacker can do with a secret of this rule, for `rules explain`: the rule's `impact`
/// key, else a sentence for its family, else "". Thread-safe.
std::string impact_of(const Rule& rule);

/// How much harm a leak of this rule's secret does, on the 0.1 to 10.0 scale of CVSS and of
/// GitHub code scanning's `security-severity` (9.0 and up critical, 7.0 high, 4.0 medium, else
/// low): its family's figure (docs/rules.md, "Severity"; 7.0 for a rule without a family), less
/// 1.0 for medium confidence and 3.0 for low (a likely false positive matters less), never below
/// 0.1. Thread-safe.
double security_severity(const Rule& rule) noexcept;

/// The families a shipped rule may name, in docs/rules.md's order.
const std::vector<std::string_view>& rule_families() noexcept;

} // namespace secretscan
