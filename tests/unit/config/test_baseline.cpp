#include <secretscan/config/baseline.hpp>
#include <secretscan/config/config.hpp>
#include <secretscan/error.hpp>

#include "../../support.hpp"

#include <catch2/catch.hpp>

using namespace secretscan;

TEST_CASE("baseline: one entry per fingerprint, reasons and expiry kept, the latest expiry wins", "[config]")
{
    Finding f;
    f.rule_id = "tok";
    f.secret = "s1";
    f.path = "a.env";
    f.line = 3;
    f.fingerprint = fingerprint("tok", "s1");
    Finding again = f;
    again.path = "b.env";
    BaselineEntry previous{f.fingerprint, "tok", "old.env", 9, "", "test fixture", "2030-01-01"};
    const auto entries = make_baseline({f, again}, {previous});
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].path == "a.env");
    CHECK(entries[0].reason == "test fixture");
    CHECK(entries[0].expires == "2030-01-01");
    CHECK(baseline_text(entries) == "{\"fingerprint\":\"" + f.fingerprint +
                                        "\",\"rule_id\":\"tok\",\"path\":\"a.env\",\"line\":3,\"reason\":\"test fixture\",\"expires\":\"2030-01-01\"}\n");
    const auto expiry = baseline_expiry({previous, BaselineEntry{f.fingerprint, "", "", 0, "", "", "2031-01-01"}});
    CHECK(expiry.at(f.fingerprint) == "2031-01-01");
    CHECK(baseline_expiry({previous, BaselineEntry{f.fingerprint, "", "", 0, "", "", ""}}).at(f.fingerprint).empty());
}

TEST_CASE("baseline and configuration errors name the file and line", "[config]")
{
    testing::TempDir d;
    testing::write_file(d / "b.jsonl", "{\"fingerprint\":\"" + std::string(64, 'a') + "\"}\n{\"fingerprint\":\"xyz\"}\n");
    CHECK_THROWS_WITH(load_baseline(d / "b.jsonl"), d / "b.jsonl" + ":2: 'fingerprint' is 64 hex digits");
    testing::write_file(d / "c.yaml", "allowlist:\n  paths: [a]\n  secret: [b]\n");
    Config c;
    CHECK_THROWS_WITH(load_config_file(d / "c.yaml", c), d / "c.yaml" + ":3:3: unknown allowlist key 'secret' (expected paths, secrets, stopwords)");
    testing::write_file(d / "r.yaml", "rules: [packs/extra.yaml]\ndisable: [jwt]\n");
    Config r;
    load_config_file(d / "r.yaml", r);
    CHECK(r.rule_packs == std::vector<std::string>{d / "packs/extra.yaml"});
    CHECK(r.origin.at(d / "packs/extra.yaml") == d / "r.yaml" + ":1:9");
    CHECK(r.disabled == std::vector<std::string>{"jwt"});
}
