// --format json (one document) and --format jsonl (one finding per line, streamed).

#include "report/common.hpp"

#include <secretscan/engine/matcher.hpp>

#include <cmath>

namespace secretscan::report {

using nlohmann::json;

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
        {"end_column", f.end_column},
        {"entropy", std::round(shannon_entropy(f.secret) * 1000.0) / 1000.0}, // bits per byte, as rules' `entropy` measures it
        {"occurrences", f.occurrences},
        {"fingerprint", f.fingerprint},
    };
    if (!f.validation.empty()) j["validation"] = f.validation;
    if (!f.decoder.empty()) j["decoder"] = f.decoder;
    if (!f.source_name.empty()) j["source_name"] = f.source_name;
    if (!f.commit.empty()) j["commit"] = f.commit;
    if (!f.tag.empty()) j["tag"] = f.tag;
    if (!f.commit.empty()) j["commit_message"] = o.redact ? redact_in(f.commit_message, f.secret, o.redact_percent) : f.commit_message;
    if (!f.commit.empty() || !f.tag.empty() || f.source == SourceKind::blob) { // history: [] when none (a tag message, a blob no commit holds)
        j["commits"] = f.commits;
        j["refs"] = f.refs;
    }
    if (!f.author.empty()) j["author"] = f.author;
    if (!f.date.empty()) j["date"] = f.date;
    if (f.present_at_head >= 0) j["present_at_head"] = f.present_at_head == 1;
    if (f.baseline_expired) j["baseline_expired"] = true;
    if (o.shard) j["shard_order"] = f.shard_order;
    return j;
}

namespace {

class JsonSink : public DocumentSink {
public:
    using DocumentSink::DocumentSink;

private:
    void write(std::ostream& out, const std::vector<Finding>& findings, const ScanSummary& s, const ReportOptions& o) override
    {
        json list = json::array();
        for (const Finding& f : findings) list.push_back(finding_json(f, o));
        json skipped = json::array();
        for (const Skipped& k : s.stats.skipped) skipped.push_back({{"name", k.name}, {"reason", k.reason}});
        json doc = {
            {"tool", {{"name", "secretscan"}, {"version", SECRETSCAN_VERSION}}},
            {"command", o.command},
            {"findings", std::move(list)},
            {"stats",
             {{"unit", s.stats.unit},
              {"scanned", s.stats.items},
              {"bytes", s.stats.bytes},
              {"skipped", std::move(skipped)},
              {"seconds", s.stats.seconds}}},
            {"warnings", s.warnings},
        };
        if (o.shard) doc["shard"] = shard_json(o);
        out << dump(doc, 2) << '\n';
    }
};

/// Each finding is written (and flushed) as it arrives: a consumer sees findings while a long
/// scan runs.
class JsonlSink : public FindingSink {
public:
    JsonlSink(std::ostream& out, const ReportOptions& o) : m_out(out), m_options(o) {}
    bool finding(const Finding& f) override
    {
        m_out << dump(finding_json(f, m_options)) << '\n';
        m_out.flush();
        return true;
    }
    void finish(const ScanSummary&) override
    {
        // A shard's record comes last: a shard report without it was cut short.
        if (m_options.shard) m_out << dump(json{{"secretscan_shard", shard_json(m_options)}}) << '\n';
        m_out.flush();
    }

private:
    std::ostream& m_out;
    ReportOptions m_options;
};

} // namespace

std::unique_ptr<FindingSink> json_sink(std::ostream& out, const ReportOptions& o)
{
    return std::make_unique<JsonSink>(out, o);
}

std::unique_ptr<FindingSink> jsonl_sink(std::ostream& out, const ReportOptions& o)
{
    return std::make_unique<JsonlSink>(out, o);
}

} // namespace secretscan::report
