#pragma once
// Configuration files: which packs and rules a scan uses and what the filter chain's finding
// steps drop (docs/config.md). Layers, later wins: built-in packs, the user config
// ($XDG_CONFIG_HOME/secretscan/config.yaml, default ~/.config/secretscan/config.yaml), the
// repository's .secretscan.yaml, then --config FILE and the command line.

#include <cstdint>
#include <map>
#include <optional>
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
    /// Each rule pack and baseline a repository's .secretscan.yaml names -> the repository's top,
    /// which every file it leads to must resolve inside (load_pack_file, load_baseline).
    std::map<std::string, std::string> inside;
    /// The repository's .gitleaksignore (absolute) when it has one at the top of its work tree:
    /// gitleaks fingerprints whose findings are dropped (gitleaks_ignore_check).
    std::string gitleaks_ignore;
    /// `max_file_size` (bytes; a later file's value wins); unset when no file gives it.
    std::optional<std::uint64_t> max_file_size;
    /// RE2 instructions of the allowlist secret regexes read so far, against the limit for all
    /// of them (max_total_program_size, docs/rules.md "Regex size").
    std::int64_t allowlist_program_size = 0;
};

/// Reads one configuration file into `into` (lists append). Keys: rules, disable, allowlist
/// {paths, secrets, stopwords}, baseline, max_file_size (bytes, or a number with K, M, G). The file must be a regular file of at most 16 MiB
/// without YAML anchors or aliases. When `inside` is not empty (the repository's own
/// .secretscan.yaml: untrusted), the file and every rule pack and baseline it names must
/// resolve, symbolic links followed, inside that folder. Throws Error(config) naming the file,
/// line and column for malformed YAML, an anchor or alias, a key that is not a name or is given
/// twice, an unknown key, a wrongly typed value, an invalid allowlist glob or regex, or a file
/// named outside `inside`; naming the file when it cannot be read, is not a regular file, is too
/// large or resolves outside `inside`. A key from the file is quoted only when it is at most 64
/// printable bytes ("an unknown key" otherwise), so an error never echoes a line of a file that
/// is not a configuration file.
void load_config_file(const std::string& path, Config& into, const std::string& inside = "");

/// The layered configuration for a scan started in `dir`: the user config and the work tree's
/// .secretscan.yaml when they exist (the latter confined to the work tree, see load_config_file),
/// then `explicit_file` (must exist) when not empty. A gitleaks or Betterleaks configuration at
/// the top of the work tree (.betterleaks.toml, else .gitleaks.toml) is added to `rule_packs`,
/// confined to the work tree, and its .gitleaksignore is noted in `gitleaks_ignore`, as those
/// tools read them (docs/migrating.md). Throws as load_config_file.
Config load_config(const std::string& dir, const std::string& explicit_file);

} // namespace secretscan
