#include <secretscan/error.hpp>
#include <secretscan/rules/pack.hpp>
#include <secretscan/rules/selection.hpp>

#include "../../support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

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

/// "kind: message" of the error load_rules throws, or "no error".
std::string load_error(const RuleSelection& sel)
{
    try {
        load_rules(sel);
    } catch (const Error& e) {
        return std::string(e.kind() == ErrorKind::usage ? "usage: " : e.kind() == ErrorKind::config ? "config: " : "runtime: ") + e.what();
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
    family: saas
    kind: generic
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
    CHECK(r.family == "saas");
    CHECK(r.kind == RuleKind::generic);
    CHECK(r.tags == std::vector<std::string>{"demo"});
    CHECK(r.origin == RuleOrigin::pack);
    CHECK(r.boundary == Boundary::none);
    CHECK(r.allowlist.stopwords == std::vector<std::string>{"example"});
    CHECK(r.examples.size() == 1);
    CHECK(r.mark.line == 2);
    CHECK(r.regex_mark.line == 4);
    CHECK(r.regex_mark.column == 12);
}

TEST_CASE("boundary wraps the regex: the secret is the whole of it, its own groups after", "[rules]")
{
    const auto rules = parse_pack("rules:\n  - id: t\n    regex: 'tk_[a-z]{4}'\n    boundary: token\n    keywords: [tk_]\n"
                                  "  - id: w\n    regex: 'wk_([a-z]{4})'\n    boundary: word\n    secret_group: 2\n    keywords: [wk_]\n",
                                  "pack.yaml", true);
    REQUIRE(rules.size() == 2);
    CHECK(rules[0].regex == R"((?:^|[^A-Za-z0-9_-])(tk_[a-z]{4})(?:[^A-Za-z0-9_-]|$))"); // not inside base64url (sha256=qaN-fw_...)
    CHECK(rules[0].boundary == Boundary::token);
    CHECK(rules[1].regex == R"(\b(wk_([a-z]{4}))\b)");
    CHECK(apply_boundary("x", Boundary::none) == "x");
}

TEST_CASE("pack errors name file, line, column and rule id", "[rules]")
{
    CHECK(error_of("rules:\n  - id: bad-regex\n    regex: 'a(b'\n    keywords: [a]\n") ==
          "pack.yaml:3:12: rule bad-regex: invalid regex: missing ): a(b; fix the 'regex' (RE2 syntax)");
    CHECK(error_of("rules:\n  - id: no-keywords\n    regex: 'abc'\n") ==
          "pack.yaml:2:5: rule no-keywords: rule without 'keywords': every rule needs a literal prefilter (or 'paths' naming the files it reads whole)");
    CHECK(error_of("rules:\n  - id: typo\n    regx: 'abc'\n    keywords: [a]\n") == "pack.yaml:3:5: rule typo: unknown key 'regx'");
    CHECK(error_of("rules:\n  - id: Bad_Id\n    regex: a\n    keywords: [a]\n") ==
          "pack.yaml:2:5: rule Bad_Id: an id is lowercase kebab-case ([a-z0-9-], starting with a letter)");
    CHECK(error_of("rules:\n  - id: x\n    regex: '(a)'\n    secret_group: 2\n    keywords: [a]\n") ==
          "pack.yaml:3:12: rule x: 'secret_group' 2 but the regex has only 1 capture group");
    CHECK(error_of("rules:\n  - id: x\n    confidence: sure\n") ==
          "pack.yaml:3:17: rule x: 'confidence' is one of high, medium, low (got 'sure')");
    CHECK(error_of("rules: [\n") .rfind("pack.yaml:2:1: invalid YAML: ", 0) == 0);
    CHECK(error_of("rules:\n  - id: x\n    family: clouds\n") ==
          "pack.yaml:3:13: rule x: 'family' is one of cloud, vcs, ci, registry, chat, payments, messaging, ai, observability, "
          "database, private-key, jwt, identity, saas, generic, password-hash (got 'clouds')");
    CHECK(error_of("rules:\n  - id: x\n    kind: secret\n") == "pack.yaml:3:11: rule x: 'kind' is one of token, generic, url (got 'secret')");
    CHECK(error_of("rules:\n  - id: x\n    boundary: line\n") == "pack.yaml:3:15: rule x: 'boundary' is one of token, word, none (got 'line')");
    CHECK(error_of("rules:\n  - id: x\n    regex: 'a(b'\n    boundary: word\n    keywords: [a]\n") ==
          "pack.yaml:3:12: rule x: invalid regex: missing ): \\b(a(b)\\b; fix the 'regex' (RE2 syntax)");
    CHECK(error_of("patterns: []\n") == "pack.yaml:1:1: unknown top-level key 'patterns' (expected 'rules')");
    CHECK(error_of("rules:\n  - id: x\n    regex: a\n    keywords: [a]\n    paths: ['*.env', '[z-a]']\n") ==
          "pack.yaml:5:22: rule x: path glob '[z-a]': the range 'z-a' is reversed (it can match nothing)");
}

TEST_CASE("load_rules rejects duplicate ids (config error) and unknown disabled ids or missing packs (usage errors)", "[rules]")
{
    testing::TempDir dir;
    const std::string pack = "rules:\n  - id: aws-access-key-id\n    regex: 'x'\n    keywords: [x]\n";
    testing::write_file(dir / "dup.yaml", pack);
    RuleSelection sel;
    sel.extra_packs = {dir / "dup.yaml"};
    CHECK(load_error(sel) == "config: " + dir / "dup.yaml" +
                                 ":2:5: rule aws-access-key-id: duplicate id, first defined at patterns/aws.yaml:3:5; rename yours (or load "
                                 "only yours with --no-builtin)");
    RuleSelection off;
    off.disabled = {"no-such-rule"};
    CHECK(load_error(off) == "usage: --disable-rule no-such-rule: no loaded rule has this id (see 'secretscan rules list')");
    RuleSelection missing;
    missing.extra_packs = {dir / "nope.yaml"};
    CHECK(load_error(missing) == "usage: " + dir / "nope.yaml" + ": no such rule pack (given with --rules)");
    RuleSelection one;
    one.disabled = {"jwt"};
    for (const Rule& r : load_rules(one)) CHECK(r.id != "jwt");
}

TEST_CASE("a pack key that is a list or a mapping is an error at its place, not an internal error", "[rules][regression]")
{
    CHECK(error_of("? [a]\n") == "pack.yaml:1:3: a key must be a name, not a list or a mapping"); // bytes 3f205b615d0a
    CHECK(error_of("rules:\n  - id: x\n    ? {a: b}\n    : 1\n") == "pack.yaml:3:7: rule x: a key must be a name, not a list or a mapping");
    CHECK(error_of("rules:\n  - id: x\n    regex: a\n    keywords: [a]\n    allowlist:\n      ? [s]\n      : [w]\n") ==
          "pack.yaml:6:9: rule x: a key must be a name, not a list or a mapping");
    CHECK(error_of("rules:\n  - id: x\n    secret_group: [1]\n") == "pack.yaml:3:19: rule x: 'secret_group' must be an integer");
    CHECK(error_of("rules:\n  - id: [x]\n") == "pack.yaml:2:9: 'id' must be a string");
}

TEST_CASE("a key given twice in a pack, a rule or its allowlist is an error naming it", "[rules][regression]")
{
    CHECK(error_of("rules:\n  - id: x\n    regex: a\n    keywords: [a]\n    regex: b\n") == "pack.yaml:5:5: rule x: 'regex' is given twice");
    CHECK(error_of("rules:\n  - id: x\n    regex: a\n    keywords: [a]\n    allowlist:\n      stopwords: [a]\n      stopwords: [b]\n") ==
          "pack.yaml:7:7: rule x: 'stopwords' is given twice");
    CHECK(error_of("rules: []\nrules:\n  - id: x\n") == "pack.yaml:2:1: 'rules' is given twice");
}

TEST_CASE("YAML anchors and aliases are refused in a pack, and so is a huge number of nodes", "[rules][regression]")
{
    // The start of a "billion laughs": each level doubles what the one before expands to.
    CHECK(error_of("a: &a [x, x]\nb: &b [*a, *a]\nrules: [*b]\n") ==
          "pack.yaml:1:4: a YAML anchor (&name) is not allowed (aliases to it can expand a small file into gigabytes); write the value out");
    CHECK(error_of("rules:\n  - id: x\n    regex: a\n    keywords: &k [a]\n") ==
          "pack.yaml:4:15: a YAML anchor (&name) is not allowed (aliases to it can expand a small file into gigabytes); write the value out");
    std::string many = "rules:\n  - id: x\n    regex: a\n    keywords: [";
    for (int i = 0; i < 250'000; ++i) many += "k,";
    many += "k]\n"; // the 250,001st node is the 249,991st keyword
    CHECK(error_of(many) == "pack.yaml:4:499996: more than 250000 YAML nodes (the limit for one file); split the file");
    CHECK(error_of(std::string((16 << 20) + 1, '#')) == "pack.yaml: larger than 16 MiB (the limit for rule packs); split it into several packs");
}

TEST_CASE("pack errors quote a key or value only when it is short and printable", "[rules][regression]")
{
    // What /etc/shadow's first line looks like to YAML: a mapping with one long key.
    const std::string shadow = "root:$6$" + std::string(86, 'x') + ":19000:0:99999:7:::\n";
    CHECK(error_of(shadow) == "pack.yaml:1:1: an unknown top-level key (expected 'rules')");
    CHECK(error_of("rules:\n  - id: x\n    " + std::string(65, 'k') + ": 1\n") == "pack.yaml:3:5: rule x: an unknown key");
    CHECK(error_of("rules:\n  - id: x\n    kind: \"a\\tb\"\n") == "pack.yaml:3:11: rule x: 'kind' is one of token, generic, url (got something else)");
    CHECK(error_of("rules:\n  - id: x\n    " + std::string(64, 'k') + ": 1\n") == "pack.yaml:3:5: rule x: unknown key '" + std::string(64, 'k') + "'");
}

TEST_CASE("load_pack_file reads only a regular file of at most 16 MiB, inside its folder when it must", "[rules][regression]")
{
    testing::TempDir dir;
    auto load_error_of = [](const std::string& path, const std::string& inside) -> std::string {
        try {
            load_pack_file(path, inside);
        } catch (const Error& e) {
            return e.what();
        }
        return "no error";
    };
    CHECK(load_error_of(dir.path(), "") == dir.path() + ": the rule pack is not a regular file (a directory); name a file");
    CHECK(load_error_of("/dev/zero", "") == "/dev/zero: the rule pack is not a regular file (a FIFO, socket or device); name a file");
    testing::write_file(dir / "big.yaml", std::string((16 << 20) + 1, '#'));
    CHECK(load_error_of(dir / "big.yaml", "") ==
          dir / "big.yaml" + ": the rule pack is larger than 16 MiB (the limit for configuration files, rule packs and baselines); make it smaller or split it");
    testing::write_file(dir / "outside.yaml", "rules: []\n");
    testing::write_file(dir / "repo/x", "");
    std::filesystem::create_symlink(dir / "outside.yaml", dir / "repo/link.yaml");
    CHECK(load_error_of(dir / "repo/link.yaml", dir / "repo") == dir / "repo/link.yaml" + ": the rule pack resolves to " + dir / "outside.yaml" +
                                                                     ", outside the repository " + dir / "repo" +
                                                                     "; a repository's .secretscan.yaml may name only files inside it");
    CHECK(load_pack_file(dir / "repo/link.yaml", "").empty()); // a pack the user names may be anywhere
}

namespace {

/// A pack of `n` rules k0, k1, ... (or `prefix` 0, ...) whose regexes are `k{i}x(` + `body` + `)`,
/// one rule per 4 lines (rule i's regex on line 4 i + 4).
std::string pack_of(int n, const std::string& body, const std::string& prefix = "k")
{
    std::string yaml = "rules:\n";
    for (int i = 0; i < n; ++i) {
        const std::string k = prefix + std::to_string(i);
        yaml += "  - id: " + k + "\n    keywords: [" + k + "x]\n    regex: '" + k + "x(" + body + ")'\n    name: " + k + "\n";
    }
    return yaml;
}

} // namespace

// Hardening issue, item 12: 600 rules like k{i}x([\pL\pN]{1,250}) compiled for 66 s (each some
// 335,000 RE2 instructions). The first one is now refused, within milliseconds, naming its rule,
// its place and what to do.
TEST_CASE("a rule whose regex compiles to too large a program is refused at once", "[rules][dos]")
{
    const std::string err = error_of(pack_of(600, "[\\pL\\pN]{1,250}"));
    CHECK(err.starts_with("pack.yaml:4:12: rule k0: the regex is too large to compile within 4 MiB, far over the limit of 50000 RE2 instructions"));
    CHECK(err.find("simplify the regex: a smaller counted repetition") != std::string::npos);
    // Over the limit, though RE2 compiles it: 52 copies of the class, about 69,700 instructions.
    const std::string over = error_of(pack_of(1, "[\\pL\\pN]{1,52}"));
    CHECK(over.starts_with("pack.yaml:4:12: rule k0: the regex compiles to "));
    CHECK(over.find(" RE2 instructions, more than the limit of 50000; simplify the regex") != std::string::npos);
    CHECK(error_of(pack_of(3, "[\\pL\\pN]{1,30}")) == "no error"); // about 40,000 each: within the limit
}

TEST_CASE("the regexes of all the packs a run loads have a total size limit", "[rules][dos]")
{
    // 40 rules of about 40,200 instructions each pass one by one; 50 go over 2,000,000 together,
    // counted across the packs of one load_rules, and the message names the rule that went over.
    testing::TempDir d;
    testing::write_file(d / "a.yaml", pack_of(40, "[\\pL\\pN]{1,30}"));
    testing::write_file(d / "b.yaml", pack_of(10, "[\\pL\\pN]{1,30}", "m"));
    RuleSelection sel;
    sel.builtin = false;
    sel.extra_packs = {d / "a.yaml"};
    CHECK(load_error(sel) == "no error");
    sel.extra_packs.push_back(d / "b.yaml");
    const std::string err = load_error(sel);
    CHECK(err.starts_with("config: " + d / "b.yaml:"));
    CHECK(err.find(": rule m9: the regexes of the packs loaded so far compile to ") != std::string::npos);
    CHECK(err.find("more than the limit of 2000000 for all packs together; simplify the largest regexes") != std::string::npos);
}
