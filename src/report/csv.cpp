// --format csv: RFC 4180.

#include "report/common.hpp"
#include "util/strings.hpp"

#include <string_view>

namespace secretscan::report {

namespace {

/// One RFC 4180 cell, control bytes shown as \xHH. A cell a spreadsheet would read as a formula (starting with = + - @, a tab
/// or a carriage return: a file named "=HYPERLINK(...)", an author, a secret) gets a leading
/// apostrophe, which spreadsheets show as text (OWASP, "CSV Injection").
std::string csv_field(const std::string& cell)
{
    // Control bytes as \xHH too: a spreadsheet or a terminal showing the file must not act on them.
    const std::string text = printable(cell);
    const std::string s = !cell.empty() && std::string_view("=+-@\t\r").find(cell[0]) != std::string_view::npos ? "'" + text : text;
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

class CsvSink : public DocumentSink {
public:
    using DocumentSink::DocumentSink;

private:
    void write(std::ostream& out, const std::vector<Finding>& findings, const ScanSummary&, const ReportOptions& o) override
    {
        out << "rule_id,path,source,line,column,secret,commit,author,date,occurrences,present_at_head,baseline_expired,fingerprint\r\n";
        for (const Finding& f : findings) {
            const std::string fields[] = {f.rule_id,
                                          display_location(f),
                                          std::string(to_string(f.source)),
                                          std::to_string(f.line),
                                          std::to_string(f.column),
                                          shown_secret(f, o),
                                          f.commit,
                                          f.author,
                                          f.date,
                                          std::to_string(f.occurrences),
                                          f.present_at_head < 0 ? "" : (f.present_at_head ? "true" : "false"),
                                          f.baseline_expired ? "true" : "false",
                                          f.fingerprint};
            for (std::size_t i = 0; i < std::size(fields); ++i) out << (i ? "," : "") << csv_field(fields[i]);
            out << "\r\n";
        }
    }
};

} // namespace

std::unique_ptr<FindingSink> csv_sink(std::ostream& out, const ReportOptions& o)
{
    return std::make_unique<CsvSink>(out, o);
}

} // namespace secretscan::report
