// --format sarif: SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

#include "report/common.hpp"

#include "util/i18n.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>
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

/// GitHub code scanning's upload limits (docs.github.com, "SARIF results exceed limits"): a
/// run with more results, or a rule with more tags, rejects the whole file.
constexpr std::size_t max_results_per_run = 25000;
constexpr std::size_t max_tags_per_rule = 20;

/// A rule's tags as SARIF lists them: "security" first (GitHub shows security-severity only for
/// rules tagged so), its own tags, its family, and its kind unless token; unique (the schema
/// requires it), at most max_tags_per_rule.
std::vector<std::string> sarif_tags(const Rule& rule)
{
    std::vector<std::string> tags{"security"};
    for (const std::string& tag : rule.tags)
        if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
    for (std::string extra : {rule.family, std::string(rule.kind == RuleKind::token ? "" : to_string(rule.kind))})
        if (!extra.empty() && std::find(tags.begin(), tags.end(), extra) == tags.end()) tags.push_back(extra);
    if (tags.size() > max_tags_per_rule) tags.resize(max_tags_per_rule);
    return tags;
}

/// SARIF's level for a security severity: error from 7.0 (high and critical), warning from 4.0.
const char* level_of(double severity)
{
    return severity >= 7.0 ? "error" : severity >= 4.0 ? "warning" : "note";
}

std::string one_decimal(double x)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f", x);
    return buf;
}

json rule_json(const std::string& id, const Rule* rule)
{
    json jr = {{"id", id}};
    if (!rule) {
        jr["shortDescription"] = {{"text", id}};
        return jr;
    }
    const double severity = security_severity(*rule);
    jr["name"] = rule->name;
    jr["shortDescription"] = {{"text", rule->name}};
    jr["fullDescription"] = {{"text", rule->name + " (" + std::string(to_string(rule->confidence)) + " confidence)"}};
    jr["help"] = {{"text", rule->remediation.empty() ? rule->name : rule->remediation}};
    if (!rule->references.empty()) jr["helpUri"] = rule->references.front();
    jr["defaultConfiguration"] = {{"level", level_of(severity)}};
    jr["properties"] = {{"tags", sarif_tags(*rule)},
                        {"security-severity", one_decimal(severity)},
                        {"precision", to_string(rule->confidence)},
                        {"confidence", to_string(rule->confidence)}};
    return jr;
}

/// Where a finding lies, for its message: a file's findings have a physical location; a commit
/// or tag message, a message file outside the work tree or standard input is no file of the
/// repository, so its finding has none (GitHub rejects a location without a
/// file, and shows a result without one as an alert on the repository).
std::string message_place(const Finding& f)
{
    if (f.source == SourceKind::commit_message) return " in the message of commit " + f.commit;
    if (f.source == SourceKind::stdin_input) return " in standard input";
    if (f.source == SourceKind::tag_message) return " in the message of tag " + f.tag;
    if (f.source == SourceKind::message_file) return " in the commit message file " + f.source_name;
    return "";
}

json result_json(const Finding& f, std::size_t rule_index, const Rule* rule, const ReportOptions& o)
{
    const std::string place = message_place(f);
    json result = {
        {"ruleId", f.rule_id},
        {"ruleIndex", rule_index},
        {"level", level_of(rule ? security_severity(*rule) : 7.0)},
        {"message", {{"text", f.rule_name + " found" + place + ": " + shown_secret(f, o)}}},
        // Per secret and place: GitHub makes one alert of results that share a fingerprint, so
        // the same key in two files (or a file and a message) would show as one.
        {"partialFingerprints", {{"secretscan/v2", fingerprint(f.fingerprint, place.empty() ? display_location(f) : std::string(to_string(f.source)) + ":" + place)}}},
    };
    if (place.empty()) {
        json region = {{"startLine", f.line}, {"startColumn", f.column}};
        if (f.end_line > f.line) region["endLine"] = f.end_line;
        region["snippet"] = {{"text", shown_line(f, o)}};
        result["locations"] = json::array({{{"physicalLocation", {{"artifactLocation", {{"uri", uri_of(display_location(f))}}}, {"region", region}}}}});
    }
    json props = {{"source", to_string(f.source)}, {"occurrences", f.occurrences}};
    if (!place.empty()) props["line"] = f.line, props["column"] = f.column;
    if (!f.validation.empty()) props["validation"] = f.validation;
    if (!f.decoder.empty()) props["decoder"] = f.decoder;
    if (!f.commit.empty()) props["commit"] = f.commit;
    if (!f.tag.empty()) props["tag"] = f.tag;
    if (!f.author.empty()) props["author"] = f.author;
    if (!f.date.empty()) props["date"] = f.date;
    if (f.present_at_head >= 0) props["presentAtHead"] = f.present_at_head == 1;
    if (f.baseline_expired) props["baselineExpired"] = true;
    if (o.shard) { // what report merge sorts by: sort_findings' key, then a single run's order
        props["shardKey"] = json::array({display_location(f), f.line, f.column, f.rule_id, f.commit, f.shard_order});
        props["shardSeverity"] = rule ? security_severity(*rule) : 7.0;
    }
    result["properties"] = std::move(props);
    return result;
}

