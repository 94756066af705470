#pragma once
// Configuration files: which packs and rules a scan uses and what the filter chain's finding
// steps drop (docs/config.md). Layers, later wins: built-in packs, the user config
// ($XDG_CONFIG_HOME/secretscan/config.yaml, default ~/.config/secretscan/config.yaml), the
// repository's .secretscan.yaml, then --config FILE and the command line.

#include <map>
#include <string>
#include <vector>

namespace secretscan {

/// The global allowlist: a finding is dropped when its path matches a glob, its secret matches
/// a regex, or its secret contains a stopword.
struct Allowlist {
    std::vector<std::string> paths;     ///< globs on the path (glob.hpp)
    std::vector<std::string> secrets;   ///< RE2 regexes, searched in the secret
    std::vector<std::string> stopwords; ///< case-insensitive substrings of the secret (stored lower-case)
};

/// Settings read from configuration files. A committed .secretscan.yaml is untrusted input:
/// nothing in it can make secretscan run a command.
struct Config {
    std::vector<std::string> rule_packs; ///< extra packs, made absolute (relative to their file)
    std::vector<std::string> disabled;   ///< rule ids
    Allowlist allowlist;
    std::vector<std::string> baselines;  ///< baseline files (absolute), from every layer
    std::vector<std::string> files;      ///< the configuration files read, in order
    /// Where each rule pack, disabled id and baseline was written ("file:line:col"), for errors.
    std::map<std::string, std::string> origin;
};

/// Reads one configuration file into `into` (lists append). Keys: rules, disable, allowlist
/// {paths, secrets, stopwords}, baseline. Throws Error(config) naming the file, line and column
/// for malformed YAML, a key given twice, an unknown key, a wrongly typed value or an invalid
/// allowlist regex; Error(usage) when the file cannot be read.
void load_config_file(const std::string& path, Config& into);

/// The layered configuration for a scan started in `dir`: the user config and the work tree's
/// .secretscan.yaml when they exist, then `explicit_file` (must exist) when not empty.
Config load_config(const std::string& dir, const std::string& explicit_file);

} // namespace secretscan
