#pragma once
// Configuration files (DESIGN §3), allowlists and baselines: what decides which findings are
// reported. Layers, later wins: built-in packs, the user config
// ($XDG_CONFIG_HOME/secretscan/config.yaml, default ~/.config/secretscan/config.yaml), the
// repository's .secretscan.yaml, then --config FILE and the command line.

#include <secretscan/engine/finding.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace secretscan {

/// The global allowlist: a finding is dropped when its path matches a glob, its secret matches
/// a regex, or its secret contains a stopword.
struct Allowlist {
    std::vector<std::string> paths;     ///< globs on the path (see glob_match)
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

/// Whether `path` (relative, '/'-separated) matches `glob`: `*` and `?` and [...] within one
/// path segment (fnmatch), `**` any number of segments; a glob without '/' matches any segment
/// (a file or folder name at any depth, like .gitignore), so `testdata` covers a whole folder.
bool glob_match(const std::string& glob, const std::string& path);

/// Reads one configuration file into `into` (lists append, baseline replaces). Keys: rules,
/// disable, allowlist {paths, secrets, stopwords}, baseline. Throws Error(config) naming the
/// file, line and column for malformed YAML, an unknown key, a wrongly typed value or an
/// invalid allowlist regex; Error(usage) when the file cannot be read.
void load_config_file(const std::string& path, Config& into);

/// The layered configuration for a scan started in `dir`: the user config and the work tree's
/// .secretscan.yaml when they exist, then `explicit_file` (must exist) when not empty.
Config load_config(const std::string& dir, const std::string& explicit_file);

/// One accepted finding (JSON Lines, one object per line): never the secret itself.
struct BaselineEntry {
    std::string fingerprint; ///< Finding::fingerprint
    std::string rule_id;
    std::string path;        ///< where it was first seen (display location)
    std::size_t line = 0;
    std::string commit;      ///< first commit, for history findings
    std::string reason;      ///< why it is accepted (written by people)
    std::string expires;     ///< YYYY-MM-DD after which it no longer suppresses; empty: never
};

/// Reads a baseline. Throws Error(config) naming the file and line of a malformed entry;
/// Error(usage) when the file cannot be read.
std::vector<BaselineEntry> load_baseline(const std::string& path);

/// The baseline for `findings`, keeping the reason and expiry of entries of `previous` with the
/// same fingerprint; one entry per fingerprint, sorted by fingerprint (stable across branches).
std::vector<BaselineEntry> make_baseline(const std::vector<Finding>& findings, const std::vector<BaselineEntry>& previous);

/// The JSON Lines text of a baseline.
std::string baseline_text(const std::vector<BaselineEntry>& entries);

/// Drops what the allowlist and the baselines accept. A finding whose fingerprint is in a
/// baseline is dropped unless the entry has expired (`today` is YYYY-MM-DD): then it stays,
/// marked baseline_expired. Immutable after construction; thread-safe.
class FindingFilter {
public:
    /// Throws Error(config) for an invalid secret regex (already checked by load_config_file).
    FindingFilter(const Allowlist& allowlist, const std::vector<BaselineEntry>& baseline, std::string today);
    ~FindingFilter();
    FindingFilter(FindingFilter&&) noexcept;
    FindingFilter& operator=(FindingFilter&&) noexcept;

    void apply(std::vector<Finding>& findings) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Today's date in UTC, YYYY-MM-DD.
std::string today_utc();

} // namespace secretscan
