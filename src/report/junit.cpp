// --format junit: JUnit XML, for CI systems that show test results.

#include "report/common.hpp"

#include <algorithm>
#include <iomanip>

namespace secretscan::report {

namespace {

/// The length of the valid UTF-8 sequence of 2 to 4 bytes at s[i] (a non-ASCII lead byte), or 0.
std::size_t utf8_sequence(const std::string& s, std::size_t i)
{
    const auto b = [&s](std::size_t at) { return at < s.size() ? static_cast<unsigned char>(s[at]) : 0u; };
    const unsigned lead = b(i);
    const std::size_t n = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead <= 0xDF ? 2 : 0;
    for (std::size_t k = 1; k < n; ++k)
        if ((b(i + k) & 0xC0) != 0x80) return 0;
    if ((lead == 0xE0 && b(i + 1) < 0xA0) || (lead == 0xED && b(i + 1) > 0x9F) || (lead == 0xF0 && b(i + 1) < 0x90) ||
        (lead == 0xF4 && b(i + 1) > 0x8F))
        return 0; // overlong, a surrogate, or past U+10FFFF
    return n;
}

/// `s` as XML text or attribute content: markup characters and CR as references, C1 controls
/// (U+0080 to U+009F) as character references (XML allows them, but raw they can drive a
/// terminal that shows the report), and what XML 1.0 forbids even escaped (other C0 controls,
/// bytes that are not UTF-8) as U+FFFD.
std::string xml(const std::string& s)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (static_cast<unsigned char>(c) >= 0x80) {
            const std::size_t n = utf8_sequence(s, i);
            if (n == 0) {
                out += "\xEF\xBF\xBD";
            } else if (n == 2 && c == '\xC2' && static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
                const auto low = static_cast<unsigned char>(s[i + 1]);
                out += std::string("&#x") + hex[low >> 4] + hex[low & 0xF] + ';';
            } else {
                out.append(s, i, n);
            }
            i += n == 0 ? 0 : n - 1;
            continue;
        }
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        case '\r': out += "&#xD;"; break; // raw, it returns a terminal's cursor over what came before
        default:
            if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') out += "\xEF\xBF\xBD";
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
