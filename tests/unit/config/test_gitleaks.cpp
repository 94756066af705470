#include <secretscan/config/gitleaks.hpp>
#include <secretscan/error.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace secretscan;

namespace {
/// The message parse_gitleaks_config throws for `text`, or "no error".
std::string parse_error(const std::string& text)
{
    try {
        parse_gitleaks_config(text, "g.toml");
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}
} // namespace

TEST_CASE("gitleaks config: a rule's keys map onto a secretscan rule", "[gitleaks]")
{
    const GitleaksConfig c = parse_gitleaks_config(R"(title = "corp"
[[rules]]
id = "corp-token"
description = "Corp token"
regex = '''(?<tok>corp_[a-z0-9]{8})'''
secretGroup = 1
entropy = 2.5
keywords = ["CORP_"]
path = '''\.env$'''
tags = ["corp", "internal"]

[[rules]]
id = "generic-thing"
regex = '''key=(\w+)|secret=(\w+)'''

[[rules]]
id = "pem"
regex = '''-----BEGIN X-----[\s\S]{10,}-----END X-----'''
keywords = ["begin x"]
)",
                                                   "g.toml");
    REQUIRE(c.rules.size() == 3);
    const Rule& r = c.rules[0];
    CHECK(r.id == "corp-token");
    CHECK(r.name == "Corp token");
    CHECK(r.regex == "(?P<tok>corp_[a-z0-9]{8})"); // Go's named group, in RE2's spelling
    CHECK(r.secret_group == 1);
    CHECK(r.entropy == 2.5);
    CHECK(r.keywords == std::vector<std::string>{"corp_"});
    CHECK(r.path_regex == "\\.env$");
    CHECK(r.tags == std::vector<std::string>{"corp", "internal"});
    CHECK_FALSE(r.multiline);
    CHECK(to_string(r.mark) == "g.toml:2:1");
    // The generic rule is moved last (it gives way to any other rule); without secretGroup the
    // first group that matched is the secret; no keywords: it runs on every text.
    CHECK(c.rules[1].id == "pem");
    CHECK(c.rules[1].multiline);
    CHECK(c.rules[2].id == "generic-thing");
    CHECK(c.rules[2].secret_group == first_nonempty_group);
    CHECK(c.rules[2].keywords.empty());
}

TEST_CASE("gitleaks config: allowlists, global and per rule, with their condition and target", "[gitleaks]")
{
    const GitleaksConfig c = parse_gitleaks_config(R"([allowlist]
description = "global"
paths = ['''vendor/''']
stopwords = ["Sample"]

[[allowlists]]
targetRules = ["a"]
condition = "AND"
commits = ["ABC123"]
regexes = ['''^x''']
regexTarget = "line"

[[rules]]
id = "a"
regex = '''a_[0-9]{4}'''
[[rules.allowlists]]
regexTarget = "match"
regexes = ['''ok''']
)",
                                                   "g.toml");
    REQUIRE(c.allowlists.size() == 3);
    CHECK(c.allowlists[0].description == "global");
    CHECK(c.allowlists[0].paths == std::vector<std::string>{"vendor/"});
    CHECK(c.allowlists[0].stopwords == std::vector<std::string>{"sample"});
    CHECK(c.allowlists[0].rules.empty());
    CHECK(c.allowlists[1].all);
    CHECK(c.allowlists[1].commits == std::vector<std::string>{"abc123"});
    CHECK(c.allowlists[1].target == GitleaksAllowlist::Target::line);
    CHECK(c.allowlists[1].rules == std::vector<std::string>{"a"});
    CHECK(c.allowlists[2].target == GitleaksAllowlist::Target::match);
    CHECK(c.allowlists[2].rules == std::vector<std::string>{"a"});

    const auto allow = gitleaks_allow_check(c.allowlists);
    REQUIRE(allow);
    Finding f;
    f.rule_id = "a";
    f.secret = "a_1234";
    f.match = "a_1234";
    f.line_text = "y = a_1234";
    f.path = "src/app.env";
    f.commit = "abc123";
    CHECK(allow(f).empty());
    f.line_text = "x = a_1234"; // AND: the line matches and the commit is listed
    CHECK(allow(f) == "the gitleaks allowlist at g.toml:6:1 covers it");
    f.commit = "def456"; // the commit is not listed: AND fails
    CHECK(allow(f).empty());
    f.path = "lib/vendor/x.env";
    CHECK(allow(f) == "the gitleaks allowlist at g.toml:1:1 covers it");
    f.path = "src/app.env";
    f.match = "ok a_1234";
    CHECK(allow(f) == "the gitleaks allowlist at g.toml:16:1 covers it");
    f.rule_id = "b"; // the rule's own allowlist covers only its rule
    CHECK(allow(f).empty());
}

TEST_CASE("gitleaks config: errors name the file, line, column and rule, and notes say what is not loaded", "[gitleaks]")
{
    CHECK(parse_error("[[rules]\nid = 1\n").rfind("g.toml:1:", 0) == 0);
    CHECK(parse_error("[[rules]]\nid = \"x\"\nregex = '''(a'''\n") ==
          "g.toml:3:9: rule x: invalid regex: missing ): (a; fix the 'regex' (RE2 syntax)");
    CHECK(parse_error("[[rules]]\nid = \"x\"\nregex = '''(?=a)b'''\n") ==
          "g.toml:3:9: rule x: invalid regex: invalid perl operator: (?=; fix the 'regex' (RE2 syntax)");
    CHECK(parse_error("[[rules]]\nregex = 'a'\n") == "g.toml:1:1: a rule without an 'id'");
    CHECK(parse_error("[[rules]]\nid = \"x\"\nregex = 'a(b)'\nsecretGroup = 3\n") == "g.toml:3:9: rule x: 'secretGroup' 3 but the regex has only 1 capture group");
    CHECK(parse_error("[allowlist]\nregexes = [\n  'ok',\n  '(',\n]\n") == "g.toml:4:3: allowlist 'regexes': invalid regex: missing ): (");
    CHECK(parse_error("[[rules]]\nid = \"x\"\nregex = 'a'\nkeywords = \"a\"\n") == "g.toml:4:12: rule x: 'keywords' must be an array of strings");
    CHECK(parse_error("[[rules]]\nid = \"x\"\nregex = 'a'\n[[rules.allowlists]]\nregexTarget = \"file\"\n") ==
          "g.toml:5:15: rule x: 'regexTarget' must be \"secret\", \"match\" or \"line\", not 'file'");
    CHECK(parse_error("[[rules]]\nid = \"x\"\nregex = 'a'\n[[rules]]\nid = \"x\"\nregex = 'b'\n") ==
          "g.toml:4:1: rule x: duplicate id, first defined at g.toml:1:1");
    const GitleaksConfig c = parse_gitleaks_config("[[rules]]\nid = \"p12\"\npath = '''\\.p12$'''\n[[rules]]\nid = \"y\"\nregex = 'y_[0-9]+'\nvalidate = 'x'\n",
                                                   "g.toml");
    CHECK(c.rules.size() == 1);
    CHECK(c.notes == std::vector<std::string>{
                         "g.toml:1:1: rule p12: a rule without a regex (one that reports a file by its path alone) is not supported by secretscan; not loaded",
                         "g.toml:7:12: rule y: the key 'validate' is not supported by secretscan and is ignored"});
}
