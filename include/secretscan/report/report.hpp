#pragma once
// Sinks: the only way findings leave the engine. The engine never prints.

#include <secretscan/rules/rule.hpp>
#include <secretscan/engine/scanner.hpp>

#include <ostream>
#include <string>

namespace secretscan {

enum class Format { text, json, jsonl, sarif, csv, junit };

/// Parses text, json, jsonl, sarif, csv or junit (any case). Throws Error(usage) naming the
/// accepted values otherwise.
Format parse_format(const std::string& name);

struct ReportOptions {
    Format format = Format::text;
    bool redact = true;       ///< show secrets as their first 4 code points and "…"
    bool quiet = false;       ///< text: no summary line
    bool color = false;       ///< text: ANSI colours (the CLI decides: a terminal, no NO_COLOR)
    std::string command;      ///< the scan that ran ("history", "staged", ...), recorded in reports
    const std::vector<Rule>* rules = nullptr; ///< rule metadata for SARIF (null: findings only)
};

/// "secretscan COMMAND: N findings; scanned N files (SIZE), skipped N, S s" (no newline).
std::string summary_line(const ScanResult& result, const std::string& command);

/// Writes `result` (findings sorted as sort_findings does) to `out`.
/// - text: one line per finding, "location:line:column: rule-id: secret", the commit for
///   history findings and "(only in history)" when HEAD no longer holds it; then, unless quiet,
///   one summary line (scanned, skipped, findings, seconds).
/// - json: one document {"tool", "command", "findings", "stats", "warnings"};
///   jsonl: one finding object per line. Built with nlohmann-json; every string is valid UTF-8
///   (invalid bytes become U+FFFD).
/// - sarif: SARIF 2.1.0 (OASIS standard, errata 01): one run, tool.driver.rules with help text
///   and remediation, results with physical locations (columnKind unicodeCodePoints),
///   partialFingerprints["secretscan/v1"], commit and author in properties.
/// - csv: RFC 4180 (CRLF line ends, fields quoted when they hold a comma, quote, CR or LF).
/// - junit: JUnit XML, one failing test case per finding (one passing case when none).
/// Warnings are not written here (the CLI prints them to stderr).
void write_report(std::ostream& out, ScanResult result, const ReportOptions& options);

} // namespace secretscan
