// Report formats, --output, configuration files, allowlists and baselines, end to end.
#include "../support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <sys/stat.h>

namespace fs = std::filesystem;
using testing::git;
using testing::git_init;
using testing::locations;
using testing::scan_json;
using testing::secretscan;
using testing::sh;
using testing::TempDir;
using testing::write_file;
using Locs = std::vector<std::string>;

namespace {
const std::string key1 = std::string("AKIA") + "IDVWTFKTANGPVYQE";
const std::string key2 = std::string("AKIA") + "Q3EGRIKZ5VXNWTDM";
const std::string fp1 = "2fa2365f67b20a87d6315a318a663c6ac625bd3cfc57acae443f48d9f972d69e";


/// A repository with one commit (fixed dates) adding app.env with key1 on line 2.
std::string known_repo(const TempDir& d)
{
    const std::string r = d / "r";
    git_init(r);
    write_file(r + "/app.env", "a\nkey = " + key1 + "\n");
    sh("git add . && GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm one", r);
    return r;
}
} // namespace

TEST_CASE("reports: csv, junit, jsonl and text for a known repository", "[reports]")
{
    TempDir d;
    const std::string r = known_repo(d);
    const std::string commit = git({"rev-parse", "HEAD"}, r).out.substr(0, 40);

    const auto csv = secretscan({"--format", "csv", "history"}, r);
    CHECK(csv.exit_code == 1);
    CHECK(csv.out == "rule_id,path,source,line,column,secret,commit,author,date,occurrences,present_at_head,baseline_expired,fingerprint\r\n"
                     "aws-access-key-id,app.env,blob,2,7,AKIA\u2026," + commit +
                         ",Test Author <test@example.invalid>,2026-01-01T00:00:00+00:00,1,true,false," + fp1 + "\r\n");
    CHECK(csv.err.rfind("secretscan history: 1 finding; scanned 1 blob (", 0) == 0); // the log still says what happened

    const auto junit = secretscan({"--format", "junit", "history"}, r);
    const std::string timeless = std::regex_replace(junit.out, std::regex(" time=\"[0-9.]+\""), "");
    CHECK(timeless == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<testsuites name=\"secretscan\" tests=\"1\" failures=\"1\">\n"
                      "  <testsuite name=\"secretscan history\" tests=\"1\" failures=\"1\">\n"
                      "    <testcase classname=\"app.env\" name=\"aws-access-key-id at app.env:2:7\">\n"
                      "      <failure type=\"aws-access-key-id\" message=\"AWS access key ID: AKIA\u2026\">app.env:2:7: key = AKIA\u2026\n"
                      "commit " + commit + " by Test Author &lt;test@example.invalid&gt;</failure>\n"
                      "    </testcase>\n"
                      "  </testsuite>\n"
                      "</testsuites>\n");

    const auto jsonl = secretscan({"--format", "jsonl", "--no-redact", "history"}, r);
    CHECK(jsonl.out == "{\"author\":\"Test Author <test@example.invalid>\",\"column\":7,\"commit\":\"" + commit +
                           "\",\"commit_message\":\"one\",\"commits\":[\"" + commit + "\"],\"confidence\":\"high\",\"date\":\"2026-01-01T00:00:00+00:00\",\"end_column\":26,\"end_line\":2,\"entropy\":3.684,\"fingerprint\":\"" + fp1 +
                           "\",\"line\":2,\"line_text\":\"key = " + key1 +
                           "\",\"occurrences\":1,\"path\":\"app.env\",\"present_at_head\":true,\"redacted\":false,"
                           "\"refs\":[\"refs/heads/main\"],\"rule_id\":\"aws-access-key-id\",\"rule_name\":\"AWS access key ID\",\"secret\":\"" + key1 +
                           "\",\"source\":\"blob\"}\n");

    const auto text = secretscan({"-q", "history"}, r);
    CHECK(text.out == "app.env:2:7: aws-access-key-id: AKIA\u2026 (commit " + commit.substr(0, 12) +
                          ", Test Author <test@example.invalid>, 2026-01-01)\n");
    // Removed since: still reported, marked as history only.
    write_file(r + "/app.env", "a\n");
    sh("git commit -qam cleanup", r);
    CHECK(secretscan({"-q", "history"}, r).out.find(" (not at HEAD)\n") != std::string::npos);
    // A rename keeps the secret at HEAD, under another path.
    write_file(r + "/app.env", "a\nkey = " + key1 + "\n");
    sh("git commit -qam back && git mv app.env renamed.env && git commit -qm rename", r);
    CHECK(secretscan({"-q", "history"}, r).out.find("not at HEAD") == std::string::npos);
}

