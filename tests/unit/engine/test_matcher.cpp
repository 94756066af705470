#include "../../support.hpp"

#include <secretscan/error.hpp>
#include <secretscan/engine/matcher.hpp>
#include <secretscan/engine/scanner.hpp>
#include <secretscan/rules/selection.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

using namespace secretscan;

namespace {

Rule make_rule(std::string id, std::string regex, std::vector<std::string> keywords)
{
    Rule r;
    r.id = std::move(id);
    r.regex = std::move(regex);
    r.keywords = std::move(keywords);
    return r;
}

std::vector<std::string> secrets(const Matcher& m, std::string_view text)
{
    std::vector<RawMatch> found;
    m.find(text, found);
    std::vector<std::string> out;
    for (const auto& f : found)
        out.push_back(m.rules()[f.rule].id + "=" + std::string(text.substr(f.secret_begin, f.secret_end - f.secret_begin)));
    return out;
}

} // namespace

TEST_CASE("only rules whose keyword occurs run, case-insensitively", "[matcher]")
{
    // The second rule's regex would match "abc123" but its keyword is absent.
    Matcher m({make_rule("tok", R"((tok_[0-9]+))", {"tok_"}), make_rule("any", R"(([a-z]+[0-9]+))", {"zzz"})});
    CHECK(secrets(m, "x tok_12 y tok_345") == std::vector<std::string>{"tok=tok_12", "tok=tok_345"});
    CHECK(secrets(m, "abc123") .empty());
    CHECK(secrets(m, "ZZZ abc123") == std::vector<std::string>{"any=abc123"});
}

TEST_CASE("a match is the whole match and the rule's secret group, unfiltered", "[matcher]")
{
    Rule r = make_rule("kv", R"(key=([A-Za-z0-9]{8,}))", {"key="});
    r.entropy = 2.5; // the filter chain's business, not the matcher's
    Matcher m({r});
    std::vector<RawMatch> found;
    m.find("x key=Zx8Qp2Lm", found);
    REQUIRE(found.size() == 1);
    CHECK(found[0].begin == 2);
    CHECK(found[0].end == 14);
    CHECK(found[0].secret_begin == 6);
    CHECK(found[0].secret_end == 14);
    CHECK(secrets(m, "key=aaaaaaaaaaaa") == std::vector<std::string>{"kv=aaaaaaaaaaaa"});
}

TEST_CASE("find_rule ignores the keyword prefilter, keyword_occurs reports it", "[matcher]")
{
    Matcher m({make_rule("tok", R"((tok_[0-9]+))", {"zzz"})});
    std::vector<RawMatch> found;
    m.find("tok_12", found);
    CHECK(found.empty());
    m.find_rule(0, "tok_12", found);
    REQUIRE(found.size() == 1);
    CHECK(found[0].secret_end == 6);
    CHECK_FALSE(m.keyword_occurs(0, "tok_12"));
    CHECK(m.keyword_occurs(0, "a ZZZ b"));
}

TEST_CASE("a bad regex in a lazily compiled rule is an error, not no-match", "[matcher]")
{
    Rule r = make_rule("bad", "(unclosed", {"unclosed"});
    r.mark.file = "p.yaml";
    r.regex_mark = {"p.yaml", 7, 12};
    Matcher m({r});
    std::vector<RawMatch> found;
    CHECK_NOTHROW(m.find("nothing here", found));
    CHECK_THROWS_WITH(m.find("(unclosed", found), "p.yaml:7:12: rule bad: invalid regex: missing ): (unclosed");
    CHECK_THROWS_AS(m.compile_all(), Error);
}

TEST_CASE("shannon entropy in bits per byte", "[matcher]")
{
    CHECK(shannon_entropy("") == 0.0);
    CHECK(shannon_entropy("aaaa") == 0.0);
    CHECK(shannon_entropy("abab") == Approx(1.0));
    CHECK(shannon_entropy("abcdefgh") == Approx(3.0));
}

