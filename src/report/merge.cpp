// report merge: the reports of a history --shard I/N scan's processes, made back into the report
// one process would have written (docs/scale.md).

#include <secretscan/error.hpp>

#include "report/common.hpp"
#include "util/i18n.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <numeric>

namespace secretscan {

namespace {

using nlohmann::json;

/// One shard's report, read.
struct Shard {
    std::string name;           ///< the file it came from
    std::string format;         ///< jsonl, json or sarif
    json record;                ///< its ShardRecord (shard_json)
    json doc;                   ///< json and sarif: the document
    std::vector<json> findings; ///< jsonl: one object per finding line
};

[[noreturn]] void fail(const std::string& name, const std::string& what)
{
    throw Error(ErrorKind::usage, "report merge: " + name + ": " + what);
}

const char* const not_a_shard = "not the report of a history --shard I/N scan in jsonl, json or sarif";

/// A JSON Lines report: its finding lines, then the shard's record as the last line.
void read_jsonl(Shard& s, const std::string& text)
{
    std::size_t number = 0;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        const std::string line = text.substr(at, end - at);
        at = end + 1;
        ++number;
        if (line.empty()) continue;
        json j = json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) fail(s.name, "line " + std::to_string(number) + " is not a JSON object: " + not_a_shard);
        if (!s.record.is_null()) fail(s.name, "a line follows the shard's record (the last line): " + std::string(not_a_shard));
        if (j.contains("secretscan_shard")) s.record = j["secretscan_shard"];
        else s.findings.push_back(std::move(j));
    }
    if (s.record.is_null())
        fail(s.name, "no shard record as its last line: not written by history --shard, or cut short (did the scan finish?)");
}

Shard read_shard(const std::string& name, const std::string& text)
{
    Shard s{name, "jsonl", nullptr, nullptr, {}};
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || (doc.is_object() && doc.contains("secretscan_shard"))) {
        read_jsonl(s, text);
    } else if (doc.is_object() && doc.contains("runs") && doc["runs"].is_array() && doc["runs"].size() == 1) {
        s.format = "sarif";
        s.record = doc["runs"][0].value("properties", json::object()).value("shard", json());
        s.doc = std::move(doc);
    } else if (doc.is_object() && doc.contains("findings") && doc["findings"].is_array()) {
        s.format = "json";
        s.record = doc.value("shard", json());
        s.doc = std::move(doc);
    } else {
        fail(name, not_a_shard);
    }
    const json& r = s.record;
    if (!r.is_object() || !r.contains("index") || !r.contains("count") || !r["index"].is_number_unsigned() ||
        !r["count"].is_number_unsigned() || r["index"] >= r["count"])
        fail(name, s.format == "jsonl" ? "its last line is no valid shard record" : std::string(not_a_shard));
    return s;
}

std::string shard_name(const json& record)
{
    return std::to_string(record["index"].get<unsigned>()) + "/" + std::to_string(record["count"].get<unsigned>());
}

/// The shards in index order, every check made: one format, one count, every index once, one
/// history, rule set, command and redaction.
void check_shards(std::vector<Shard>& shards)
{
    if (shards.empty()) throw Error(ErrorKind::usage, "report merge: no reports given (give every shard's report)");
    const Shard& first = shards.front();
    for (const Shard& s : shards) {
        if (s.format != first.format)
            fail(s.name, "a " + s.format + " report, and " + first.name + " a " + first.format + " one: merge reports of one format");
        if (s.record["count"] != first.record["count"])
            fail(s.name, "shard " + shard_name(s.record) + ", and " + first.name + " is shard " + shard_name(first.record) +
                             ": merge the shards of one run");
        for (const auto& [field, what] : {std::pair{"history", "history (commits, tags or refs)"}, std::pair{"rules", "rule set"},
                                          std::pair{"options", "set of finding options (allowlists, baselines, --min-confidence, --max-file-size)"},
                                          std::pair{"command", "command"}, std::pair{"redaction", "redaction (--redact, --no-redact)"}})
            if (s.record.value(field, json()) != first.record.value(field, json()))
                fail(s.name, std::string("another ") + what + " than " + first.name +
                                 "'s: the shards must scan the same repository, at the same commits, with the same rules and options");
    }
    std::stable_sort(shards.begin(), shards.end(), [](const Shard& a, const Shard& b) { return a.record["index"] < b.record["index"]; });
    const unsigned count = first.record["count"].get<unsigned>();
    for (std::size_t i = 1; i < shards.size(); ++i)
        if (shards[i].record["index"] == shards[i - 1].record["index"])
            fail(shards[i].name, shards[i].name == shards[i - 1].name
                                     ? std::string("given twice: give each shard's report once")
                                     : "shard " + shard_name(shards[i].record) + ", as " + shards[i - 1].name + " is: give each shard once");
    for (unsigned i = 0; i < count; ++i)
        if (i >= shards.size() || shards[i].record["index"] != i)
            throw Error(ErrorKind::usage, "report merge: shard " + std::to_string(i) + "/" + std::to_string(count) + " is missing (" +
                                              std::to_string(count) + " reports are needed, one per shard)");
}

/// A finding's order key, removed from it; fails when it has none.
json take(json& j, const char* field, const std::string& name)
{
    if (!j.is_object() || !j.contains(field)) fail(name, std::string("a finding without its ") + field + ": " + not_a_shard);
    json key = std::move(j[field]);
    j.erase(field);
    return key;
}

/// `items` with their keys, sorted by key (unique: every key ends with a single run's order).
std::vector<json> sorted(std::vector<std::pair<json, json>> items)
{
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<json> out;
    for (auto& item : items) out.push_back(std::move(item.second));
    return out;
}