TEST_CASE("reports: SARIF 2.1.0 validates against the official schema", "[reports]")
{
    TempDir d;
    const std::string r = known_repo(d);
    const auto sarif = secretscan({"--format", "sarif", "--output", d / "out.sarif", "history"}, r);
    CHECK(sarif.exit_code == 1);
    const auto j = nlohmann::json::parse(testing::read_file(d / "out.sarif"));
    CHECK(j["version"] == "2.1.0");
    const auto& run = j["runs"][0];
    CHECK(run["columnKind"] == "unicodeCodePoints");
    CHECK(run["tool"]["driver"]["rules"][0]["id"] == "aws-access-key-id");
    CHECK(run["tool"]["driver"].contains("informationUri") == (*SECRETSCAN_HOMEPAGE != '\0')); // never made up
    CHECK(run["tool"]["driver"]["rules"][0]["help"]["text"].get<std::string>().find("Deactivate (do not delete)") != std::string::npos);
    // Per secret and place: GitHub makes one alert of results that share one.
    const std::string partial = run["results"][0]["partialFingerprints"]["secretscan/v2"];
    CHECK(partial.size() == 64);
    CHECK(partial != fp1);
    CHECK(run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2);
    CHECK(run["results"][0]["properties"]["author"] == "Test Author <test@example.invalid>");
    const fs::path schema = fs::path(SECRETSCAN_SOURCE_DIR) / "../shared/schemas/sarif-schema-2.1.0.json";
    INFO("needs /usr/bin/python3 with jsonschema (Debian python3-jsonschema, installed by .ci/run)");
    const auto v = testing::run({"/usr/bin/python3", fs::path(SECRETSCAN_SOURCE_DIR) / "tests/tools/validate_sarif.py",
                                 schema.string(), d / "out.sarif"});
    INFO(v.out << v.err);
    CHECK(v.exit_code == 0);

    // Every shipped rule's metadata (tags, help, references) in one report: one example per rule.
    std::size_t n = 0;
    for (const auto& [id, example] : testing::shipped_rule_examples()) {
        write_file(d / ("all/" + id), example + "\n");
        ++n;
    }
    const auto all = secretscan({"--format", "sarif", "--output", d / "all.sarif", "scan", "."}, d / "all");
    CHECK(all.exit_code == 1);
    CHECK(nlohmann::json::parse(testing::read_file(d / "all.sarif"))["runs"][0]["tool"]["driver"]["rules"].size() == n);
    const auto va = testing::run({"/usr/bin/python3", fs::path(SECRETSCAN_SOURCE_DIR) / "tests/tools/validate_sarif.py", schema.string(), d / "all.sarif"});
    INFO(va.out << va.err);
    CHECK(va.exit_code == 0);
}