TEST_CASE("the bulk prefilter finds exactly what the plain one finds", "[matcher]")
{
    // Every shipped rule over a text holding secrets, keywords without secrets, a PEM block far
    // below its header line and a match split over two lines.
    const std::vector<Rule> rules = load_rules(RuleSelection{});
    std::string text;
    for (int i = 0; i < 200; ++i) text += "key = value " + std::to_string(i) + " password reset flow\n";
    text += "aws_access_key_id = AKIA" "IDVWTFKTANGPVYQE\n";
    text += "-----BEGIN RSA PRIVATE KEY-----\n";
    for (int i = 0; i < 40; ++i) text += "PeLccCw9fZsN5pYv59zpLpd9JfPfQ7ht9Wx5jdjNTkbijb94fwAjqFCzPuObG9/q\n";
    text += "-----END RSA PRIVATE KEY-----\n";
    text += "db_password =\n  \"4h5mLb1GbzCY3Rda\"\n";
    auto run = [&](bool bulk) {
        Matcher m(rules);
#ifdef SECRETSCAN_HAVE_HYPERSCAN
        if (bulk) REQUIRE(m.accelerate());
#else
        if (bulk) CHECK_FALSE(m.accelerate());
#endif
        std::vector<RawMatch> found;
        m.find(text, found);
        std::vector<std::string> out;
        for (const auto& f : found) out.push_back(m.rules()[f.rule].id + "@" + std::to_string(f.secret_begin));
        std::sort(out.begin(), out.end());
        return out;
    };
    const auto plain = run(false);
    // The key ID, the PEM block and the password; and password-assignment on "password reset"
    // lines, which the filter chain drops, not the matcher.
    CHECK(std::count_if(plain.begin(), plain.end(), [](const std::string& s) { return s.rfind("aws-access-key-id@", 0) == 0; }) == 1);
    CHECK(std::count_if(plain.begin(), plain.end(), [](const std::string& s) { return s.rfind("private-key-rsa@", 0) == 0; }) == 1);
    CHECK(run(true) == plain);
}

TEST_CASE("matcher: bulk windows keep the newline a trailing guard needs", "[matcher]")
{
    // Two hits on adjacent lines share one window; the second secret ends where the window's
    // last line ends, and the rule's guard must consume that line's newline (a bulk scan of a
    // directory missed the last of such findings in every file).
    const std::string text = "A=tok_k3v9q2m7\nB=tok_x8w1z5r4\nC=plain\n";
    auto run = [&text](bool bulk) {
        Matcher m({make_rule("tok", "(tok_[a-z0-9]{8})(?:[^a-z0-9]|$)", {"tok_"})});
        if (bulk) m.accelerate();
        std::vector<RawMatch> out;
        m.find(text, out);
        std::vector<std::size_t> at;
        for (const RawMatch& r : out) at.push_back(r.secret_begin);
        return at;
    };
    CHECK(run(false) == std::vector<std::size_t>{2, 17});
    CHECK(run(true) == std::vector<std::size_t>{2, 17});
}

TEST_CASE("matcher: a detector's matches stay apart across bulk windows", "[matcher]")
{
    // tests/fuzz/corpus/fuzz_scanner/bulk-overlap.txt (found by fuzz_scanner): UTF-16 text whose
    // first password value, quoted, holds a second "password = ...". One run over the whole
    // text gives the first key's match, which covers the second key; the bulk prefilter ran the
    // detector on each keyword's window alone and also gave the second key's match, inside the
    // first (matches of one rule overlapped) and kept by the filter chain: a finding that only
    // history and directory scans reported.
    const std::string input(
        "\xff\xfe\x70\x00\x61\x00\x73\x00\x73\x00\x77\x00\x6f\x00\x72\x00\x64\x00\x20\x00\x3d\x00\x20\x00"
        "\x22\x00\x73\x00\x33\x00\x63\x00\x72\x00\x33\x00\x74\x00\x56\x00\x61\x00\xff\xfe\x70\x00\x61\x00"
        "\x73\x00\x73\x00\x77\x00\x6f\x00\x72\x00\x64\x00\x20\x00\x3d\x00\x20\x00\x22\x00\x73\x00\x32\x00"
        "\x63\x00\x72\x00\x33\x00\x74\x00\x56\x00\x61\x00\x6c\x00\x75\x00\x65\x00\x39\x00\x22\x00\x6c\x00"
        "\x75\x00\x65\x00\x39\x00\x22\x00\x0a\x00",
        106);
    const std::vector<Rule> rules = load_rules(RuleSelection{});
    auto run = [&](bool bulk) {
        const Matcher m(rules);
        if (bulk) m.accelerate();
        const FilterChain chain(m.rules());
        const Scanner scanner(m, chain, standard_decoders());
        const auto found = scanner.scan_chunk(Chunk(input, Provenance{SourceKind::file, "config/settings.env", ""}));
        REQUIRE(found);
        std::vector<std::string> out;
        for (const Finding& f : *found) out.push_back(f.rule_id + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + ":" + f.secret);
        return out;
    };
    CHECK(run(false).empty());
    CHECK(run(true).empty()); // was {"password-assignment:1:34:s2cr3tValue9"}

    // The same in ASCII, at the matcher: one match of the rule, from the first key.
    const std::string text = "password = \"s3cr3tVa password = \"s2cr3tValue9\"lue9\"\n";
    for (bool bulk : {false, true}) {
        const Matcher m(rules);
        if (bulk) m.accelerate();
        std::vector<RawMatch> found;
        m.find(text, found);
        std::vector<std::size_t> starts;
        for (const RawMatch& f : found)
            if (m.rules()[f.rule].id == "password-assignment") starts.push_back(f.begin);
        CHECK(starts == std::vector<std::size_t>{0});
    }
}

