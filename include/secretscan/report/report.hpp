#pragma once
// Reports: the sinks that write findings in a format (text, json, jsonl, sarif, csv, junit, gitlab).
// Each format is one file in src/report/ and one line in the table of src/report/formats.cpp.

#include <secretscan/engine/pipeline.hpp>
#include <secretscan/rules/rule.hpp>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// What the report of one `history --shard I/N` process records about it, so that
/// merge_shard_reports can check that the shards belong together.
struct ShardRecord {
    unsigned index = 0, count = 1;
    std::string rules;                    ///< a digest of the rule set (the CLI's)
    std::string options;                  ///< a digest of what else decides the findings (allowlists, baselines, --min-confidence, --max-file-size)
    std::function<std::string()> history; ///< asked when the report is written: HistorySource::walk_digest
};

struct ReportOptions {
    std::string format = "text"; ///< one of report_formats()
    bool redact = true;          ///< show secrets redacted (redact(): first 4 code points and "…" by default)
    int redact_percent = -1;     ///< with redact: redact()'s percent (-1 default, 0-100 from --redact=N)
    bool quiet = false;          ///< text: no summary line
    bool color = false;          ///< text: ANSI colours (the CLI decides: a terminal, no NO_COLOR)
    std::string command;         ///< the scan that ran ("history", "staged", ...), recorded in reports
    /// SARIF's automationDetails category ("secretscan/CATEGORY/"): the kind of scan, so that an
    /// upload replaces only alerts of the same kind; empty: `command`. "history-range" for a
    /// history of given ranges.
    std::string category;
    const std::vector<Rule>* rules = nullptr; ///< rule metadata for SARIF (null: findings only)
    /// history --shard: the report is a shard's, for `report merge` (jsonl, json and sarif;
    /// docs/scale.md): each finding carries its order key (json and jsonl "shard_order",
    /// SARIF result property "shardKey" and "shardSeverity"), the document this record
    /// (jsonl: a last line {"secretscan_shard": {...}}, json: "shard", SARIF: run property
    /// "shard"), and SARIF keeps every result (the merge applies GitHub's limit). Null: none.
    std::shared_ptr<const ShardRecord> shard;
};

/// The format names, in the order --help lists them: text, json, jsonl, sarif, csv, junit, gitlab.
std::vector<std::string_view> report_formats();

/// `name` lower-cased when it is a format name; throws Error(usage) naming the accepted values
/// otherwise.
std::string parse_format(const std::string& name);

/// A sink writing `options.format` to `out`, which must outlive it. jsonl writes each finding as
/// it arrives (one JSON object per line, in scan order); the other formats write one document at
/// finish, findings sorted as sort_findings sorts them:
/// - text: one line per finding, "location:line:column: rule-id: secret", the validator's note,
///   the commit for history findings and "(only in history)" when HEAD no longer holds it; then,
///   unless quiet, summary_line.
/// - json: {"tool", "command", "findings", "stats", "warnings"}, built with nlohmann-json; every
///   string is valid UTF-8 (invalid bytes become U+FFFD).
/// - sarif: SARIF 2.1.0 (OASIS standard, errata 01): one run, tool.driver.rules with help text and
///   remediation, results with physical locations (columnKind unicodeCodePoints),
///   partialFingerprints["secretscan/v1"], commit and author in properties.
/// - csv: RFC 4180 (CRLF line ends, fields quoted when they hold a comma, quote, CR or LF).
/// - junit: JUnit XML, one failing test case per finding (one passing case when none).
/// - gitlab: GitLab's secret-detection report (security-report-schemas 15.0.7): one vulnerability
///   per finding with a deterministic UUID id, the rule id as identifier, severity from the rule's
///   security_severity, location.commit.sha "0000000" outside a commit; scan.messages lists the
///   warnings and skipped inputs.
/// Warnings are not written (the CLI prints them to stderr), except in gitlab's scan.messages.
/// Throws Error(usage) for an unknown format.
std::unique_ptr<FindingSink> make_report_sink(std::ostream& out, const ReportOptions& options);

/// The report one process would have written, made from the reports of every shard of a
/// `history --shard I/N` scan (ReportOptions::shard), given as (name, contents) in any order:
/// jsonl, json or sarif, all of one format. The findings are interleaved in a single run's
/// order (shard_order) and then sorted as that format sorts them; the shard fields are removed.
/// json: stats.scanned, bytes and skipped add up, stats.seconds is the slowest shard's. SARIF:
/// GitHub's result limit is applied as a single run applies it. Throws Error(usage) naming the
/// file for what is not a shard report (or not valid JSON), mixed formats, shards of different
/// N, a shard given twice or missing, or shards of different histories, rule sets or commands.
/// Thread-safe; over SARIF's limit it warns on stderr, as the SARIF writer does.
struct MergedReport {
    std::string format;   ///< jsonl, json or sarif
    std::string text;     ///< the merged report
    std::size_t findings; ///< how many findings it holds
};
MergedReport merge_shard_reports(const std::vector<std::pair<std::string, std::string>>& shards);

/// A size for people, in decimal units with one decimal: "512 bytes", "1.5 kB", "2244.9 MB".
std::string human_bytes(std::uint64_t bytes);

/// "secretscan COMMAND: N findings; scanned N files (SIZE), skipped N, S s" (no newline).
std::string summary_line(const ScanSummary& summary, const std::string& command);

} // namespace secretscan