TEST_CASE("reports: SARIF that GitHub code scanning accepts: severity, categories, message findings, the result limit", "[reports][sarif]")
{
    TempDir d;
    const std::string r = known_repo(d);
    sh("git commit -q --allow-empty -m 'rotate key " + key1 + "'", r);
    const fs::path schema = fs::path(SECRETSCAN_SOURCE_DIR) / "../shared/schemas/sarif-schema-2.1.0.json";
    const auto validate = [&](const std::string& file) {
        const auto v = testing::run({"/usr/bin/python3", fs::path(SECRETSCAN_SOURCE_DIR) / "tests/tools/validate_sarif.py", "--github",
                                     schema.string(), file});
        INFO(v.out << v.err);
        CHECK(v.exit_code == 0);
    };
    REQUIRE(secretscan({"--format", "sarif", "--output", d / "h.sarif", "history"}, r).exit_code == 1);
    validate(d / "h.sarif");
    const auto run = nlohmann::json::parse(testing::read_file(d / "h.sarif"))["runs"][0];
    CHECK(run["automationDetails"]["id"] == "secretscan/history/");
    const auto& rule = run["tool"]["driver"]["rules"][0];
    CHECK(rule["properties"]["security-severity"] == "9.5"); // cloud, high confidence
    CHECK(rule["properties"]["tags"][0] == "security");
    REQUIRE(run["results"].size() == 2);
    // The message's finding names its commit and has no location: a commit message is no file.
    const std::string message_commit = testing::git({"rev-parse", "HEAD"}, r).out.substr(0, 40);
    const auto& message = run["results"][0]["properties"]["source"] == "commit-message" ? run["results"][0] : run["results"][1];
    CHECK(!message.contains("locations"));
    CHECK(message["message"]["text"] == "AWS access key ID found in the message of commit " + message_commit + ": AKIA\u2026");
    CHECK(message["level"] == "error");
    CHECK(run["results"][0]["partialFingerprints"] != run["results"][1]["partialFingerprints"]);
    // A range and a directory scan are categories of their own.
    REQUIRE(secretscan({"--format", "sarif", "--output", d / "range.sarif", "history", "HEAD~1..HEAD"}, r).exit_code == 1);
    CHECK(nlohmann::json::parse(testing::read_file(d / "range.sarif"))["runs"][0]["automationDetails"]["id"] == "secretscan/history-range/");
    REQUIRE(secretscan({"--format", "sarif", "--output", d / "scan.sarif", "scan", "."}, r).exit_code == 1);
    CHECK(nlohmann::json::parse(testing::read_file(d / "scan.sarif"))["runs"][0]["automationDetails"]["id"] == "secretscan/scan/");

    // 25,010 findings: the 25,000 GitHub accepts, and a warning naming what was left out.
    std::string many;
    static constexpr char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    for (int i = 0; i < 25010; ++i) {
        std::string k = "AKIA";
        for (int j = 0, v = i; j < 16; ++j, v /= 32) k += b32[(v + j * 7) % 32];
        many += "k=" + k + "\n";
    }
    write_file(d / "many/keys.txt", many);
    const auto capped = secretscan({"--format", "sarif", "--output", d / "many.sarif", "scan", "keys.txt"}, d / "many");
    CHECK(capped.exit_code == 1);
    CHECK(capped.err.find("secretscan: warning: SARIF: 25010 findings, more than the 25000 results GitHub code scanning accepts in a run: "
                          "kept the 25000 most severe, left out 10 (--format json lists them all)\n") != std::string::npos);
    const auto doc = nlohmann::json::parse(testing::read_file(d / "many.sarif"));
    CHECK(doc["runs"][0]["results"].size() == 25000);
    CHECK(doc["runs"][0]["properties"]["omittedResults"] == 10);
    validate(d / "many.sarif");
}

