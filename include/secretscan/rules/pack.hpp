#pragma once
// Rule packs: YAML files of rules (docs/rules.md), parsed with yaml-cpp, and the shipped packs
// compiled into the binary.

#include <secretscan/rules/rule.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// What the regexes checked so far have cost to compile, for a limit on all the packs one run
/// loads (docs/rules.md, "Regex size"). One per run; not shared between threads.
struct RegexBudget {
    std::int64_t used = 0; ///< RE2 instructions (RE2::ProgramSize) of the regexes checked so far
};

/// Parses one pack. `name` is used in messages and SourceMark::file. When `check_regex` is true
/// every regex is compiled once with RE2 to reject bad syntax here, with the file, line, column
/// and rule id, and its size is checked: at most 50,000 RE2 instructions per regex and, when
/// `budget` is given, 2,000,000 for every regex it has counted (docs/rules.md, "Regex size"); a
/// regex far over the limit fails within some 40 ms instead of compiling for seconds. Rules get
/// RuleOrigin::pack. Throws Error(config) naming file:line:col on
/// malformed YAML, a YAML anchor or alias (refused: they can expand a small file into
/// gigabytes), more than a million YAML nodes, a key that is not a plain name or is given twice,
/// a missing or mistyped key, an unknown key or value, a bad or too large regex, or a rule without keywords;
/// and naming the file for a text over 16 MiB. Messages quote a key or value from the text only
/// when it is short and printable (quoted_if_printable in util/yaml.hpp). `shipped` is only for
/// the packs of the source tree's patterns/ (parsed at build time by secretscan-packgen), which
/// share text through anchors and aliases: it allows them.
std::vector<Rule> parse_pack(std::string_view yaml_text, const std::string& name, bool check_regex, bool shipped = false,
                             RegexBudget* budget = nullptr);

/// Checks a rule's regex as parse_pack does when `check_regex` is true: it compiles with RE2, within
/// the size limits (counted in `budget` when given), with at least `secret_group` groups. Throws
/// Error(config) "file:line:col: rule ID: ..." at r.regex_mark otherwise.
void check_rule_regex(const Rule& r, RegexBudget* budget);

/// Reads and parses a pack file (see parse_pack), its regexes counted in `budget` when given. It must be a regular file (symbolic links
/// followed) of at most 16 MiB and, when `inside` is not empty, resolve to a path inside that
/// folder (a pack a repository's .secretscan.yaml names must stay in the repository). Throws
/// Error(config) naming the file when it is not, or cannot be read.
std::vector<Rule> load_pack_file(const std::string& path, const std::string& inside = "", RegexBudget* budget = nullptr);

/// The shipped rules (patterns/*.yaml, in file-name order), parsed and checked at build time by
/// secretscan-packgen into one constant table per pack: no YAML is parsed at run time. Each call
/// builds a fresh vector. Without `with_examples` the rules' examples, negative examples and
/// their marks are left empty: only `rules check` reads them, and a scan (a hook on every
/// commit) need not copy some 4,500 strings. Rules get RuleOrigin::builtin. Thread-safe.
std::vector<Rule> builtin_rules(bool with_examples = true);

} // namespace secretscan
