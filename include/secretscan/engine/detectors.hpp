#pragma once
// Detectors: code that finds a rule's matches where one regex cannot, named by the pack key
// `detector:` (docs/rules.md, "Detectors"). The matcher runs a detector instead of the rule's
// regex, over the same windows around the rule's keywords; its matches then take the filter
// chain's steps like any other.

#include <secretscan/engine/matcher.hpp>
#include <secretscan/rules/rule.hpp>

#include <cstddef>
#include <string_view>
#include <vector>

namespace secretscan {

/// A detector: appends to `out` the matches of rule `rule` (index `rule_index`) whose keyword
/// occurs in [begin, end) of `text` (UTF-8; the whole text stays visible for context, and a
/// match may start before `begin`: the key DB_PASSWORD around the keyword "password"). The
/// matcher's bulk prefilter hands a detector each keyword occurrence as its own range; other
/// scans, whole texts. Matches of one call do not overlap and come in text order. Pure:
/// thread-safe, never throws but std::bad_alloc.
using DetectorFn = void (*)(const Rule& rule, std::size_t rule_index, std::string_view text, std::size_t begin,
                            std::size_t end, std::vector<RawMatch>& out);

/// The built-in detectors by name, or nullptr for an unknown name:
/// - "assignment": a key whose words hold one of the rule's keywords (as a whole word, or the
///   end of a compound word for keywords of 5 letters or more: dbpassword), followed only by
///   words that keep it a secret (key, value, prod, 2, ...), then assigned a value in any of the
///   syntaxes repositories hold: `key = v`, `key: v`, `key := v`, `key => v`, `"key": "v"`,
///   `<key>v</key>`, `key="v"` attributes, `export KEY=v`, `ENV KEY v`, a `key v` line of two
///   words, `("KEY", "v")` and `define('KEY', 'v')` pairs, `setKey("v")` calls, and
///   `key=("user", "v")` tuples (the last string). Quoted values end at their quote; others at
///   white space. The secret is the value.
/// - "login-call": a call whose name holds one of the rule's keywords (login, authenticate...),
///   with two or more string literal arguments: the last one, as in login("alice", "S3cret!").
/// - "kubernetes-secret": a line starting with the keyword (`kind: Secret`) marks a Kubernetes
///   Secret; every value of its YAML document's top-level `data:` map is a match, whatever its
///   key (the match starts at the key). Documents are separated by `---` lines.
DetectorFn find_detector(std::string_view name) noexcept;

/// Every built-in detector name, in the order above.
const std::vector<std::string_view>& detector_names() noexcept;

} // namespace secretscan
