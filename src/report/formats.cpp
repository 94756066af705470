#include <secretscan/error.hpp>

#include "report/common.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <cctype>
#include <iomanip>
#include <sstream>

namespace secretscan {

namespace {

using Factory = std::unique_ptr<FindingSink> (*)(std::ostream&, const ReportOptions&);

/// Every format: its --format name and its sink. --help and the error for an unknown format
/// list these names (docs/architecture.md, "Adding to it": what else a new format touches).
constexpr std::pair<std::string_view, Factory> formats[] = {
    {"text", report::text_sink}, {"json", report::json_sink}, {"jsonl", report::jsonl_sink},
    {"sarif", report::sarif_sink}, {"csv", report::csv_sink}, {"junit", report::junit_sink},
    {"gitlab", report::gitlab_sink},
};

} // namespace

std::string human_bytes(std::uint64_t b)
{
    std::ostringstream s;
    s << std::fixed << std::setprecision(1);
    if (b >= 1000 * 1000) s << static_cast<double>(b) / 1e6 << " MB";
    else if (b >= 1000) s << static_cast<double>(b) / 1e3 << " kB";
    else s << b << " bytes";
    return s.str();
}

std::vector<std::string_view> report_formats()
{
    std::vector<std::string_view> names;
    for (const auto& [name, factory] : formats) names.push_back(name);
    return names;
}

std::string parse_format(const std::string& given)
{
    std::string name = given;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto names = report_formats();
    if (std::find(names.begin(), names.end(), name) != names.end()) return name;
    std::string known;
    for (std::size_t i = 0; i < names.size(); ++i) known += std::string(i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + std::string(names[i]);
    throw Error(ErrorKind::usage, "--format " + given + ": unknown format (expected " + known + ")");
}

std::unique_ptr<FindingSink> make_report_sink(std::ostream& out, const ReportOptions& options)
{
    const std::string name = parse_format(options.format);
    for (const auto& [format, factory] : formats)
        if (format == name) return factory(out, options);
    throw Error(ErrorKind::usage, "--format " + options.format + ": unknown format");
}

std::string summary_line(const ScanSummary& s, const std::string& command)
{
    std::ostringstream out;
    std::ostringstream seconds;
    seconds << std::fixed << std::setprecision(2) << s.stats.seconds;
    out << "secretscan " << command << ": "
        << format(trn("{0} finding; scanned {1} ({2}), skipped {3}, {4} s", "{0} findings; scanned {1} ({2}), skipped {3}, {4} s", s.findings),
                  {std::to_string(s.findings), s.stats.counted(), human_bytes(s.stats.bytes),
                   std::to_string(s.stats.skipped.size()), seconds.str()});
    return out.str();
}

namespace report {

std::string shown_secret(const Finding& f, const ReportOptions& o)
{
    return o.redact ? redact(f.secret, o.redact_percent) : f.secret;
}

std::string shown_line(const Finding& f, const ReportOptions& o)
{
    return o.redact ? redact_line(f, o.redact_percent) : f.line_text;
}

nlohmann::json shard_json(const ReportOptions& o)
{
    if (!o.shard) return nullptr;
    return {{"index", o.shard->index},
            {"count", o.shard->count},
            {"command", o.command},
            {"redaction", o.redact ? (o.redact_percent < 0 ? std::string("default") : std::to_string(o.redact_percent) + "%") : std::string("off")},
            {"rules", o.shard->rules},
            {"options", o.shard->options},
            {"history", o.shard->history ? o.shard->history() : std::string()}};
}

std::string dump(const nlohmann::json& j, int indent)
{
    const std::string text = j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
    // The dump is valid UTF-8, and these code points can only stand in its strings: escape the
    // C1 controls (U+0080 to U+009F; U+009B starts a terminal control sequence) and the line and
    // paragraph separators (U+2028, U+2029), so that a report shown raw cannot drive a terminal.
    std::string out;
    out.reserve(text.size());
    static constexpr char hex[] = "0123456789abcdef";
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
        if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {
            out += "\\u00";
            out += hex[next >> 4];
            out += hex[next & 0xF];
            ++i;
        } else if (c == 0xE2 && next == 0x80 && i + 2 < text.size() && (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
            out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

bool DocumentSink::finding(const Finding& f)
{
    m_findings.push_back(f);
    return true;
}

void DocumentSink::finish(const ScanSummary& summary)
{
    sort_findings(m_findings);
    write(m_out, m_findings, summary, m_options);
    m_out.flush();
}

} // namespace report

} // namespace secretscan
