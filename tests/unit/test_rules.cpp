#include <secretscan/error.hpp>
#include <secretscan/rules/rule.hpp>

#include "../support.hpp"

#include <catch2/catch.hpp>

using namespace secretscan;

namespace {

std::string error_of(const std::string& yaml, bool check = true)
{
    try {
        parse_pack(yaml, "pack.yaml", check);
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::config);
        return e.what();
    }
    return "no error";
}

} // namespace

TEST_CASE("a pack parses into rules with every field", "[rules]")
{
    const auto rules = parse_pack(R"(rules:
  - id: demo-token
    name: Demo token
    regex: '\b(dmo_[a-z0-9]{8})\b'
    secret_group: 1
    keywords: [DMO_]
    entropy: 2.5
    confidence: low
    tags: [demo]
    references: [https://example.invalid/tokens]
    remediation: revoke it
    allowlist:
      stopwords: [EXAMPLE]
    examples: ['dmo_a1b2c3d4']
    negative_examples: ['dmo_']
)",
                                  "pack.yaml", true);
    REQUIRE(rules.size() == 1);
    const Rule& r = rules[0];
    CHECK(r.id == "demo-token");
    CHECK(r.name == "Demo token");
    CHECK(r.secret_group == 1);
    CHECK(r.keywords == std::vector<std::string>{"dmo_"});
    CHECK(r.entropy == Approx(2.5));
    CHECK(r.confidence == Confidence::low);
    CHECK(r.allowlist.stopwords == std::vector<std::string>{"example"});
    CHECK(r.examples.size() == 1);
    CHECK(r.mark.line == 2);
    CHECK(r.regex_mark.line == 4);
    CHECK(r.regex_mark.column == 12);
}

TEST_CASE("pack errors name file, line, column and rule id", "[rules]")
{
    CHECK(error_of("rules:\n  - id: bad-regex\n    regex: 'a(b'\n    keywords: [a]\n") ==
          "pack.yaml:3:12: rule bad-regex: invalid regex: missing ): a(b; fix the 'regex' (RE2 syntax)");
    CHECK(error_of("rules:\n  - id: no-keywords\n    regex: 'abc'\n") ==
          "pack.yaml:2:5: rule no-keywords: rule without 'keywords': every rule needs a literal prefilter");
    CHECK(error_of("rules:\n  - id: typo\n    regx: 'abc'\n    keywords: [a]\n") == "pack.yaml:3:5: rule typo: unknown key 'regx'");
    CHECK(error_of("rules:\n  - id: Bad_Id\n    regex: a\n    keywords: [a]\n") ==
          "pack.yaml:2:5: rule Bad_Id: an id is lowercase kebab-case ([a-z0-9-], starting with a letter)");
    CHECK(error_of("rules:\n  - id: x\n    regex: '(a)'\n    secret_group: 2\n    keywords: [a]\n") ==
          "pack.yaml:3:12: rule x: 'secret_group' 2 but the regex has only 1 capture groups");
    CHECK(error_of("rules:\n  - id: x\n    confidence: sure\n") ==
          "pack.yaml:3:17: rule x: 'confidence' is one of high, medium, low (got 'sure')");
    CHECK(error_of("rules: [\n") .rfind("pack.yaml:2:1: invalid YAML: ", 0) == 0);
    CHECK(error_of("patterns: []\n") == "pack.yaml:1:1: unknown top-level key 'patterns' (expected 'rules')");
}

TEST_CASE("load_rules rejects duplicate ids and unknown disabled ids", "[rules]")
{
    testing::TempDir dir;
    const std::string pack = "rules:\n  - id: aws-access-key-id\n    regex: 'x'\n    keywords: [x]\n";
    testing::write_file(dir / "dup.yaml", pack);
    RuleSelection sel;
    sel.extra_packs = {dir / "dup.yaml"};
    try {
        load_rules(sel);
        FAIL("duplicate id accepted");
    } catch (const Error& e) {
        CHECK(std::string(e.what()) == dir / "dup.yaml" + ":2:5: rule aws-access-key-id: duplicate id, first defined at patterns/aws.yaml:3:5; rename yours (or load only yours with --no-builtin)");
    }
    RuleSelection off;
    off.disabled = {"no-such-rule"};
    CHECK_THROWS_WITH(load_rules(off), "--disable-rule no-such-rule: no loaded rule has this id (see 'secretscan rules list')");
    RuleSelection one;
    one.disabled = {"jwt"};
    for (const Rule& r : load_rules(one)) CHECK(r.id != "jwt");
}
