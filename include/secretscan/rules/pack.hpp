#pragma once
// Rule packs: YAML files of rules (docs/rules.md), parsed with yaml-cpp, and the shipped packs
// compiled into the binary.

#include <secretscan/rules/rule.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// Parses one pack. `name` is used in messages and SourceMark::file. When `check_regex` is true
/// every regex is compiled once with RE2 to reject bad syntax here, with the file, line, column
/// and rule id. Rules get RuleOrigin::pack. Throws Error(config) naming file:line:col on
/// malformed YAML, a YAML anchor or alias (refused: they can expand a small file into
/// gigabytes), more than a million YAML nodes, a key that is not a plain name or is given twice,
/// a missing or mistyped key, an unknown key or value, a bad regex, or a rule without keywords;
/// and naming the file for a text over 16 MiB. Messages quote a key or value from the text only
/// when it is short and printable (quoted_if_printable in util/yaml.hpp). `shipped` is only for
/// the packs of the source tree's patterns/ (parsed at build time by secretscan-packgen), which
/// share text through anchors and aliases: it allows them.
std::vector<Rule> parse_pack(std::string_view yaml_text, const std::string& name, bool check_regex, bool shipped = false);

/// Reads and parses a pack file (see parse_pack). It must be a regular file (symbolic links
/// followed) of at most 16 MiB and, when `inside` is not empty, resolve to a path inside that
/// folder (a pack a repository's .secretscan.yaml names must stay in the repository). Throws
/// Error(config) naming the file when it is not, or cannot be read.
std::vector<Rule> load_pack_file(const std::string& path, const std::string& inside = "");

/// The shipped rules (patterns/*.yaml, in file-name order), parsed and checked at build time by
/// secretscan-packgen into one constant table per pack: no YAML is parsed at run time. Each call
/// builds a fresh vector (about 0.1 ms for 300 rules). Rules get RuleOrigin::builtin.
/// Thread-safe.
std::vector<Rule> builtin_rules();

} // namespace secretscan
