#pragma once
// What the report formats share. Internal to src/report/.

#include <secretscan/report/report.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace secretscan::report {

/// The secret as shown: redacted unless --no-redact.
std::string shown_secret(const Finding& f, const ReportOptions& o);

/// The finding's line as shown: the secret in it redacted unless --no-redact.
std::string shown_line(const Finding& f, const ReportOptions& o);

/// One finding as a JSON object (json and jsonl).
nlohmann::json finding_json(const Finding& f, const ReportOptions& o);

/// history --shard: the shard's record (ShardRecord, with the command), for the report's
/// document; null when the report is no shard's.
nlohmann::json shard_json(const ReportOptions& o);

/// `j` as text; invalid UTF-8 becomes U+FFFD. `indent` -1: one line.
std::string dump(const nlohmann::json& j, int indent = -1);

/// A format that writes one document at the end: keeps the findings, sorts them
/// (sort_findings) and calls write().
class DocumentSink : public FindingSink {
public:
    DocumentSink(std::ostream& out, const ReportOptions& options) : m_out(out), m_options(options) {}
    bool finding(const Finding& f) final;
    void finish(const ScanSummary& summary) final;

protected:
    virtual void write(std::ostream& out, const std::vector<Finding>& findings, const ScanSummary& summary,
                       const ReportOptions& o) = 0;

private:
    std::ostream& m_out;
    ReportOptions m_options;
    std::vector<Finding> m_findings;
};

// One factory per format, each in its own file.
std::unique_ptr<FindingSink> text_sink(std::ostream& out, const ReportOptions& o);
std::unique_ptr<FindingSink> json_sink(std::ostream& out, const ReportOptions& o);
std::unique_ptr<FindingSink> jsonl_sink(std::ostream& out, const ReportOptions& o);
std::unique_ptr<FindingSink> sarif_sink(std::ostream& out, const ReportOptions& o);
std::unique_ptr<FindingSink> csv_sink(std::ostream& out, const ReportOptions& o);
std::unique_ptr<FindingSink> junit_sink(std::ostream& out, const ReportOptions& o);
std::unique_ptr<FindingSink> gitlab_sink(std::ostream& out, const ReportOptions& o);

} // namespace secretscan::report