TEST_CASE("reports: --output writes the file atomically with mode 0600", "[reports]")
{
    TempDir d;
    const std::string r = known_repo(d);
    const auto res = secretscan({"--format", "json", "--output", "report.json", "history"}, r);
    CHECK(res.exit_code == 1);
    CHECK(res.out.empty());
    struct stat st{};
    REQUIRE(stat((r + "/report.json").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(nlohmann::json::parse(testing::read_file(r + "/report.json"))["findings"].size() == 1);
    const auto unknown = secretscan({"--format", "xml", "history"}, r); // the message: tests/unit/report/test_formats.cpp
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.rfind("secretscan: error: --format xml: unknown format (expected text, ", 0) == 0);
}

TEST_CASE("reports: --output to a symbolic link or a FIFO writes into it and never replaces it", "[reports][regression]")
{
    // `-o /dev/null` as root once turned the machine's /dev/null into a regular file: only a
    // regular file (or a new path) is replaced by rename; links, FIFOs and devices are written into.
    TempDir d;
    const std::string r = known_repo(d);
    write_file(d / "target.json", "old");
    fs::create_symlink(d / "target.json", d / "link.json");
    const auto via_link = secretscan({"--format", "json", "--output", d / "link.json", "history"}, r);
    CHECK(via_link.exit_code == 1);
    CHECK(fs::is_symlink(fs::symlink_status(d / "link.json")));
    CHECK(nlohmann::json::parse(testing::read_file(d / "target.json"))["findings"].size() == 1);
    // A dangling link: the report it names is created 0600 whatever the umask, like any report.
    fs::create_symlink(d / "new.json", d / "dangling.json");
    sh("umask 022 && " + testing::binary_dir() + "/secretscan -q --format json --output ../dangling.json history || true", r);
    CHECK(fs::is_symlink(fs::symlink_status(d / "dangling.json")));
    CHECK(fs::status(d / "new.json").permissions() == (fs::perms::owner_read | fs::perms::owner_write));
    CHECK(nlohmann::json::parse(testing::read_file(d / "new.json"))["findings"].size() == 1);
    sh("mkfifo fifo && (cat fifo > from-fifo.json &)", d.path());
    const auto via_fifo = secretscan({"--format", "jsonl", "--output", d / "fifo", "history"}, r);
    CHECK(via_fifo.exit_code == 1);
    CHECK(fs::is_fifo(fs::symlink_status(d / "fifo")));
    sh("for i in $(seq 50); do [ -s from-fifo.json ] && break; sleep 0.1; done", d.path());
    CHECK(nlohmann::json::parse(testing::read_file(d / "from-fifo.json"))["rule_id"] == "aws-access-key-id");
    // No temporary file is left beside the targets.
    std::size_t entries = 0;
    for (const auto& e : fs::directory_iterator(d.path())) entries += e.path().filename().string().rfind(".", 0) == 0 ? 1 : 0;
    CHECK(entries == 0);
}

TEST_CASE("reports: a scan never reads its own report, nor the report's temporary file", "[reports][regression]")
{
    // The report (and, with jsonl, its temporary file filling while the scan runs) lies in the
    // folder being scanned: each run would report the previous run's findings again.
    TempDir d;
    write_file(d / "app.env", "key = " + key1 + "\n");
    bool first = true;
    for (const char* format : {"jsonl", "jsonl", "text"}) {
        const auto r = secretscan({"-v", "--no-redact", "--format", format, "-o", "report.out", "scan", "."}, d.path());
        INFO(r.err);
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("secretscan scan: 1 finding; scanned 1 file") != std::string::npos);
        CHECK(r.err.find("secretscan: skipped .report.out.") != std::string::npos); // the temporary file
        if (!first) CHECK(r.err.find("secretscan: skipped report.out: the report this scan writes (--output)") != std::string::npos);
        first = false;
    }
    CHECK(testing::read_file(d / "report.out").rfind("app.env:1:7: aws-access-key-id: " + key1, 0) == 0);
}

