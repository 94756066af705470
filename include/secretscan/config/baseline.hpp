#pragma once
// Baselines: accepted findings, recorded by fingerprint (never the secret), JSON Lines
// (docs/config.md, "Baselines").

#include <secretscan/engine/finding.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace secretscan {

/// One accepted finding: one JSON object per line.
struct BaselineEntry {
    std::string fingerprint; ///< Finding::fingerprint
    std::string rule_id;
    std::string path;        ///< where it was first seen (display location)
    std::size_t line = 0;
    std::string commit;      ///< first commit, for history findings
    std::string reason;      ///< why it is accepted (written by people)
    std::string expires;     ///< YYYY-MM-DD after which it no longer suppresses; empty: never
};

/// Reads a baseline: a regular file (symbolic links followed) of at most 16 MiB, inside the
/// folder `inside` (symbolic links resolved) when that is not empty (a baseline a repository's
/// .secretscan.yaml names). JSON Lines, so YAML anchors and aliases cannot occur. Throws
/// Error(config) naming the file and line of a malformed entry (an unknown key is quoted only
/// when short and printable), and naming the file when it cannot be read, is not a regular
/// file, is larger than 16 MiB or resolves outside `inside`.
std::vector<BaselineEntry> load_baseline(const std::string& path, const std::string& inside = "");

/// The baseline for `findings`, keeping the reason and expiry of entries of `previous` with the
/// same fingerprint, and every entry of `previous` that `findings` lack (a scan of the staged
/// changes sees only them: accepting one secret must not drop the others); one entry per
/// fingerprint, sorted by fingerprint (stable across branches).
std::vector<BaselineEntry> make_baseline(const std::vector<Finding>& findings, const std::vector<BaselineEntry>& previous);

/// The JSON Lines text of a baseline.
std::string baseline_text(const std::vector<BaselineEntry>& entries);

/// fingerprint -> expiry ("" never) for the filter chain (FindingPolicy::baseline): of entries
/// with the same fingerprint, the latest expiry wins, and "never" beats any date.
std::map<std::string, std::string> baseline_expiry(const std::vector<BaselineEntry>& entries);

/// Today's date in UTC, YYYY-MM-DD.
std::string today_utc();

} // namespace secretscan