namespace {

/// Every match of `m` in `text` as "rule@secret_begin-secret_end", in find()'s order.
std::vector<std::string> placed(const Matcher& m, std::string_view text, Lineage* lineage = nullptr)
{
    std::vector<RawMatch> found;
    m.find(text, found, {}, lineage);
    std::vector<std::string> out;
    for (const RawMatch& f : found)
        out.push_back(m.rules()[f.rule].id + "@" + std::to_string(f.secret_begin) + "-" + std::to_string(f.secret_end));
    return out;
}

Rule multiline_rule(std::string id, std::string regex, std::vector<std::string> keywords)
{
    Rule r = make_rule(std::move(id), std::move(regex), std::move(keywords));
    r.multiline = true;
    return r;
}

} // namespace

TEST_CASE("matcher: a multiline rule run at its keywords finds what a run to the text's end finds", "[matcher]")
{
    // A bulk scan runs a multiline rule whose regex starts with literal text holding its keyword
    // anchored at each keyword, not from the first keyword to the end of the text. Each rule
    // here is one the anchoring must leave alone or get right: the plain prefilter (a run over
    // the whole text) is the reference.
    const std::vector<Rule> rules{
        multiline_rule("netrc", R"((?i)\bmachine\s+\S+\s+password\s+(\S+))", {"machine"}),
        multiline_rule("alternation", R"(tok\w+|pfx\w+)", {"tok"}),             // pfx2 holds no keyword
        multiline_rule("optional", R"(x?dsn=(\w+))", {"dsn="}),                 // "x" may be missing
        multiline_rule("long-s", R"((?i)passwd=(\w+))", {"passwd"}),           // (?i) matches U+017F as s
        multiline_rule("escaped", R"(\[Connection\]\s*pw=(\w+))", {"[connection]"}),
        multiline_rule("inner", R"(-----BEGIN KEY-----\s+(\w+)\s+-----END KEY-----)", {"BEGIN KEY"}),
    };
    std::string text = "machine learning\nmachine\n  ftp.example.org\n  password pS52xEPw03n5cghr\n";
    text += "first tok1 then pfx2 and tok3\n";
    text += "adsn=first xdsn=second\n";
    text += "passwd=one pa\xC5\xBFswd=two\n";
    text += "[connection] pw=lower [Connection]\n pw=upper\n";
    text += "BEGIN KEY alone -----BEGIN KEY-----\n  c2VjcmV0\n-----END KEY-----\n";
    for (int i = 0; i < 50; ++i) text += "the machine has no password here " + std::to_string(i) + "\n";
    const Matcher plain(rules);
    const Matcher bulk(rules);
#ifdef SECRETSCAN_HAVE_HYPERSCAN
    REQUIRE(bulk.accelerate());
#endif
    const std::vector<std::string> expected{
        "netrc@54-70",      "alternation@77-81", "alternation@87-91", "alternation@96-100", "optional@106-111",
        "optional@117-123", "long-s@131-134",    "long-s@143-146",    "escaped@186-191",    "inner@230-238"};
    CHECK(placed(plain, text) == expected);
    CHECK(placed(bulk, text) == expected);
}

TEST_CASE("matcher: a text searched with its lineage gives the matches and keyword hits of a whole search", "[matcher]")
{
    // History blobs stored as git deltas: the keyword prefilter searches only the new bytes and
    // the seams between copies, and moves the base's hits into the copies. 300 random texts,
    // each made of copies of a base (whole keywords, keywords cut at a copy's edge, seams inside
    // keywords) and inserted bytes; every one must match exactly as if searched whole.
    const std::vector<Rule> rules = load_rules(RuleSelection{});
    const Matcher m(rules);
#ifndef SECRETSCAN_HAVE_HYPERSCAN
    SKIP("built without Hyperscan: no bulk prefilter, no lineage");
#endif
    REQUIRE(m.accelerate());
    testing::DeltaTexts texts({"password = ", "AKIA" "IDVWTFKTANGPVYQE", "ghp_", "token", "key", " ", "\n", "machine ", "x9Qw2LmZ7pR4tY6u",
                               "-----BEGIN RSA PRIVATE KEY-----\n", "secret: ", "\"", "api_key=", "pw"},
                              20261207, 600);
    const std::string base = texts.base(4000);
    Lineage of_base;
    const std::vector<std::string> base_matches = placed(m, base, &of_base);
    REQUIRE(of_base.facts.hits_known);
    REQUIRE(of_base.facts.hits.size() > 100);
    texts.derive(base, 300, 3000, [&](const std::string& text, const std::vector<testing::DeltaTexts::Copy>& copies) {
        Lineage lineage;
        lineage.base = &of_base.facts;
        for (const auto& [to, from, length] : copies) lineage.copies.push_back({to, from, length});
        Lineage whole;
        const std::vector<std::string> expected = placed(m, text, &whole);
        CHECK(placed(m, text, &lineage) == expected);
        CHECK(lineage.facts.hits == whole.facts.hits);
    });
    CHECK(placed(m, base) == base_matches);
}