TEST_CASE("config: .secretscan.yaml allowlists paths, secrets and stopwords, disables rules", "[config]")
{
    TempDir d;
    const std::string r = d / "r";
    git_init(r);
    write_file(r + "/testdata/fixture.env", "k=" + key1 + "\n");
    write_file(r + "/src/a.env", "k=" + key2 + "\n");
    write_file(r + "/src/b.txt", "db_password = \"Zx8Qp2LmKITTENvalue\"\ntoken: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.Qm9vX2tKb3pXc1hYd2E\n");
    CHECK(locations(scan_json({"scan"}, r)) == Locs{"src/a.env:1:3:aws-access-key-id", "src/b.txt:1:16:password-assignment",
                                                   "src/b.txt:2:8:jwt", "testdata/fixture.env:1:3:aws-access-key-id"});
    // With jwt disabled the token is still a secret assigned to 'token': disable the generic rule too.
    write_file(r + "/.secretscan.yaml", "allowlist:\n  paths: ['testdata/**']\n  secrets: ['^AKIAQ3']\n  stopwords: [kitten]\ndisable: [jwt, generic-secret-assignment]\n");
    CHECK(locations(scan_json({"scan"}, r, 0)).empty());

    write_file(r + "/.secretscan.yaml", "allowlist:\n  paths: [testdata]\n  secrets: ['(']\n");
    const auto bad = secretscan({"scan"}, r);
    CHECK(bad.exit_code == 2);
    CHECK(bad.err == "secretscan: error: " + r + "/.secretscan.yaml:3:13: allowlist secret regex '(': missing ): (\n");
    write_file(r + "/.secretscan.yaml", "disable:\n  - jwt\n  - nope\n");
    CHECK(secretscan({"scan"}, r).err ==
          "secretscan: error: " + r + "/.secretscan.yaml:3:5: disable: nope: no loaded rule has this id (see 'secretscan rules list')\n");
    write_file(r + "/.secretscan.yaml", "rules: [packs/missing.yaml]\n");
    CHECK(secretscan({"scan"}, r).err ==
          "secretscan: error: " + r + "/.secretscan.yaml:1:9: rules: " + r + "/packs/missing.yaml: no such rule pack\n");
    write_file(r + "/.secretscan.yaml", "disable: [jwt]\ndisable: [jwt]\n");
    CHECK(secretscan({"scan"}, r).err == "secretscan: error: " + r + "/.secretscan.yaml:2:1: 'disable' is given twice\n");
    write_file(r + "/.secretscan.yaml", "allowlist:\n  path: [x]\n");
    CHECK(secretscan({"scan"}, r).err ==
          "secretscan: error: " + r + "/.secretscan.yaml:2:3: unknown allowlist key 'path' (expected paths, secrets, stopwords)\n");
}

TEST_CASE("baseline: accepted findings stay suppressed when lines move, files are renamed and history is rebased", "[baseline]")
{
    TempDir d;
    const std::string r = d / "r";
    git_init(r);
    write_file(r + "/a.env", "one\nk=" + key1 + "\n");
    sh("git add . && git commit -qm one", r);
    const auto created = secretscan({"baseline", "create", d / "base.jsonl"}, r);
    INFO(created.out << created.err);
    REQUIRE(created.exit_code == 0);
    const std::string first = git({"rev-parse", "HEAD"}, r).out.substr(0, 40);
    CHECK(testing::read_file(d / "base.jsonl") == "{\"fingerprint\":\"" + fp1 + "\",\"rule_id\":\"aws-access-key-id\",\"path\":\"a.env\",\"line\":2,"
                                     "\"commit\":\"" + first + "\",\"reason\":\"\",\"expires\":null}\n");
    CHECK(testing::read_file(d / "base.jsonl").find(key1) == std::string::npos); // never the secret itself
    const std::vector<std::string> with{"--baseline", d / "base.jsonl"};
    auto scan_with = [&](std::vector<std::string> args, int expected) {
        args.insert(args.begin(), with.begin(), with.end());
        return scan_json(args, r, expected);
    };
    CHECK(scan_with({"history"}, 0)["findings"].empty());
    // Lines move, the file is renamed, a new secret arrives: only the new one is reported.
    write_file(r + "/a.env", "zero\n\n\none\nk=" + key1 + "\n");
    sh("git commit -qam move && git mv a.env moved.env && git commit -qm rename", r);
    write_file(r + "/b.env", "k2=" + key2 + "\n");
    sh("git add b.env && git commit -qm new", r);
    CHECK(locations(scan_with({"history"}, 1)) == Locs{"b.env:1:4:aws-access-key-id"});
    CHECK(locations(scan_with({"scan"}, 1)) == Locs{"b.env:1:4:aws-access-key-id"});
    // History rewritten: every commit gets a new id, the fingerprints stay.
    sh("git -c core.hooksPath=/dev/null rebase -q --exec 'git commit -q --amend -m rewritten' --root", r);
    CHECK(git({"rev-list", "--max-parents=0", "HEAD"}, r).out.substr(0, 40) != first);
    CHECK(locations(scan_with({"history"}, 1)) == Locs{"b.env:1:4:aws-access-key-id"});
}

