// Rules are data that prove themselves: every shipped rule is complete, compiles, finds its
// examples through the whole engine and none of its negative examples.
#include <secretscan/rules/check.hpp>
#include <secretscan/rules/pack.hpp>
#include <secretscan/rules/selection.hpp>
#include <secretscan/rules/rule.hpp>
#include <secretscan/engine/scanner.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace secretscan;

TEST_CASE("every shipped rule is complete and proves itself", "[packs]")
{
    const std::vector<Rule> rules = load_rules(RuleSelection{});
    REQUIRE(rules.size() >= 25);
    Matcher matcher(rules);
    std::size_t checked = 0;
    // The same check as `secretscan rules check`: examples through the whole engine and lints.
    for (const RuleProblem& p : check_rules(matcher, checked))
        FAIL_CHECK(p.at.file << ":" << p.at.line << ": rule " << p.rule_id << ": " << p.what);
    CHECK(checked >= 2 * rules.size());
    std::set<std::string> providers; // unique ids and keywords are the loader's to enforce (test_pack.cpp)
    const std::set<std::string_view> structural{"database", "private-key", "generic", "jwt"}; // not one provider's token
    for (const Rule& r : matcher.rules()) {
        INFO("rule " << r.id << " (" << r.mark.file << ":" << r.mark.line << ")");
        CHECK(!r.references.empty());
        CHECK(!r.remediation.empty());
        CHECK(!r.family.empty());
        CHECK(r.origin == RuleOrigin::builtin);
        CHECK(std::set<std::string>(r.tags.begin(), r.tags.end()).size() == r.tags.size()); // SARIF wants unique tags
        if (!structural.count(r.family)) {
            REQUIRE(!r.tags.empty()); // the provider
            providers.insert(r.tags[0]);
            // A provider's random token has an entropy floor or a validator; low-confidence
            // identifiers (AWS account and IAM ids) are exempt.
            if (r.confidence != Confidence::low) CHECK((r.entropy > 0 || !r.validate.empty()));
        }
    }
    // Breadth (issue 5): at least 200 rules for at least 120 providers.
    CHECK(rules.size() >= 200);
    CHECK(providers.size() >= 120);
}

TEST_CASE("rules check lints an empty-matching regex and an untested keyword", "[packs]")
{
    Rule r;
    r.id = "sloppy";
    r.regex = "(x*)";
    r.keywords = {"x", "never-in-an-example"};
    r.examples = {"xxx"};
    r.negative_examples = {"xy"};
    Matcher m({r});
    std::size_t checked = 0;
    std::vector<std::string> what;
    for (const auto& p : check_rules(m, checked)) what.push_back(p.what);
    CHECK(what == std::vector<std::string>{"negative example produces a finding: xy", "the regex can match the empty string",
                                           "keyword 'never-in-an-example' occurs in none of its examples (add an example that uses it)"});
    CHECK(checked == 2);
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
