#include <secretscan/error.hpp>
#include <secretscan/report/report.hpp>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

using namespace secretscan;

namespace {

Finding finding(const std::string& path, std::size_t line, const std::string& secret)
{
    Finding f;
    f.rule_id = "tok";
    f.rule_name = "Token";
    f.secret = secret;
    f.line_text = "k = " + secret;
    f.path = path;
    f.line = line;
    f.column = 5;
    f.confidence = "high";
    f.fingerprint = fingerprint("tok", secret);
    return f;
}

ScanSummary summary(std::size_t findings)
{
    ScanSummary s;
    s.findings = findings;
    s.stats.items = 1;
    s.stats.bytes = 1500;
    s.stats.unit = "files";
    return s;
}

} // namespace

TEST_CASE("report: jsonl writes each finding when it arrives, documents at the end", "[report]")
{
    std::ostringstream jsonl, text;
    ReportOptions o;
    o.format = "jsonl";
    const auto stream = make_report_sink(jsonl, o);
    o.format = "text";
    o.command = "scan";
    const auto doc = make_report_sink(text, o);
    stream->finding(finding("b.env", 2, "tok_secret2"));
    doc->finding(finding("b.env", 2, "tok_secret2"));
    CHECK(nlohmann::json::parse(jsonl.str())["path"] == "b.env");
    CHECK(nlohmann::json::parse(jsonl.str())["secret"] == "tok_\u2026");
    CHECK(text.str().empty());
    stream->finding(finding("a.env", 1, "tok_secret1"));
    doc->finding(finding("a.env", 1, "tok_secret1"));
    stream->finish(summary(2));
    doc->finish(summary(2));
    const std::string lines = jsonl.str();
    CHECK(std::count(lines.begin(), lines.end(), '\n') == 2);
    CHECK(text.str() == "a.env:1:5: tok: tok_\u2026\nb.env:2:5: tok: tok_\u2026\n"
                        "By rule: tok 2\nBy secret:\n  tok_\u2026 (tok, afbbbaba): 1 place\n  tok_\u2026 (tok, f61c5820): 1 place\n"
                        "secretscan scan: 2 findings; scanned 1 file (1.5 kB), skipped 0, 0.00 s\n");
}

TEST_CASE("report: format names, and an unknown one lists them", "[report]")
{
    CHECK(report_formats() == std::vector<std::string_view>{"text", "json", "jsonl", "sarif", "csv", "junit", "gitlab"});
    CHECK(parse_format("SARIF") == "sarif");
    CHECK_THROWS_WITH(parse_format("xml"), "--format xml: unknown format (expected text, json, jsonl, sarif, csv, junit or gitlab)");
}

TEST_CASE("report: SARIF rule tags are security, the rule's tags, its family and a non-token kind, once each", "[report]")
{
    Rule r;
    r.id = "tok";
    r.name = "Token";
    r.family = "database";
    r.kind = RuleKind::url;
    r.tags = {"postgres", "database"};
    const std::vector<Rule> rules{r};
    std::ostringstream out;
    ReportOptions o;
    o.format = "sarif";
    o.rules = &rules;
    const auto sink = make_report_sink(out, o);
    sink->finding(finding("a.env", 1, "tok_secret1"));
    sink->finish(summary(1));
    const auto doc = nlohmann::json::parse(out.str());
    const auto& rule = doc["runs"][0]["tool"]["driver"]["rules"][0];
    CHECK(rule["properties"]["tags"] == nlohmann::json({"security", "postgres", "database", "url"}));
    // database, medium confidence: 8.5 less 1.0.
    CHECK(rule["properties"]["security-severity"] == "7.5");
    CHECK(rule["defaultConfiguration"]["level"] == "error");
    CHECK(doc["runs"][0]["results"][0]["level"] == "error");
    // GitHub takes at most 20 tags per rule.
    r.tags.clear();
    for (int i = 0; i < 30; ++i) r.tags.push_back("t" + std::to_string(i));
    const std::vector<Rule> many{r};
    o.rules = &many;
    std::ostringstream out2;
    const auto sink2 = make_report_sink(out2, o);
    sink2->finding(finding("a.env", 1, "tok_secret1"));
    sink2->finish(summary(1));
    CHECK(nlohmann::json::parse(out2.str())["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["tags"].size() == 20);
}

TEST_CASE("rules: security severity comes from the family and the confidence", "[rules]")
{
    // Every family has its own figure: a family added without one would fall back to 7.0.
    const std::map<std::string, double> figures{
        {"cloud", 9.5}, {"identity", 9.5}, {"private-key", 9.0}, {"vcs", 9.0}, {"registry", 9.0}, {"ci", 8.5},
        {"database", 8.5}, {"payments", 8.5}, {"generic", 7.0}, {"jwt", 7.0}, {"saas", 6.5}, {"chat", 6.5},
        {"messaging", 6.5}, {"ai", 6.5}, {"observability", 6.0}, {"password-hash", 5.5}};
    std::set<std::string> families;
    for (std::string_view f : rule_families()) families.insert(std::string(f));
    std::set<std::string> named;
    for (const auto& [f, figure] : figures) named.insert(f);
    CHECK(families == named);
    Rule r;
    for (const auto& [f, figure] : figures) {
        r.family = f;
        r.confidence = Confidence::high;
        CHECK(security_severity(r) == figure);
        r.confidence = Confidence::low;
        CHECK(security_severity(r) == figure - 3.0);
    }
    r.family.clear();
    r.confidence = Confidence::medium;
    CHECK(security_severity(r) == 6.0);
}
