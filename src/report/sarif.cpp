// --format sarif: SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

#include "report/common.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace secretscan::report {

using nlohmann::json;

namespace {

/// A SARIF artifact URI for a path: RFC 3986 percent-encoding of what is not unreserved or '/'.
std::string uri_of(const std::string& path)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : path) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

/// A rule's tags as SARIF lists them: its own tags, its family, and its kind unless token
/// (unique: the schema requires it).
std::vector<std::string> sarif_tags(const Rule& rule)
{
    std::vector<std::string> tags = rule.tags;
    for (std::string extra : {rule.family, std::string(rule.kind == RuleKind::token ? "" : to_string(rule.kind))})
        if (!extra.empty() && std::find(tags.begin(), tags.end(), extra) == tags.end()) tags.push_back(extra);
    return tags;
}

json rule_json(const std::string& id, const Rule* rule)
{
    json jr = {{"id", id}};
    if (!rule) {
        jr["shortDescription"] = {{"text", id}};
        return jr;
    }
    jr["name"] = rule->name;
    jr["shortDescription"] = {{"text", rule->name}};
    jr["fullDescription"] = {{"text", rule->name + " (" + std::string(to_string(rule->confidence)) + " confidence)"}};
    jr["help"] = {{"text", rule->remediation.empty() ? rule->name : rule->remediation}};
    if (!rule->references.empty()) jr["helpUri"] = rule->references.front();
    jr["defaultConfiguration"] = {{"level", rule->confidence == Confidence::low ? "warning" : "error"}};
    jr["properties"] = {{"tags", sarif_tags(*rule)}, {"confidence", to_string(rule->confidence)}};
    return jr;
}

json result_json(const Finding& f, std::size_t rule_index, const ReportOptions& o)
{
    json region = {{"startLine", f.line}, {"startColumn", f.column}};
    if (f.end_line > f.line) region["endLine"] = f.end_line;
    region["snippet"] = {{"text", shown_line(f, o)}};
    json result = {
        {"ruleId", f.rule_id},
        {"ruleIndex", rule_index},
        {"level", f.confidence == "low" ? "warning" : "error"},
        {"message", {{"text", f.rule_name + " found: " + shown_secret(f, o)}}},
        {"locations", json::array({{{"physicalLocation", {{"artifactLocation", {{"uri", uri_of(display_location(f))}}}, {"region", region}}}}})},
        {"partialFingerprints", {{"secretscan/v1", f.fingerprint}}},
    };
    json props = {{"source", to_string(f.source)}, {"occurrences", f.occurrences}};
    if (!f.validation.empty()) props["validation"] = f.validation;
    if (!f.decoder.empty()) props["decoder"] = f.decoder;
    if (!f.commit.empty()) props["commit"] = f.commit;
    if (!f.author.empty()) props["author"] = f.author;
    if (!f.date.empty()) props["date"] = f.date;
    if (f.present_at_head >= 0) props["presentAtHead"] = f.present_at_head == 1;
    if (f.baseline_expired) props["baselineExpired"] = true;
    result["properties"] = std::move(props);
    return result;
}

class SarifSink : public DocumentSink {
public:
    using DocumentSink::DocumentSink;

private:
    void write(std::ostream& out, const std::vector<Finding>& findings, const ScanSummary&, const ReportOptions& o) override
    {
        std::map<std::string, const Rule*> by_id;
        if (o.rules)
            for (const Rule& rule : *o.rules) by_id[rule.id] = &rule;
        json rules = json::array(), results = json::array();
        std::map<std::string, std::size_t> rule_index;
        for (const Finding& f : findings) {
            if (!rule_index.count(f.rule_id)) {
                rule_index[f.rule_id] = rules.size();
                const auto it = by_id.find(f.rule_id);
                rules.push_back(rule_json(f.rule_id, it == by_id.end() ? nullptr : it->second));
            }
            results.push_back(result_json(f, rule_index[f.rule_id], o));
        }
        json driver = {{"name", "secretscan"}, {"version", SECRETSCAN_VERSION}, {"semanticVersion", SECRETSCAN_VERSION},
                       {"rules", std::move(rules)}};
        if (*SECRETSCAN_HOMEPAGE) driver["informationUri"] = SECRETSCAN_HOMEPAGE; // cmake -DSECRETSCAN_HOMEPAGE
        const json run = {{"tool", {{"driver", driver}}}, {"columnKind", "unicodeCodePoints"}, {"results", std::move(results)},
                          {"properties", {{"command", o.command}}}};
        const json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}, {"runs", json::array({run})}};
        out << dump(doc, 2) << '\n';
    }
};

} // namespace

std::unique_ptr<FindingSink> sarif_sink(std::ostream& out, const ReportOptions& o)
{
    return std::make_unique<SarifSink>(out, o);
}

} // namespace secretscan::report
