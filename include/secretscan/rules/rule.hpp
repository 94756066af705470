#pragma once
// Rule packs: the YAML schema of DESIGN §2, loaded with yaml-cpp.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// How sure a rule is that a match is a live secret.
enum class Confidence { low, medium, high };

/// "low", "medium" or "high".
std::string_view to_string(Confidence c) noexcept;

/// A rule-local allowlist (DESIGN §3): a match whose secret contains one of the stopwords
/// (ASCII case-insensitive substring) is dropped.
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

/// One detection rule, as written in a pack. Plain data: the compiled form lives in Matcher.
struct Rule {
    std::string id;         ///< stable kebab-case id, unique across all loaded packs
    std::string name;       ///< human-readable name
    std::string regex;      ///< RE2 syntax; matched against whole decoded chunks (may span lines)
    int secret_group = -1;  ///< capture group holding the secret; -1 = "1 if any group, else 0"
    std::vector<std::string> keywords; ///< literal prefilter, stored lower-cased; never empty
    bool multiline = false; ///< a match may run many lines below its keyword (a PEM block); other
                            ///< rules' matches lie within their keyword's line and one line either side
    double entropy = 0.0;   ///< minimum Shannon entropy of the secret in bits per byte; 0 = none
    std::string validate;   ///< offline validator name (validators.hpp; empty = none); a
                            ///< match that fails it is not reported
    Confidence confidence = Confidence::medium;
    std::vector<std::string> tags;
    std::vector<std::string> references; ///< URLs of the provider's documentation of the format
    std::string remediation;
    std::string impact;     ///< what an attacker can do with the secret; empty: the family's (impact_of)
    RuleAllowlist allowlist;
    /// Whether the shared filter (filters.hpp) applies: the pack key `shared_filter`, default
    /// true; false for formats whose genuine values look like placeholders (Twitter's bearer
    /// tokens start with a run of 'A') and for git-secrets patterns, which report every match
    /// as git-secrets does.
    bool shared_filter = true;
    std::vector<std::string> examples;          ///< each must produce a finding of this rule
    std::vector<std::string> negative_examples; ///< each must produce no finding of this rule
    std::vector<SourceMark> example_marks;          ///< where each example is written
    std::vector<SourceMark> negative_example_marks; ///< where each negative example is written
    SourceMark mark;        ///< where the rule starts in its pack
    SourceMark regex_mark;  ///< where its regex is written
};

/// The rule's family: its second tag (docs/rules.md lists them), else its first, else "".
std::string_view family_of(const Rule& rule) noexcept;

/// What an attacker can do with a secret of this rule, for `rules explain`: the rule's `impact`
/// key, else a sentence for its family, else "". Thread-safe.
std::string impact_of(const Rule& rule);

/// The shipped rules (patterns/*.yaml, in file-name order), parsed and checked at build time by
/// secretscan-packgen and compiled into the binary: no YAML is parsed at run time. Each call
/// builds a fresh vector (about 0.1 ms for 200 rules). Thread-safe.
std::vector<Rule> builtin_rules();

/// Number of rules builtin_rules() returns.
std::size_t builtin_rule_count() noexcept;

/// Parses one pack. `name` is used in messages only. When `check_regex` is true every regex is
/// compiled once with RE2 to reject bad syntax here, with the file, line, column and rule id.
/// Throws Error(config) on malformed YAML, a missing or mistyped key, an unknown key, a bad
/// regex, or a rule without keywords.
std::vector<Rule> parse_pack(std::string_view yaml_text, const std::string& name, bool check_regex);

/// Reads and parses a pack file (see parse_pack). Throws Error(config) when it cannot be read.
std::vector<Rule> load_pack_file(const std::string& path);

/// Options that decide which rules a scan uses.
struct RuleSelection {
    bool builtin = true;                 ///< include the shipped packs
    std::vector<std::string> extra_packs; ///< files, or directories whose *.yaml are loaded
    std::vector<std::string> disabled;   ///< rule ids to drop
};

/// Loads the selected rules. Throws Error(config) on a bad pack, a duplicate id (naming both
/// places), or a disabled id that no pack defines.
std::vector<Rule> load_rules(const RuleSelection& selection);

} // namespace secretscan
