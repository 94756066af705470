// Rules are data that prove themselves: every shipped rule is complete, compiles, finds its
// examples through the whole engine and none of its negative examples.
#include <secretscan/rules.hpp>
#include <secretscan/scanner.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace secretscan;

TEST_CASE("every shipped rule is complete and proves itself", "[packs]")
{
    const std::vector<Rule> rules = load_rules(RuleSelection{});
    REQUIRE(rules.size() >= 25);
    Matcher matcher(rules);
    REQUIRE_NOTHROW(matcher.compile_all());
    const Scanner scanner(matcher);
    std::set<std::string> ids;
    for (const Rule& r : matcher.rules()) {
        INFO("rule " << r.id << " (" << r.mark.file << ":" << r.mark.line << ")");
        CHECK(ids.insert(r.id).second);
        CHECK(!r.examples.empty());
        CHECK(!r.negative_examples.empty());
        CHECK(!r.references.empty());
        CHECK(!r.remediation.empty());
        CHECK(!r.keywords.empty());
        for (const auto& ex : r.examples) {
            INFO("example: " << ex);
            const auto found = scanner.scan_text(ex, Provenance{});
            CHECK(std::any_of(found.begin(), found.end(), [&r](const Finding& f) { return f.rule_id == r.id; }));
        }
        for (const auto& ex : r.negative_examples) {
            INFO("negative example: " << ex);
            const auto found = scanner.scan_text(ex, Provenance{});
            CHECK(std::none_of(found.begin(), found.end(), [&r](const Finding& f) { return f.rule_id == r.id; }));
        }
    }
}

TEST_CASE("the AWS remediation follows AWS's advice for an exposed key", "[packs]")
{
    for (const Rule& r : load_rules(RuleSelection{})) {
        if (r.id != "aws-access-key-id" && r.id != "aws-secret-access-key") continue;
        INFO(r.id);
        for (const char* step : {"create a second access key", "Deactivate (do not delete)", "re-enable the old key",
                                 "delete the leaked key", "every AWS region", "root user's password"})
            CHECK(r.remediation.find(step) != std::string::npos);
    }
}
