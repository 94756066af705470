// --format junit: JUnit XML, for CI systems that show test results.

#include "report/common.hpp"

#include <algorithm>
#include <iomanip>

namespace secretscan::report {

namespace {

std::string xml(const std::string& s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        // C1 controls (U+0080 to U+009F) as character references: XML allows them, but raw they
        // can drive a terminal that shows the report.
        if (c == '\xC2' && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 && static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
            static constexpr char hex[] = "0123456789ABCDEF";
            const auto low = static_cast<unsigned char>(s[++i]);
            out += "&#x";
            out += hex[low >> 4];
            out += hex[low & 0xF];
            out += ';';
            continue;
        }
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default:
            // XML 1.0 forbids most control characters, even escaped.
            if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') out += "\xEF\xBF\xBD";
            else out += c;
        }
    }
    return out;
}

class JunitSink : public DocumentSink {
public:
    using DocumentSink::DocumentSink;

private:
    void write(std::ostream& out, const std::vector<Finding>& findings, const ScanSummary& s, const ReportOptions& o) override
    {
        const std::size_t n = findings.size(), tests = std::max<std::size_t>(n, 1);
        out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
        out << "<testsuites name=\"secretscan\" tests=\"" << tests << "\" failures=\"" << n << "\">\n";
        out << "  <testsuite name=\"secretscan " << xml(o.command) << "\" tests=\"" << tests << "\" failures=\"" << n << "\" time=\""
            << std::fixed << std::setprecision(3) << s.stats.seconds << "\">\n";
        if (n == 0) out << "    <testcase classname=\"secretscan\" name=\"no secrets found\"/>\n";
        for (const Finding& f : findings) {
            const std::string where = display_position(f);
            out << "    <testcase classname=\"" << xml(display_location(f)) << "\" name=\"" << xml(f.rule_id + " at " + where) << "\">\n";
            out << "      <failure type=\"" << xml(f.rule_id) << "\" message=\"" << xml(f.rule_name + ": " + shown_secret(f, o)) << "\">"
                << xml(where + ": " + shown_line(f, o) + (f.commit.empty() ? "" : "\ncommit " + f.commit + " by " + f.author))
                << "</failure>\n";
            out << "    </testcase>\n";
        }
        out << "  </testsuite>\n</testsuites>\n";
    }
};

} // namespace

std::unique_ptr<FindingSink> junit_sink(std::ostream& out, const ReportOptions& o)
{
    return std::make_unique<JunitSink>(out, o);
}

} // namespace secretscan::report
