// --format gitlab: GitLab's secret-detection report (security-report-schemas 15.0.7), the artifact
// GitLab CI reads as `artifacts: reports: secret_detection: gl-secret-detection-report.json`.

#include "report/common.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>

namespace secretscan::report {

using nlohmann::json;

namespace {

constexpr const char* schema_version = "15.0.7";
constexpr const char* schema_uri =
    "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.0.7/dist/secret-detection-report-format.json";
/// location.commit.sha for a finding outside any commit (scan, staged, message): the schema
/// requires one, and GitLab's own analyzer writes this for scans outside git.
constexpr const char* no_commit_sha = "0000000";
/// Skipped inputs listed one by one in scan.messages; the rest are counted in one message.
constexpr std::size_t max_skipped_messages = 100;

/// `s` cut to at most `max_bytes` bytes, never inside a UTF-8 sequence.
std::string utf8_prefix(const std::string& s, std::size_t max_bytes)
{
    if (s.size() <= max_bytes) return s;
    std::size_t cut = max_bytes;
    // Back off over continuation bytes (10xxxxxx) to the start of the sequence they belong to.
    for (int i = 0; i < 3 && cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80; ++i) --cut;
    return s.substr(0, cut);
}

/// A UTC time as the schema writes it: YYYY-MM-DDTHH:MM:SS, no zone suffix.
std::string utc_time(std::chrono::system_clock::time_point t)
{
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return buf;
}

/// A deterministic UUID (RFC 9562 version 8, variant 10) for a finding: from its fingerprint and
/// place, so a rerun gives the same id and two findings of one secret get different ones.
std::string vulnerability_id(const Finding& f)
{
    const std::string place = display_location(f) + '\0' + std::to_string(f.line) + '\0' + std::to_string(f.column) + '\0' + f.commit;
    std::string hex = fingerprint(f.fingerprint, place).substr(0, 32);
    hex[12] = '8';                                                      // version
    hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3]; // variant 10xx
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' + hex.substr(20);
}

bool is_web_url(const std::string& url)
{
    return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

/// GitLab's severity from the rule's security severity (security_severity, as SARIF's
/// security-severity): Critical from 9.0, High from 7.0, Medium from 4.0, else Low. A finding
/// of a rule not loaded counts as 7.0.
const char* severity_of(const Rule* rule)
{
    const double s = rule ? security_severity(*rule) : 7.0;
    return s >= 9.0 ? "Critical" : s >= 7.0 ? "High" : s >= 4.0 ? "Medium" : "Low";
}

json identifiers_json(const Finding& f, const Rule* rule)
{
    json id = {{"type", "secretscan_rule_id"}, {"name", "secretscan rule ID " + f.rule_id}, {"value", f.rule_id}};
    if (rule && !rule->references.empty() && is_web_url(rule->references.front())) id["url"] = rule->references.front();
    return json::array({id});
}

json location_json(const Finding& f)
{
    json commit = {{"sha", f.commit.empty() ? no_commit_sha : f.commit}};
    if (!f.author.empty()) commit["author"] = f.author;
    if (!f.date.empty()) commit["date"] = f.date;
    json location = {{"commit", std::move(commit)}, {"start_line", f.line}, {"end_line", std::max(f.end_line, f.line)}};
    if (!f.path.empty()) location["file"] = f.path;
    return location;
}

std::string description_of(const Finding& f, const Rule* rule, const ReportOptions& o)
{
    std::string d = (f.rule_name.empty() ? f.rule_id : f.rule_name) + " (" + f.confidence + " confidence) found in " +
                    display_position(f) + ": " + shown_secret(f, o);
    if (!f.commit.empty()) d += "\nIntroduced by commit " + f.commit + (f.author.empty() ? "" : " by " + f.author) + ".";
    if (f.present_at_head == 0) d += "\nNo longer in the file at HEAD, but still in history.";
    if (!f.validation.empty()) d += "\nValidation: " + f.validation + ".";
    if (f.occurrences > 1) d += "\nSeen " + std::to_string(f.occurrences) + " times.";
    if (f.baseline_expired) d += "\nIts baseline entry has expired.";
    if (rule && !impact_of(*rule).empty()) d += "\nImpact: " + impact_of(*rule);
    return utf8_prefix(d, 1048576);
}

json vulnerability_json(const Finding& f, const Rule* rule, const ReportOptions& o)
{
    json v = {
        {"id", vulnerability_id(f)},
        {"name", utf8_prefix(f.rule_name.empty() ? f.rule_id : f.rule_name, 255)},
        {"description", description_of(f, rule, o)},
        {"severity", severity_of(rule)},
        {"identifiers", identifiers_json(f, rule)},
        {"location", location_json(f)},
        {"raw_source_code_extract", shown_line(f, o)},
    };
    if (rule && !rule->remediation.empty()) v["solution"] = utf8_prefix(rule->remediation, 6999);
    json links = json::array();
    if (rule)
        for (const std::string& url : rule->references)
            if (is_web_url(url)) links.push_back({{"url", url}, {"name", "Provider documentation"}});
    if (!links.empty()) v["links"] = std::move(links);
    return v;
}

/// What the scan warned about and skipped, as scan.messages (empty: none).
json messages_json(const ScanSummary& s)
{
    json messages = json::array();
    for (const std::string& w : s.warnings)
        if (!w.empty()) messages.push_back({{"level", "warn"}, {"value", w}});
    const auto& skipped = s.stats.skipped;
    for (std::size_t i = 0; i < skipped.size() && i < max_skipped_messages; ++i)
        messages.push_back({{"level", "info"}, {"value", "skipped " + skipped[i].name + ": " + skipped[i].reason}});
    if (skipped.size() > max_skipped_messages)
        messages.push_back({{"level", "info"}, {"value", "skipped " + std::to_string(skipped.size() - max_skipped_messages) + " more inputs"}});
    return messages;
}

json scan_json(const ScanSummary& s, std::chrono::system_clock::time_point start)
{
    json tool = {{"id", "secretscan"}, {"name", "secretscan"}, {"version", SECRETSCAN_VERSION}, {"vendor", {{"name", "secretscan"}}}};
    if (*SECRETSCAN_HOMEPAGE) tool["url"] = SECRETSCAN_HOMEPAGE; // cmake -DSECRETSCAN_HOMEPAGE
    json scan = {{"analyzer", tool},
                 {"scanner", tool},
                 {"type", "secret_detection"},
                 {"start_time", utc_time(start)},
                 {"end_time", utc_time(std::max(start, std::chrono::system_clock::now()))},
                 {"status", "success"}};
    json messages = messages_json(s);
    if (!messages.empty()) scan["messages"] = std::move(messages);
    return scan;
}

class GitlabSink : public DocumentSink {
public:
    using DocumentSink::DocumentSink;
    void begin(const std::string&) override { m_start = std::chrono::system_clock::now(); }

private:
    void write(std::ostream& out, const std::vector<Finding>& findings, const ScanSummary& s, const ReportOptions& o) override
    {
        std::map<std::string, const Rule*> by_id;
        if (o.rules)
            for (const Rule& rule : *o.rules) by_id[rule.id] = &rule;
        json vulnerabilities = json::array();
        for (const Finding& f : findings) {
            const auto it = by_id.find(f.rule_id);
            vulnerabilities.push_back(vulnerability_json(f, it == by_id.end() ? nullptr : it->second, o));
        }
        const json doc = {{"version", schema_version},
                          {"schema", schema_uri},
                          {"scan", scan_json(s, m_start)},
                          {"vulnerabilities", std::move(vulnerabilities)}};
        out << dump(doc, 2) << '\n';
    }

    std::chrono::system_clock::time_point m_start = std::chrono::system_clock::now(); ///< reset by begin()
};

} // namespace

std::unique_ptr<FindingSink> gitlab_sink(std::ostream& out, const ReportOptions& o)
{
    return std::make_unique<GitlabSink>(out, o);
}

} // namespace secretscan::report
