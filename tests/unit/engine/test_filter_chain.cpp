#include <secretscan/engine/filter_chain.hpp>
#include <secretscan/error.hpp>

#include <catch2/catch.hpp>

#include <functional>
#include <vector>

using namespace secretscan;

namespace {

Rule rule(std::string id, RuleKind kind = RuleKind::token)
{
    Rule r;
    r.id = std::move(id);
    r.regex = "x";
    r.keywords = {"x"};
    r.kind = kind;
    return r;
}

/// The step that drops `secret` (matched by rule 0 of `chain`) in `text`, or "kept".
std::string step_of(const FilterChain& chain, std::string_view text, std::string_view secret, std::string_view path = "f.txt")
{
    const std::size_t at = text.find(secret);
    REQUIRE(at != std::string_view::npos);
    MatchResult result;
    const auto drop = chain.check_match(MatchView{0, text, at, at + secret.size(), path}, result);
    if (drop) return std::string(to_string(drop->step)) + ": " + drop->reason;
    return "kept" + (result.note.empty() ? "" : " (" + result.note + ")") + (result.decoder.empty() ? "" : " as " + result.secret);
}

Finding finding(const std::string& rule_id, const std::string& secret, const std::string& path, const std::string& confidence)
{
    Finding f;
    f.rule_id = rule_id;
    f.secret = secret;
    f.path = path;
    f.confidence = confidence;
    f.fingerprint = fingerprint(rule_id, secret);
    return f;
}

} // namespace

TEST_CASE("filter chain: match steps run in order and say why", "[filter-chain]")
{
    std::vector<Rule> rules{rule("tok")};
    rules[0].entropy = 3.0;
    rules[0].allowlist.stopwords = {"zz"};
    rules[0].validate = "github-crc32";
    const FilterChain chain(rules);
    CHECK(step_of(chain, "t=aaaaaaaaaaaa", "aaaaaaaaaaaa") == "entropy: the secret's entropy 0.00 is below the floor 3.00");
    CHECK(step_of(chain, "t=Qw8zZ3xK1mP9", "Qw8zZ3xK1mP9") == "stopword: the secret contains the stopword 'zz'");
    CHECK(step_of(chain, "t=${Qw8rT3xK1mP9}", "${Qw8rT3xK1mP9}") ==
          "shared-filter: the shared filter drops the secret as template: it contains the template marker '${' "
          "(docs/rules.md, \"Shared filter\")");
    CHECK(step_of(chain, "t=ghp_kj13tGix6cbm6AJM7J9S38VBp7xVMm1r14JX", "ghp_kj13tGix6cbm6AJM7J9S38VBp7xVMm1r14JX")
              .rfind("validator: the github-crc32 validator fails: ", 0) == 0);
    CHECK(step_of(chain, "t=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", "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") ==
          "kept (CRC-32 check digits valid)");
}

TEST_CASE("filter chain: the shared filter's classes follow the rule's kind", "[filter-chain]")
{
    const std::vector<Rule> token{rule("tok")}, generic{rule("pw", RuleKind::generic)}, url{rule("url", RuleKind::url)};
    const std::string digest = "d41d8cd98f00b204e9800998ecf8427e";
    CHECK(step_of(FilterChain(token), "h=" + digest, digest) == "kept");
    CHECK(step_of(FilterChain(generic), digest, digest).rfind("shared-filter: the shared filter drops the secret as hash", 0) == 0);
    CHECK(step_of(FilterChain(generic), "sha=" + digest, digest).rfind("shared-filter: the shared filter drops the secret as hash", 0) == 0);
    // A digest's shape under a key that names a secret, not a digest, is the secret (api_token = <hex>).
    CHECK(step_of(FilterChain(generic), "api_token=" + digest, digest) == "kept");
    // Lockfiles: generic values only, never URL credentials.
    CHECK(step_of(FilterChain(generic), "pw=Zq8rT3xK1mP9w", "Zq8rT3xK1mP9w", "app/yarn.lock") ==
          "shared-filter: the shared filter drops generic values in a lockfile (docs/rules.md, \"Shared filter\")");
    CHECK(step_of(FilterChain(url), "u=https://u:Zq8rT3xK1mP9w@db.internal/x", "Zq8rT3xK1mP9w", "app/yarn.lock") == "kept");
    CHECK(step_of(FilterChain(url), "u=https://u:Zq8rT3xK1mP9w@db.example.com/x", "Zq8rT3xK1mP9w") ==
          "shared-filter: the shared filter drops credentials for a reserved example domain (docs/rules.md, \"Shared filter\")");
    std::vector<Rule> off{rule("pw", RuleKind::generic)};
    off[0].shared_filter = false;
    CHECK(step_of(FilterChain(off), "h=" + digest, digest) == "kept");
}

TEST_CASE("filter chain: a pack rule beats a git-secrets pattern, a token rule a generic one, then confidence, then order",
          "[filter-chain]")
{
    std::vector<Rule> rules{rule("gs"), rule("generic-high", RuleKind::generic), rule("token-low"), rule("token-high"), rule("token-high-2")};
    rules[0].origin = RuleOrigin::git_secrets;
    rules[1].confidence = Confidence::high;
    rules[2].confidence = Confidence::low;
    rules[3].confidence = Confidence::high;
    rules[4].confidence = Confidence::high;
    const FilterChain chain(rules);
    CHECK(chain.preferred(1, 0));
    CHECK(chain.preferred(2, 1));
    CHECK(chain.preferred(3, 2));
    CHECK(chain.preferred(3, 4));
    CHECK_FALSE(chain.preferred(4, 3));
}

