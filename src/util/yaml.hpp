#pragma once
// Untrusted YAML (configuration files and rule packs): what is refused before yaml-cpp builds a
// tree, mapping keys, and quoting text from a file in an error message. Internal.

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace secretscan {

/// The most nodes (scalars, lists, mappings) one YAML file may hold: with anchors and aliases
/// refused, this bounds what yaml-cpp allocates (hundreds of bytes a node) for a file of at
/// most max_input_file_size bytes (util/files.hpp).
inline constexpr std::size_t max_yaml_nodes = 250'000;

/// "file:line:col" for a yaml-cpp mark (0-based; "file" alone when the mark is unknown).
std::string yaml_place(const std::string& file, const YAML::Mark& m);

/// Parses `text` (the first document) after scanning every document's events: refuses an
/// anchor (&name) or an alias (*name), which can make a small file expand to gigabytes, and more
/// than max_yaml_nodes nodes. Throws Error(config) "file:line:col: what; what to do" for those
/// and for malformed YAML (yaml-cpp's message, which never quotes the file). `allow_aliases`
/// skips the scan: only for the shipped packs of the source tree, parsed at build time.
YAML::Node load_untrusted_yaml(const std::string& text, const std::string& file, bool allow_aliases = false);

/// `'text'` when it is at most 64 bytes without control characters (so an error never echoes a
/// long or binary line of a file it should not have read), else `otherwise`.
std::string quoted_if_printable(std::string_view text, const std::string& otherwise);

/// "unknown KIND 'key'" when quoted_if_printable quotes the key, else "an unknown KIND".
std::string unknown_key(std::string_view key, std::string_view kind = "key");

/// Reports a problem with a mapping key: its mark and the message.
using KeyFailure = std::function<void(const YAML::Mark&, const std::string&)>;

/// Checks the keys of the mapping `map`: each must be a scalar ("a key must be a name, not a
/// list or a mapping") and appear once ("'key' is given twice"). `fail` must throw.
void check_keys(const YAML::Node& map, const KeyFailure& fail);

} // namespace secretscan
