#pragma once
// gitleaks and Betterleaks configurations (TOML), read as they are: `--rules file.toml`, a
// repository's .gitleaks.toml / .betterleaks.toml, and .gitleaksignore (docs/migrating.md,
// "Configurations"). Parsed with toml++. The format is gitleaks 8's (config/gitleaks.toml in
// github.com/gitleaks/gitleaks; its README documents each key); Betterleaks reads the same file.
#include <secretscan/engine/finding.hpp>
#include <secretscan/rules/pack.hpp>
#include <secretscan/rules/rule.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// One `[[allowlists]]` table (global, or a rule's `[[rules.allowlists]]`; the older singular
/// `[allowlist]` tables too). A finding it covers is dropped.
struct GitleaksAllowlist {
    enum class Target { secret, match, line }; ///< what `regexes` search: `regexTarget`
    std::string description;
    bool all = false;                   ///< `condition = "AND"`: every kind of check given must hit; else any one
    std::vector<std::string> commits;   ///< full commit ids, lower-case
    std::vector<std::string> paths;     ///< RE2 regexes, searched in the finding's path
    std::vector<std::string> regexes;   ///< RE2 regexes, searched in the target
    Target target = Target::secret;
    std::vector<std::string> stopwords; ///< lower-case; a secret containing one is covered
    std::vector<std::string> rules;     ///< the rule ids it applies to (`targetRules`, or its own rule); empty: every rule
    SourceMark mark;                    ///< where the table starts
};

/// What one configuration file (and the files its `[extend] path` names) holds.
struct GitleaksConfig {
    std::vector<Rule> rules;                   ///< RuleOrigin::pack; ids as the file writes them
    std::vector<GitleaksAllowlist> allowlists; ///< global ones first, then the rules' own
    std::vector<std::string> disabled;         ///< `[extend] disabledRules`: ids of rules to leave out
    bool use_default = false;                  ///< `[extend] useDefault`: the built-in catalogue stands for gitleaks' own
    /// Rules that are not loaded and keys that are not used, one sentence each naming the file,
    /// line and rule id ("f.toml:812: rule pkcs12-file: a rule without a regex ... is not loaded"):
    /// said on stderr by the caller, never dropped silently.
    std::vector<std::string> notes;
};

/// Parses a configuration's text; `name` is used in messages and marks. Each `[[rules]]` table
/// gives a Rule: id (kept as written, any characters but white space), description (its name),
/// regex (Go's regexp syntax, which RE2 shares; `(?<name>` is read as `(?P<name>`), secretGroup
/// (default: the first group that matched a non-empty text, as gitleaks), entropy (Shannon,
/// bits per byte, as secretscan's), keywords (lower-cased; none: the rule runs on every text),
/// path (an RE2 regex the finding's path must match), tags. A regex that can reach past its line
/// (`(?s`, `\n`, `[\s\S]`) is `multiline`. The regexes are checked as a pack's are (size limits
/// counted in `budget` when given; docs/rules.md "Regex size"). A rule without a regex (a
/// path-only rule) is not loaded: a note says so.
/// Throws Error(config) "name:line:col: ..." for malformed TOML, a value of the wrong type, a
/// rule without an id, a duplicate id, an unknown `condition` or `regexTarget`, and "name:line:col:
/// rule ID: ..." for a regex RE2 does not accept or that is too large.
GitleaksConfig parse_gitleaks_config(std::string_view toml_text, const std::string& name, RegexBudget* budget = nullptr);

/// Reads and parses a configuration file (parse_gitleaks_config), then the file its `[extend]
/// path` names (relative to its folder), whose rules come first and whose rules of the same id
/// it replaces, at most 4 levels deep. Each file must be a regular file of at most 16 MiB and,
/// when `inside` is not empty, resolve inside that folder (a repository's own configuration
/// stays in the repository). Throws Error(config) naming the file as parse_gitleaks_config does,
/// or when a file cannot be read, is too large, lies outside `inside` or extends in a cycle.
GitleaksConfig load_gitleaks_config(const std::string& path, const std::string& inside = "", RegexBudget* budget = nullptr);

/// Whether a file name is read as a gitleaks configuration (its extension is `.toml`).
bool is_gitleaks_config(std::string_view path) noexcept;

/// The check a FindingPolicy's `allow` runs for these allowlists: the reason a finding is
/// dropped ("the gitleaks allowlist at f.toml:12:1 covers it"), or "" to keep it. A finding in
/// history is covered by a `commits` list when every commit that holds it is listed. Nullptr when
/// there are no allowlists. Throws Error(config) naming the table for a regex RE2 rejects. The
/// function returned is thread-safe.
std::function<std::string(const Finding&)> gitleaks_allow_check(const std::vector<GitleaksAllowlist>& allowlists);

/// The fingerprint gitleaks gives a finding, which .gitleaksignore lists: `commit:path:rule:line`
/// in history, `path:rule:line` elsewhere.
std::string gitleaks_fingerprint(const Finding& f);

/// Reads a .gitleaksignore file: one gitleaks fingerprint per line; blank lines and lines
/// starting with '#' are skipped. The check drops a finding whose gitleaks_fingerprint is listed
/// (commits written in full, as gitleaks' reports give them), or, as gitleaks does in history
/// too, its `path:rule:line`. An entry whose rule is none of `rules` gets a note "FILE:LINE:
/// rule 'ID' is not loaded..." in `notes` (gitleaks' own rule ids are not secretscan's). Nullptr
/// for a file with no entries. Throws Error(config) naming the file when it cannot be read. The
/// function returned is thread-safe.
std::function<std::string(const Finding&)> gitleaks_ignore_check(const std::string& path, const std::vector<Rule>& rules,
                                                                 std::vector<std::string>& notes);

} // namespace secretscan