TEST_CASE("filter chain: line steps, added lines then inline markers", "[filter-chain]")
{
    const std::vector<Rule> rules{rule("tok")};
    const std::vector<std::size_t> added{3, 7};
    const FilterChain chain(rules), no_markers(rules, {}, false);
    CHECK(chain.check_lines(4, 6, &added, "a", "b")->step == FilterStep::added_lines);
    CHECK_FALSE(chain.check_lines(6, 7, &added, "a", "b"));
    CHECK(chain.check_lines(3, 3, &added, "k = v # secretscan:allow", "")->step == FilterStep::inline_marker);
    CHECK(chain.check_lines(1, 2, nullptr, "k = v", "end # gitleaks:allow")->step == FilterStep::inline_marker);
    CHECK_FALSE(no_markers.check_lines(3, 3, &added, "k = v # secretscan:allow", ""));
}

TEST_CASE("filter chain: the marker step asks the caller about the match's first and last lines only", "[filter-chain]")
{
    // The scanner answers from a per-line memo (hardening issue, item 11): the chain must not ask
    // about other lines, nor at all when the added-lines step drops the match or markers are off.
    const std::vector<Rule> rules{rule("tok")};
    const std::vector<std::size_t> added{3, 7};
    const FilterChain chain(rules), no_markers(rules, {}, false);
    std::vector<std::size_t> asked;
    const std::function<bool(std::size_t)> marked = [&asked](std::size_t line) {
        asked.push_back(line);
        return line == 9;
    };
    CHECK_FALSE(chain.check_lines(2, 5, nullptr, marked));
    CHECK(asked == std::vector<std::size_t>{2, 5});
    CHECK(chain.check_lines(9, 9, nullptr, marked)->step == FilterStep::inline_marker);
    CHECK(chain.check_lines(4, 6, &added, marked)->step == FilterStep::added_lines);
    CHECK_FALSE(no_markers.check_lines(9, 9, nullptr, marked));
    CHECK(asked == std::vector<std::size_t>{2, 5, 9});
    CHECK(secretscan::holds_allow_marker("x = 1 # pragma: allowlist secret"));
    CHECK_FALSE(secretscan::holds_allow_marker("x = 1 # allowlist"));
}

TEST_CASE("filter chain: finding steps, allowlist, baseline with expiry, confidence", "[filter-chain]")
{
    const std::vector<Rule> rules{rule("tok")};
    FindingPolicy p;
    p.path_globs = {"testdata"};
    p.secret_regexes = {"^AKIA"};
    p.stopwords = {"sample"};
    p.today = "2026-06-01";
    p.baseline[fingerprint("tok", "accepted")] = "";
    p.baseline[fingerprint("tok", "old")] = "2026-01-01";
    p.min_confidence = Confidence::medium;
    p.allow.push_back([](const Finding& f) { return f.secret == "custom" ? std::string("a custom check") : std::string(); });
    const FilterChain chain(rules, p);
    auto step = [&chain](Finding f) {
        const auto drop = chain.check_finding(f);
        return drop ? std::string(to_string(drop->step)) + ": " + drop->reason : std::string(f.baseline_expired ? "kept, expired" : "kept");
    };
    CHECK(step(finding("tok", "Qw8zZ3xK1mP9", "src/testdata/a.env", "high")) == "allowlist: the path matches the allowlist glob 'testdata'");
    CHECK(step(finding("tok", "AKIA123", "a", "high")) == "allowlist: the secret matches the allowlist regex '^AKIA'");
    CHECK(step(finding("tok", "mySAMPLEkey", "a", "high")) == "allowlist: the secret contains the allowlist stopword 'sample'");
    CHECK(step(finding("tok", "custom", "a", "high")) == "allowlist: a custom check");
    CHECK(step(finding("tok", "accepted", "a", "high")) == "baseline: a baseline accepts it");
    CHECK(step(finding("tok", "old", "a", "high")) == "kept, expired");
    CHECK(step(finding("tok", "Qw8zZ3xK1mP9", "a", "low")) == "confidence: its rule's confidence is below --min-confidence");
    CHECK(step(finding("tok", "Qw8zZ3xK1mP9", "a", "medium")) == "kept");
    FindingPolicy bad;
    bad.secret_regexes = {"(bad"};
    CHECK_THROWS_WITH(FilterChain(rules, bad), "allowlist secret regex '(bad': missing ): (bad");
}

TEST_CASE("filter chain: drops are counted per step", "[filter-chain]")
{
    const std::vector<Rule> rules{rule("tok")};
    const FilterChain chain(rules);
    chain.count(FilterStep::entropy);
    chain.count(FilterStep::entropy);
    chain.count(FilterStep::baseline);
    const DropCounts c = chain.counts();
    CHECK(c[static_cast<std::size_t>(FilterStep::entropy)] == 2);
    CHECK(c[static_cast<std::size_t>(FilterStep::baseline)] == 1);
    CHECK(c[static_cast<std::size_t>(FilterStep::overlap)] == 0);
}