/// At most max_results_per_run of `findings`, the most severe kept (stable otherwise), with a
/// warning on stderr naming how many were left out; `omitted` is set to that number. A shard's
/// report keeps them all: report merge applies the limit to the merged results.
/// (merge_sarif in merge.cpp applies it the same way: keep them alike.)
std::vector<const Finding*> within_limit(const std::vector<Finding>& findings, const std::map<std::string, const Rule*>& by_id,
                                         std::size_t& omitted, bool shard)
{
    std::vector<const Finding*> kept;
    for (const Finding& f : findings) kept.push_back(&f);
    omitted = kept.size() > max_results_per_run && !shard ? kept.size() - max_results_per_run : 0;
    if (!omitted) return kept;
    const auto severity = [&by_id](const Finding* f) {
        const auto it = by_id.find(f->rule_id);
        return it == by_id.end() ? 7.0 : security_severity(*it->second);
    };
    std::stable_sort(kept.begin(), kept.end(), [&](const Finding* a, const Finding* b) { return severity(a) > severity(b); });
    kept.resize(max_results_per_run);
    std::cerr << "secretscan: " << tr("warning: ")
              << format(tr("SARIF: {0} findings, more than the {1} results GitHub code scanning accepts in a run: kept the {1} most "
                           "severe, left out {2} (--format json lists them all)"),
                        {std::to_string(findings.size()), std::to_string(max_results_per_run), std::to_string(omitted)})
              << '\n';
    return kept;
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
        std::size_t omitted = 0;
        const std::vector<const Finding*> kept = within_limit(findings, by_id, omitted, o.shard != nullptr);
        json rules = json::array(), results = json::array();
        std::map<std::string, std::size_t> rule_index;
        for (const Finding* f : kept) {
            const auto it = by_id.find(f->rule_id);
            const Rule* rule = it == by_id.end() ? nullptr : it->second;
            if (!rule_index.count(f->rule_id)) {
                rule_index[f->rule_id] = rules.size();
                rules.push_back(rule_json(f->rule_id, rule));
            }
            results.push_back(result_json(*f, rule_index[f->rule_id], rule, o));
        }
        json driver = {{"name", "secretscan"}, {"version", SECRETSCAN_VERSION}, {"semanticVersion", SECRETSCAN_VERSION},
                       {"rules", std::move(rules)}};
        if (*SECRETSCAN_HOMEPAGE) driver["informationUri"] = SECRETSCAN_HOMEPAGE; // cmake -DSECRETSCAN_HOMEPAGE
        json props = {{"command", o.command}};
        if (omitted) props["omittedResults"] = omitted;
        if (o.shard) props["shard"] = shard_json(o);
        // One category per kind of scan: an upload replaces only the alerts of its own category,
        // so a range scan never closes the alerts a full history scan raised.
        const json run = {{"tool", {{"driver", driver}}},
                          {"automationDetails", {{"id", "secretscan/" + (o.category.empty() ? o.command : o.category) + "/"}}},
                          {"columnKind", "unicodeCodePoints"},
                          {"results", std::move(results)},
                          {"properties", std::move(props)}};
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