TEST_CASE("baseline: an expired entry reports the finding as expired, the config can name the baseline", "[baseline]")
{
    TempDir d;
    const std::string r = d / "r";
    git_init(r);
    write_file(r + "/a.env", "k=" + key1 + "\n");
    write_file(r + "/.secretscan-baseline.jsonl",
               "{\"fingerprint\":\"" + fp1 + "\",\"rule_id\":\"aws-access-key-id\",\"path\":\"a.env\",\"line\":1,\"reason\":\"fixture\","
               "\"expires\":\"2020-01-01\"}\n");
    write_file(r + "/.secretscan.yaml", "baseline: .secretscan-baseline.jsonl\n");
    const auto expired = scan_json({"scan", "a.env"}, r);
    REQUIRE(expired["findings"].size() == 1);
    CHECK(expired["findings"][0]["baseline_expired"] == true);
    write_file(r + "/.secretscan-baseline.jsonl",
               "{\"fingerprint\":\"" + fp1 + "\",\"reason\":\"fixture\",\"expires\":\"2999-12-31\"}\n");
    CHECK(scan_json({"scan", "a.env"}, r, 0)["findings"].empty());
    auto baseline_error = [&](const std::string& entry) {
        write_file(r + "/.secretscan-baseline.jsonl", entry + "\n");
        const auto bad = secretscan({"scan", "a.env"}, r);
        CHECK(bad.exit_code == 2);
        return bad.err;
    };
    const std::string prefix = "secretscan: error: " + r + "/.secretscan-baseline.jsonl:1: ";
    CHECK(baseline_error("{\"fingerprint\":\"abc\"}") == prefix + "'fingerprint' is 64 hex digits\n");
    CHECK(baseline_error("{\"fingerprint\":\"" + fp1 + "\",\"expires\":\"2027-02-30\"}") ==
          prefix + "'expires' is a date, YYYY-MM-DD (or null: never)\n");
    CHECK(baseline_error("{\"fingerprint\":\"" + fp1 + "\",\"expires\":20270101}") == prefix + "'expires' must be a string\n");
    CHECK(baseline_error("{\"fingerprint\":\"" + fp1 + "\",\"foo\":1}") ==
          prefix + "unknown key 'foo' (expected fingerprint, rule_id, path, line, commit, reason, expires)\n");
    // A configured baseline that does not exist yet: a warning, the scan goes on.
    std::filesystem::remove(r + "/.secretscan-baseline.jsonl");
    const auto missing = secretscan({"scan", "a.env"}, r);
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.rfind("secretscan: warning: " + r + "/.secretscan.yaml:1:11: baseline " + r +
                                "/.secretscan-baseline.jsonl does not exist (create it: secretscan baseline create ",
                            0) == 0);
}

TEST_CASE("reports: --redact=N hides that percentage of each secret, in the secret and in its line", "[reports]")
{
    TempDir d;
    const std::string r = known_repo(d);
    const auto half = secretscan({"--format", "jsonl", "--redact=50", "history"}, r);
    CHECK(half.exit_code == 1);
    const auto j = nlohmann::json::parse(half.out);
    CHECK(j["secret"] == "AKIAIDVWTF\u2026");
    CHECK(j["line_text"] == "key = AKIAIDVWTF\u2026");
    CHECK(j["redacted"] == true);
    const auto all = secretscan({"--redact", "-q", "history"}, r);
    CHECK(all.out.rfind("app.env:2:7: aws-access-key-id: \u2026 ", 0) == 0);
    const auto none = secretscan({"--redact=0", "--format", "jsonl", "history"}, r);
    CHECK(nlohmann::json::parse(none.out)["secret"] == key1);
    CHECK(nlohmann::json::parse(none.out)["redacted"] == false);
    // Without =N, what follows is a path, not the percentage (as gitleaks' flag).
    write_file(d / "k.txt", key2 + "\n");
    CHECK(secretscan({"scan", "--redact", d / "k.txt", "-q"}, r).out == d / "k.txt" + ":1:1: aws-access-key-id: \u2026 (AWS account 058264208051)\n");
    const auto bad = secretscan({"--redact=150", "history"}, r);
    CHECK(bad.exit_code == 2);
    CHECK(bad.err == "secretscan: error: --redact: '150' is not a percentage: give a whole number from 0 to 100\n"
                     "Run 'secretscan --help' for usage.\n");
    CHECK(secretscan({"--redact=10", "--no-redact", "history"}, r).exit_code == 2);
}