MergedReport merge_jsonl(std::vector<Shard>& shards)
{
    std::vector<std::pair<json, json>> items;
    for (Shard& s : shards)
        for (json& f : s.findings) {
            json key = take(f, "shard_order", s.name);
            items.emplace_back(std::move(key), std::move(f));
        }
    MergedReport m{"jsonl", "", items.size()};
    for (const json& f : sorted(std::move(items))) m.text += report::dump(f) + '\n';
    return m;
}

/// json: sort_findings' key (display_location, line, column, rule id, commit), then the order.
MergedReport merge_json(std::vector<Shard>& shards)
{
    std::vector<std::pair<json, json>> items;
    json doc = shards.front().doc;
    json& stats = doc["stats"];
    stats["scanned"] = 0;
    stats["bytes"] = 0;
    stats["skipped"] = json::array();
    stats["seconds"] = 0.0;
    for (Shard& s : shards) {
        for (json& f : s.doc["findings"]) {
            json order = take(f, "shard_order", s.name);
            const std::string path = f.value("path", ""), where = path.empty() ? f.value("source_name", "") : path;
            items.emplace_back(json::array({where, f.value("line", 0u), f.value("column", 0u), f.value("rule_id", ""), f.value("commit", ""), order}),
                               std::move(f));
        }
        const json st = s.doc.value("stats", json::object());
        stats["scanned"] = stats["scanned"].get<std::uint64_t>() + st.value("scanned", std::uint64_t{0});
        stats["bytes"] = stats["bytes"].get<std::uint64_t>() + st.value("bytes", std::uint64_t{0});
        for (const json& k : st.value("skipped", json::array())) stats["skipped"].push_back(k);
        stats["seconds"] = std::max(stats["seconds"].get<double>(), st.value("seconds", 0.0)); // the shards run side by side
    }
    // A single run lists them sorted by name (run_scan).
    std::stable_sort(stats["skipped"].begin(), stats["skipped"].end(),
                     [](const json& a, const json& b) { return a.value("name", "") < b.value("name", ""); });
    doc.erase("shard");
    doc["findings"] = sorted(std::move(items));
    return {"json", report::dump(doc, 2) + '\n', doc["findings"].size()};
}

/// GitHub's limit on a run's results, applied as the SARIF writer applies it (sarif.cpp,
/// within_limit): the most severe kept, stable otherwise. Returns how many were left out.
std::size_t sarif_limit(std::vector<std::pair<double, json>>& results)
{
    constexpr std::size_t max_results_per_run = 25000;
    if (results.size() <= max_results_per_run) return 0;
    const std::size_t total = results.size(), omitted = total - max_results_per_run;
    std::stable_sort(results.begin(), results.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    results.resize(max_results_per_run);
    std::cerr << "secretscan: " << tr("warning: ")
              << format(tr("SARIF: {0} findings, more than the {1} results GitHub code scanning accepts in a run: kept the {1} most "
                           "severe, left out {2} (--format json lists them all)"),
                        {std::to_string(total), std::to_string(max_results_per_run), std::to_string(omitted)})
              << '\n';
    return omitted;
}

/// Every shard's rules by id (the same id must be the same rule in every shard).
std::map<std::string, json> sarif_rules(const std::vector<Shard>& shards)
{
    std::map<std::string, json> rules;
    for (const Shard& s : shards)
        for (const json& r : s.doc["runs"][0]["tool"]["driver"].value("rules", json::array()))
            if (const auto [it, fresh] = rules.emplace(r.value("id", ""), r); !fresh && it->second != r)
                fail(s.name, "rule " + it->first + " differs from another shard's: the shards must scan with the same rules");
    return rules;
}

MergedReport merge_sarif(std::vector<Shard>& shards)
{
    std::vector<std::pair<json, json>> items;
    for (Shard& s : shards)
        for (json& r : s.doc["runs"][0].value("results", json::array())) {
            json& props = r["properties"];
            json key = take(props, "shardKey", s.name);
            key.push_back(take(props, "shardSeverity", s.name)); // last: the order keys are unique before it
            items.emplace_back(std::move(key), std::move(r));
        }
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::pair<double, json>> results;
    for (auto& item : items) results.emplace_back(item.first.back().get<double>(), std::move(item.second));
    const std::size_t omitted = sarif_limit(results);
    const std::map<std::string, json> by_id = sarif_rules(shards);
    json rules = json::array(), merged = json::array();
    std::map<std::string, std::size_t> index;
    for (auto& result : results) {
        const std::string id = result.second.value("ruleId", "");
        if (!index.count(id)) {
            index[id] = rules.size();
            rules.push_back(by_id.count(id) ? by_id.at(id) : json{{"id", id}, {"shortDescription", {{"text", id}}}});
        }
        result.second["ruleIndex"] = index[id];
        merged.push_back(std::move(result.second));
    }
    json doc = shards.front().doc;
    json& run = doc["runs"][0];
    run["results"] = std::move(merged);
    run["tool"]["driver"]["rules"] = std::move(rules);
    run["properties"].erase("shard");
    if (omitted) run["properties"]["omittedResults"] = omitted;
    return {"sarif", report::dump(doc, 2) + '\n', run["results"].size()};
}

} // namespace

MergedReport merge_shard_reports(const std::vector<std::pair<std::string, std::string>>& given)
{
    std::vector<Shard> shards;
    for (const auto& [name, text] : given) shards.push_back(read_shard(name, text));
    check_shards(shards);
    const std::string format = shards.front().format;
    if (format == "sarif") return merge_sarif(shards);
    return format == "json" ? merge_json(shards) : merge_jsonl(shards);
}

} // namespace secretscan
