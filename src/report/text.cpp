// --format text: one line per finding, then a summary line.

#include "report/common.hpp"
#include "util/strings.hpp"

namespace secretscan::report {

namespace {

class TextSink : public DocumentSink {
public:
    using DocumentSink::DocumentSink;

private:
    void write(std::ostream& out, const std::vector<Finding>& findings, const ScanSummary& summary, const ReportOptions& o) override
    {
        const char* bold = o.color ? "\033[1m" : "";
        const char* red = o.color ? "\033[31m" : "";
        const char* dim = o.color ? "\033[2m" : "";
        const char* reset = o.color ? "\033[0m" : "";
        for (const Finding& f : findings) {
            // Names and secrets come from the scanned files and commits: no raw control byte
            // reaches the terminal.
            out << bold << printable(display_position(f)) << reset << ": " << red << printable(f.rule_id) << reset << ": "
                << printable(shown_secret(f, o));
            if (!f.validation.empty()) out << " (" << f.validation << ")";
            if (!f.decoder.empty()) out << " (in " << f.decoder << "-decoded text)";
            if (!f.commit.empty()) {
                out << dim << " (";
                if (f.source != SourceKind::commit_message) out << "commit " << f.commit.substr(0, 12) << ", ";
                out << printable(f.author) << ", " << f.date.substr(0, 10) << ")" << reset;
            }
            if (f.occurrences > 1) out << " [" << f.occurrences << " occurrences]";
            if (f.present_at_head == 0) out << " (only in history)";
            if (f.baseline_expired) out << " (baseline entry expired)";
            out << '\n';
        }
        if (!o.quiet) out << summary_line(summary, o.command) << '\n';
    }
};

} // namespace

std::unique_ptr<FindingSink> text_sink(std::ostream& out, const ReportOptions& o)
{
    return std::make_unique<TextSink>(out, o);
}

} // namespace secretscan::report
