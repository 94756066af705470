#include <secretscan/error.hpp>
#include <secretscan/report/report.hpp>

#include <nlohmann/json.hpp>

#include <cctype>
#include <iomanip>
#include <map>
#include <sstream>

namespace secretscan {

using nlohmann::json;

Format parse_format(const std::string& given)
{
    std::string name = given;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static const std::map<std::string, Format> formats = {{"text", Format::text},   {"json", Format::json},
                                                          {"jsonl", Format::jsonl}, {"sarif", Format::sarif},
                                                          {"csv", Format::csv},     {"junit", Format::junit}};
    const auto it = formats.find(name);
    if (it == formats.end())
        throw Error(ErrorKind::usage, "--format " + given + ": unknown format (expected text, json, jsonl, sarif, csv or junit)");
    return it->second;
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

std::string shown_secret(const Finding& f, const ReportOptions& o)
{
    return o.redact ? redact(f.secret) : f.secret;
}

std::string shown_line(const Finding& f, const ReportOptions& o)
{
    return o.redact ? redact_in(f.line_text, f.secret) : f.line_text;
}

void write_text(std::ostream& out, const ScanResult& r, const ReportOptions& o)
{
    const char* bold = o.color ? "\033[1m" : "";
    const char* red = o.color ? "\033[31m" : "";
    const char* dim = o.color ? "\033[2m" : "";
    const char* reset = o.color ? "\033[0m" : "";
    for (const Finding& f : r.findings) {
        out << bold << display_location(f) << ':' << f.line << ':' << f.column << reset << ": " << red << f.rule_id << reset
            << ": " << shown_secret(f, o);
        if (!f.validation.empty()) out << " (" << f.validation << ")";
        if (!f.commit.empty()) {
            out << dim << " (";
            if (f.source != SourceKind::commit_message) out << "commit " << f.commit.substr(0, 12) << ", ";
            out << f.author << ", " << f.date.substr(0, 10) << ")" << reset;
        }
        if (f.occurrences > 1) out << " [" << f.occurrences << " occurrences]";
        if (f.present_at_head == 0) out << " (only in history)";
        if (f.baseline_expired) out << " (baseline entry expired)";
        out << '\n';
    }
    if (!o.quiet) out << summary_line(r, o.command) << '\n';
}

} // namespace

std::string summary_line(const ScanResult& r, const std::string& command)
{
    std::string unit = r.stats.unit;
    if (r.stats.items == 1 && !unit.empty() && unit.back() == 's') unit.pop_back();
    std::ostringstream out;
    out << "secretscan " << command << ": " << r.findings.size() << (r.findings.size() == 1 ? " finding" : " findings")
        << "; scanned " << r.stats.items << ' ' << unit << " (" << human_bytes(r.stats.bytes) << "), skipped "
        << r.stats.skipped.size() << ", " << std::fixed << std::setprecision(2) << r.stats.seconds << " s";
    return out.str();
}

namespace {

json finding_json(const Finding& f, const ReportOptions& o)
{
    json j = {
        {"rule_id", f.rule_id},
        {"rule_name", f.rule_name},
        {"confidence", f.confidence},
        {"secret", shown_secret(f, o)},
        {"redacted", o.redact},
        {"line_text", shown_line(f, o)},
        {"source", to_string(f.source)},
        {"path", f.path},
        {"line", f.line},
        {"column", f.column},
        {"end_line", f.end_line},
        {"occurrences", f.occurrences},
        {"fingerprint", f.fingerprint},
    };
    if (!f.validation.empty()) j["validation"] = f.validation;
    if (!f.source_name.empty()) j["source_name"] = f.source_name;
    if (!f.commit.empty()) j["commit"] = f.commit;
    if (!f.tag.empty()) j["tag"] = f.tag;
    if (!f.author.empty()) j["author"] = f.author;
    if (!f.date.empty()) j["date"] = f.date;
    if (f.present_at_head >= 0) j["present_at_head"] = f.present_at_head == 1;
    if (f.baseline_expired) j["baseline_expired"] = true;
    return j;
}

std::string dump(const json& j, int indent = -1)
{
    return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

json tool_json()
{
    return {{"name", "secretscan"}, {"version", SECRETSCAN_VERSION}};
}

void write_json(std::ostream& out, const ScanResult& r, const ReportOptions& o)
{
    json findings = json::array();
    for (const Finding& f : r.findings) findings.push_back(finding_json(f, o));
    json skipped = json::array();
    for (const Skipped& s : r.stats.skipped) skipped.push_back({{"name", s.name}, {"reason", s.reason}});
    const json doc = {
        {"tool", tool_json()},
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
    out << dump(doc, 2) << '\n';
}

void write_jsonl(std::ostream& out, const ScanResult& r, const ReportOptions& o)
{
    for (const Finding& f : r.findings) out << dump(finding_json(f, o)) << '\n';
}

/// A SARIF artifact URI for a path: RFC 3986 percent-encoding of what is not unreserved or '/'.
std::string uri_of(const std::string& path)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : path) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

void write_sarif(std::ostream& out, const ScanResult& r, const ReportOptions& o)
{
    json rules = json::array();
    std::map<std::string, std::size_t> rule_index;
    auto add_rule = [&](const std::string& id, const Rule* rule) {
        if (rule_index.count(id)) return;
        rule_index[id] = rules.size();
        json jr = {{"id", id}};
        if (rule) {
            std::string help = rule->remediation.empty() ? rule->name : rule->remediation;
            jr["name"] = rule->name;
            jr["shortDescription"] = {{"text", rule->name}};
            jr["fullDescription"] = {{"text", rule->name + " (" + std::string(to_string(rule->confidence)) + " confidence)"}};
            jr["help"] = {{"text", help}};
            if (!rule->references.empty()) jr["helpUri"] = rule->references.front();
            jr["defaultConfiguration"] = {{"level", rule->confidence == Confidence::low ? "warning" : "error"}};
            jr["properties"] = {{"tags", rule->tags}, {"confidence", to_string(rule->confidence)}};
        } else {
            jr["shortDescription"] = {{"text", id}};
        }
        rules.push_back(std::move(jr));
    };
    std::map<std::string, const Rule*> by_id;
    if (o.rules)
        for (const Rule& rule : *o.rules) by_id[rule.id] = &rule;
    json results = json::array();
    for (const Finding& f : r.findings) {
        const auto it = by_id.find(f.rule_id);
        add_rule(f.rule_id, it == by_id.end() ? nullptr : it->second);
        json region = {{"startLine", f.line}, {"startColumn", f.column}};
        if (f.end_line > f.line) region["endLine"] = f.end_line;
        region["snippet"] = {{"text", shown_line(f, o)}};
        const std::string location = f.path.empty() ? f.source_name : f.path;
        json result = {
            {"ruleId", f.rule_id},
            {"ruleIndex", rule_index[f.rule_id]},
            {"level", f.confidence == "low" ? "warning" : "error"},
            {"message", {{"text", f.rule_name + " found: " + shown_secret(f, o)}}},
            {"locations", json::array({{{"physicalLocation", {{"artifactLocation", {{"uri", uri_of(location)}}}, {"region", region}}}}})},
            {"partialFingerprints", {{"secretscan/v1", f.fingerprint}}},
        };
        json props = {{"source", to_string(f.source)}, {"occurrences", f.occurrences}};
        if (!f.validation.empty()) props["validation"] = f.validation;
        if (!f.commit.empty()) props["commit"] = f.commit;
        if (!f.author.empty()) props["author"] = f.author;
        if (!f.date.empty()) props["date"] = f.date;
        if (f.present_at_head >= 0) props["presentAtHead"] = f.present_at_head == 1;
        if (f.baseline_expired) props["baselineExpired"] = true;
        result["properties"] = std::move(props);
        results.push_back(std::move(result));
    }
    const json doc = {
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs",
         json::array({{
             {"tool",
              {{"driver",
                {{"name", "secretscan"},
                 {"version", SECRETSCAN_VERSION},
                 {"semanticVersion", SECRETSCAN_VERSION},
                 {"informationUri", "https://example.invalid/secretscan"},
                 {"rules", std::move(rules)}}}}},
             {"columnKind", "unicodeCodePoints"},
             {"results", std::move(results)},
             {"properties", {{"command", o.command}}},
         }})},
    };
    out << dump(doc, 2) << '\n';
}

std::string csv_field(const std::string& s)
{
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

void write_csv(std::ostream& out, const ScanResult& r, const ReportOptions& o)
{
    out << "rule_id,path,source,line,column,secret,commit,author,date,occurrences,present_at_head,baseline_expired,fingerprint\r\n";
    for (const Finding& f : r.findings) {
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

std::string xml(const std::string& s)
{
    std::string out;
    for (char c : s) {
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

void write_junit(std::ostream& out, const ScanResult& r, const ReportOptions& o)
{
    const std::size_t n = r.findings.size();
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << "<testsuites name=\"secretscan\" tests=\"" << std::max<std::size_t>(n, 1) << "\" failures=\"" << n << "\">\n";
    out << "  <testsuite name=\"secretscan " << xml(o.command) << "\" tests=\"" << std::max<std::size_t>(n, 1) << "\" failures=\"" << n
        << "\" time=\"" << std::fixed << std::setprecision(3) << r.stats.seconds << "\">\n";
    if (n == 0) out << "    <testcase classname=\"secretscan\" name=\"no secrets found\"/>\n";
    for (const Finding& f : r.findings) {
        const std::string where = display_location(f) + ":" + std::to_string(f.line) + ":" + std::to_string(f.column);
        out << "    <testcase classname=\"" << xml(display_location(f)) << "\" name=\"" << xml(f.rule_id + " at " + where) << "\">\n";
        out << "      <failure type=\"" << xml(f.rule_id) << "\" message=\"" << xml(f.rule_name + ": " + shown_secret(f, o)) << "\">"
            << xml(where + ": " + shown_line(f, o) + (f.commit.empty() ? "" : "\ncommit " + f.commit + " by " + f.author))
            << "</failure>\n";
        out << "    </testcase>\n";
    }
    out << "  </testsuite>\n</testsuites>\n";
}

} // namespace

void write_report(std::ostream& out, ScanResult result, const ReportOptions& options)
{
    sort_findings(result.findings);
    switch (options.format) {
    case Format::text: write_text(out, result, options); break;
    case Format::json: write_json(out, result, options); break;
    case Format::jsonl: write_jsonl(out, result, options); break;
    case Format::sarif: write_sarif(out, result, options); break;
    case Format::csv: write_csv(out, result, options); break;
    case Format::junit: write_junit(out, result, options); break;
    }
}

} // namespace secretscan
