#include <secretscan/error.hpp>
#include <secretscan/report.hpp>

#include <nlohmann/json.hpp>

#include <cctype>
#include <iomanip>
#include <sstream>

namespace secretscan {

Format parse_format(const std::string& given)
{
    std::string name = given;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "text") return Format::text;
    if (name == "json") return Format::json;
    throw Error(ErrorKind::usage, "--format " + name + ": unknown format (expected text or json)");
}

namespace {

std::string human_bytes(std::uint64_t b)
{
    std::ostringstream s;
    s << std::fixed << std::setprecision(1);
    if (b >= 1000 * 1000) s << static_cast<double>(b) / 1e6 << " MB";
    else if (b >= 1000) s << static_cast<double>(b) / 1e3 << " kB";
    else s << b << " bytes";
    return s.str();
}

void write_text(std::ostream& out, const ScanResult& r, const ReportOptions& o)
{
    for (const Finding& f : r.findings) {
        out << display_location(f) << ':' << f.line << ':' << f.column << ": " << f.rule_id << ": "
            << (o.redact ? redact(f.secret) : f.secret);
        if (!f.commit.empty()) {
            out << " (";
            if (f.source != SourceKind::commit_message) out << "commit " << f.commit.substr(0, 12) << ", ";
            out << f.author << ", " << f.date.substr(0, 10) << ")";
        }
        if (f.occurrences > 1) out << " [" << f.occurrences << " occurrences]";
        out << '\n';
    }
    if (o.quiet) return;
    std::string unit = r.stats.unit;
    if (r.stats.items == 1 && !unit.empty() && unit.back() == 's') unit.pop_back();
    out << "secretscan " << o.command << ": " << r.findings.size() << (r.findings.size() == 1 ? " finding" : " findings")
        << "; scanned " << r.stats.items << ' ' << unit << " (" << human_bytes(r.stats.bytes) << "), skipped "
        << r.stats.skipped.size() << ", " << std::fixed << std::setprecision(2) << r.stats.seconds << " s\n";
}

void write_json(std::ostream& out, const ScanResult& r, const ReportOptions& o)
{
    using nlohmann::json;
    json findings = json::array();
    for (const Finding& f : r.findings) {
        json j = {
            {"rule_id", f.rule_id},
            {"rule_name", f.rule_name},
            {"confidence", f.confidence},
            {"secret", o.redact ? redact(f.secret) : f.secret},
            {"redacted", o.redact},
            {"line_text", o.redact ? redact_in(f.line_text, f.secret) : f.line_text},
            {"source", to_string(f.source)},
            {"path", f.path},
            {"line", f.line},
            {"column", f.column},
            {"end_line", f.end_line},
            {"occurrences", f.occurrences},
            {"fingerprint", f.fingerprint},
        };
        if (!f.source_name.empty()) j["source_name"] = f.source_name;
        if (!f.commit.empty()) j["commit"] = f.commit;
        if (!f.tag.empty()) j["tag"] = f.tag;
        if (!f.author.empty()) j["author"] = f.author;
        if (!f.date.empty()) j["date"] = f.date;
        findings.push_back(std::move(j));
    }
    json skipped = json::array();
    for (const Skipped& s : r.stats.skipped) skipped.push_back({{"name", s.name}, {"reason", s.reason}});
    const json doc = {
        {"tool", {{"name", "secretscan"}, {"version", SECRETSCAN_VERSION}}},
        {"command", o.command},
        {"findings", std::move(findings)},
        {"stats",
         {{"unit", r.stats.unit},
          {"scanned", r.stats.items},
          {"bytes", r.stats.bytes},
          {"skipped", std::move(skipped)},
          {"seconds", r.stats.seconds}}},
        {"warnings", r.warnings},
    };
    out << doc.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

} // namespace

void write_report(std::ostream& out, ScanResult result, const ReportOptions& options)
{
    sort_findings(result.findings);
    switch (options.format) {
    case Format::text: write_text(out, result, options); break;
    case Format::json: write_json(out, result, options); break;
    }
}

} // namespace secretscan
