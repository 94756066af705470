// --format gitlab: severity, length limits cut at UTF-8 boundaries, messages (end to end:
// tests/e2e/test_gitlab_report.cpp).
#include <secretscan/report/report.hpp>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

using namespace secretscan;

namespace {

/// Whether `s` is well-formed UTF-8 (no sequence cut short).
bool valid_utf8(const std::string& s)
{
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

} // namespace

TEST_CASE("report: gitlab severity follows the rule's security severity, long texts are cut at UTF-8 boundaries", "[report][gitlab]")
{
    Rule rule;
    rule.id = "tok";
    rule.name = "TT";
    for (int i = 0; i < 300; ++i) rule.name += "\u00e9"; // 602 bytes
    rule.remediation = "ab";
    for (int i = 0; i < 3000; ++i) rule.remediation += "\u20ac"; // 9002 bytes
    rule.references = {"https://example.invalid/tok", "not a url"};
    rule.confidence = Confidence::low; // no family: 7.0 less 3.0, Medium
    Rule cloud = rule;
    cloud.id = "tok-cloud";
    cloud.family = "cloud";
    cloud.confidence = Confidence::high; // 9.5: Critical
    const std::vector<Rule> rules{rule, cloud};

    Finding f;
    f.rule_id = "tok";
    f.rule_name = rule.name;
    f.secret = "tok_secret1";
    f.line_text = "k = tok_secret1";
    f.path = "a.env";
    f.line = 1;
    f.end_line = 1;
    f.column = 5;
    f.confidence = "low";
    f.fingerprint = fingerprint("tok", f.secret);
    Finding high = f;
    high.path = "b.env";
    high.rule_id = "tok-cloud";
    high.confidence = "high";

    ScanSummary s;
    s.warnings = {"shallow repository: history is incomplete"};
    for (int i = 0; i < 102; ++i) s.stats.skipped.push_back({"bin" + std::to_string(i), "binary"});

    std::ostringstream out;
    ReportOptions o;
    o.format = "gitlab";
    o.rules = &rules;
    const auto sink = make_report_sink(out, o);
    sink->begin("files");
    sink->finding(high);
    sink->finding(f);
    sink->finish(s);
    const auto doc = nlohmann::json::parse(out.str());
    REQUIRE(doc["vulnerabilities"].size() == 2);
    const auto& low = doc["vulnerabilities"][0]; // sorted by place: a.env first
    CHECK(low["location"]["file"] == "a.env");
    CHECK(low["severity"] == "Medium");
    CHECK(doc["vulnerabilities"][1]["severity"] == "Critical");
    const std::string name = low["name"], solution = low["solution"];
    CHECK(name.size() == 254); // "TT" and 126 two-byte characters: byte 255 would cut the 127th
    CHECK(valid_utf8(name));
    CHECK(solution.size() == 6998); // "ab" and 2332 three-byte characters, under 7000 bytes
    CHECK(valid_utf8(solution));
    CHECK(low["identifiers"][0]["url"] == "https://example.invalid/tok");
    CHECK(low["links"] == nlohmann::json::parse(R"([{"url": "https://example.invalid/tok", "name": "Provider documentation"}])"));
    // Warnings, then the first 100 skipped inputs one by one, then how many more.
    const auto& messages = doc["scan"]["messages"];
    REQUIRE(messages.size() == 102);
    CHECK(messages[0] == nlohmann::json::parse(R"({"level": "warn", "value": "shallow repository: history is incomplete"})"));
    CHECK(messages[1] == nlohmann::json::parse(R"({"level": "info", "value": "skipped bin0: binary"})"));
    CHECK(messages[101] == nlohmann::json::parse(R"({"level": "info", "value": "skipped 2 more inputs"})"));
}
