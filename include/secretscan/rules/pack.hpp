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
/// and rule id. Rules get RuleOrigin::pack. Throws Error(config) on malformed YAML, a missing or
/// mistyped key, an unknown key or value, a bad regex, or a rule without keywords.
std::vector<Rule> parse_pack(std::string_view yaml_text, const std::string& name, bool check_regex);

/// Reads and parses a pack file (see parse_pack). Throws Error(config) when it cannot be read.
std::vector<Rule> load_pack_file(const std::string& path);

/// The shipped rules (patterns/*.yaml, in file-name order), parsed and checked at build time by
/// secretscan-packgen into one constant table per pack: no YAML is parsed at run time. Each call
/// builds a fresh vector (about 0.1 ms for 300 rules). Rules get RuleOrigin::builtin.
/// Thread-safe.
std::vector<Rule> builtin_rules();

} // namespace secretscan
