#pragma once
// Sinks: the only way findings leave the engine. The engine never prints.

#include <secretscan/scanner.hpp>

#include <ostream>
#include <string>

namespace secretscan {

enum class Format { text, json };

/// Parses "text" or "json" (any case). Throws Error(usage) naming the accepted values otherwise.
Format parse_format(const std::string& name);

struct ReportOptions {
    Format format = Format::text;
    bool redact = true;       ///< show secrets as their first 4 code points and "…"
    bool quiet = false;       ///< text: no summary line
    std::string command;      ///< the scan that ran ("history", "staged", ...), recorded in JSON
};

/// Writes `result` (findings sorted as sort_findings does) to `out`.
/// text: one line per finding, "location:line:column: rule-id: secret", plus the commit for
///   history findings; then, unless quiet, one summary line.
/// json: one document {"tool", "command", "findings", "stats", "warnings"}; every string is
///   valid UTF-8 (invalid bytes become U+FFFD).
/// Warnings are not written here (the CLI prints them to stderr).
void write_report(std::ostream& out, ScanResult result, const ReportOptions& options);

} // namespace secretscan
