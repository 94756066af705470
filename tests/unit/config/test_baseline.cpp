#include <secretscan/config/baseline.hpp>
#include <secretscan/config/config.hpp>
#include <secretscan/error.hpp>

#include "../../support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

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
    // An earlier entry this scan did not find is kept.
    BaselineEntry other{std::string(64, 'b'), "tok", "c.env", 1, "", "accepted earlier", ""};
    const auto kept = make_baseline({f}, {previous, other});
    REQUIRE(kept.size() == 2);
    const auto& earlier = kept[0].fingerprint == other.fingerprint ? kept[0] : kept[1];
    CHECK(earlier.fingerprint == other.fingerprint);
    CHECK(earlier.reason == "accepted earlier");
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

namespace {
/// The message of the Error(config) load_config_file throws, or "no error".
std::string config_error(const std::string& file, const std::string& inside = "")
{
    Config c;
    try {
        load_config_file(file, c, inside);
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::config);
        return e.what();
    }
    return "no error";
}
} // namespace

TEST_CASE("configuration: keys that are not names, keys given twice, anchors and bad globs are errors at their place", "[config][regression]")
{
    testing::TempDir d;
    const std::string f = d / "c.yaml";
    testing::write_file(f, "? [a]\n");
    CHECK(config_error(f) == f + ":1:3: a key must be a name, not a list or a mapping");
    testing::write_file(f, "allowlist:\n  ? {a: b}\n  : [x]\n");
    CHECK(config_error(f) == f + ":2:5: a key must be a name, not a list or a mapping");
    testing::write_file(f, "allowlist:\n  paths: [a]\n  stopwords: [b]\n  paths: [c]\n");
    CHECK(config_error(f) == f + ":4:3: 'paths' is given twice");
    testing::write_file(f, "allowlist:\n  paths: [ok, '[z-a]']\n");
    CHECK(config_error(f) == f + ":2:15: allowlist path glob '[z-a]': the range 'z-a' is reversed (it can match nothing)");
    testing::write_file(f, "disable: &d [jwt]\nrules: *d\n");
    CHECK(config_error(f) == f + ":1:10: a YAML anchor (&name) is not allowed (aliases to it can expand a small file into gigabytes); write the value out");
    testing::write_file(f, "root:$6$" + std::string(86, 'x') + ":19000:0:99999:7:::\n");
    CHECK(config_error(f) == f + ":1:1: an unknown key (expected rules, disable, allowlist, baseline, max_file_size)");
    CHECK(config_error(d.path()) == d.path() + ": the configuration file is not a regular file (a directory); name a file");
}

TEST_CASE("a configuration confined to a repository may name only files inside it", "[config][regression]")
{
    testing::TempDir d;
    const std::string repo = d / "repo", f = d / "repo/.secretscan.yaml";
    testing::write_file(d / "outside.yaml", "rules: []\n");
    testing::write_file(f, "rules: [../outside.yaml]\n");
    CHECK(config_error(f, repo) == f + ":1:9: rules: " + d / "outside.yaml" + " is outside the repository " + repo +
                                       " (symbolic links resolved); a repository's .secretscan.yaml may name only files inside it: "
                                       "name it with --rules, --config or the user configuration");
    CHECK(config_error(f) == "no error"); // --config and the user's config may name any file
    std::filesystem::create_symlink("/dev/zero", repo + "/zero.jsonl");
    testing::write_file(f, "rules: []\nbaseline: zero.jsonl\n");
    CHECK(config_error(f, repo) == f + ":2:11: baseline: " + repo + "/zero.jsonl is outside the repository " + repo +
                                       " (symbolic links resolved); a repository's .secretscan.yaml may name only files inside it: "
                                       "name it with --baseline, --config or the user configuration");
    testing::write_file(f, "rules: [packs/a.yaml]\nbaseline: b.jsonl\n");
    Config c;
    load_config_file(f, c, repo);
    CHECK(c.inside.at(repo + "/packs/a.yaml") == repo);
    CHECK(c.inside.at(repo + "/b.jsonl") == repo);
}

TEST_CASE("a baseline is a regular file of at most 16 MiB, and errors never quote a long key", "[config][regression]")
{
    testing::TempDir d;
    auto baseline_error = [](const std::string& file, const std::string& inside = "") -> std::string {
        try {
            load_baseline(file, inside);
        } catch (const Error& e) {
            return e.what();
        }
        return "no error";
    };
    CHECK(baseline_error(d.path()) == d.path() + ": the baseline is not a regular file (a directory); name a file");
    CHECK(baseline_error("/dev/zero") == "/dev/zero: the baseline is not a regular file (a FIFO, socket or device); name a file");
    testing::write_file(d / "big.jsonl", std::string((16 << 20) + 1, '\n'));
    CHECK(baseline_error(d / "big.jsonl") ==
          d / "big.jsonl" + ": the baseline is larger than 16 MiB (the limit for configuration files, rule packs and baselines); make it smaller or split it");
    testing::write_file(d / "b.jsonl", "{\"" + std::string(65, 'k') + "\":1}\n");
    CHECK(baseline_error(d / "b.jsonl") == d / "b.jsonl" + ":1: an unknown key (expected fingerprint, rule_id, path, line, commit, reason, expires)");
    testing::write_file(d / "repo/x", "");
    std::filesystem::create_symlink(d / "b.jsonl", d / "repo/b.jsonl");
    CHECK(baseline_error(d / "repo/b.jsonl", d / "repo") == d / "repo/b.jsonl" + ": the baseline resolves to " + d / "b.jsonl" +
                                                                ", outside the repository " + d / "repo" +
                                                                "; a repository's .secretscan.yaml may name only files inside it");
}
