// --format gitlab end to end: GitLab's secret-detection report, validated against the facts of its
// schema (tests/tools/gitlab_secret_detection.schema.json) by tests/tools/validate_gitlab.py.
#include "../support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>

namespace fs = std::filesystem;
using testing::git;
using testing::git_init;
using testing::secretscan;
using testing::sh;
using testing::TempDir;
using testing::write_file;

namespace {
const std::string key = std::string("AKIA") + "IDVWTFKTANGPVYQE"; // made up (tests/e2e/test_reports.cpp)
const std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
const std::regex utc_time("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}$");

/// Exit code of validate_gitlab.py on `report`; its messages go to the test log.
int validate(const std::string& report)
{
    const fs::path tools = fs::path(SECRETSCAN_SOURCE_DIR) / "tests/tools";
    INFO("needs /usr/bin/python3 with jsonschema (Debian python3-jsonschema)");
    const auto v = testing::run({"/usr/bin/python3", (tools / "validate_gitlab.py").string(),
                                 (tools / "gitlab_secret_detection.schema.json").string(), report});
    UNSCOPED_INFO(v.out << v.err);
    return v.exit_code;
}

/// The parts of a report every scan shares: version, schema, scan.
void check_header(const nlohmann::json& j)
{
    CHECK(j["version"] == "15.0.7");
    CHECK(j["schema"] == "https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.0.7/dist/"
                        "secret-detection-report-format.json");
    CHECK(j["scan"]["type"] == "secret_detection");
    CHECK(j["scan"]["status"] == "success");
    CHECK(j["scan"]["analyzer"]["id"] == "secretscan");
    CHECK(j["scan"]["scanner"]["vendor"]["name"] == "secretscan");
    // No made-up home page: the url is there only when the build names one (-DSECRETSCAN_HOMEPAGE).
    CHECK(j["scan"]["analyzer"].contains("url") == (*SECRETSCAN_HOMEPAGE != '\0'));
    CHECK(std::regex_match(j["scan"]["start_time"].get<std::string>(), utc_time));
    CHECK(std::regex_match(j["scan"]["end_time"].get<std::string>(), utc_time));
}
} // namespace

TEST_CASE("reports: gitlab secret-detection report of a history scan validates and names the commit", "[reports][gitlab]")
{
    TempDir d;
    const std::string r = d / "r";
    git_init(r);
    write_file(r + "/README.md", "demo\n");
    sh("git add . && git commit -qm first", r);
    write_file(r + "/config/app.env", "# settings\nregion = eu-west-1\nkey = " + key + "\n");
    sh("git add . && GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z git commit -qm 'add config'", r);
    const std::string commit = git({"rev-parse", "HEAD"}, r).out.substr(0, 40);
    sh("git commit -q --allow-empty -m later", r); // the finding names the commit that introduced it, not HEAD

    const auto res = secretscan({"history", "--format", "gitlab", "-o", "gl-secret-detection-report.json"}, r);
    INFO(res.out << res.err);
    CHECK(res.exit_code == 1);
    CHECK(res.out.empty());
    const std::string report = r + "/gl-secret-detection-report.json";
    CHECK(validate(report) == 0);

    const std::string text = testing::read_file(report);
    CHECK(text.find(key) == std::string::npos); // redacted
    const auto j = nlohmann::json::parse(text);
    check_header(j);
    CHECK(j["scan"].count("messages") == 0); // nothing skipped, no warning
    REQUIRE(j["vulnerabilities"].size() == 1);
    const auto& v = j["vulnerabilities"][0];
    CHECK(v["identifiers"][0]["type"] == "secretscan_rule_id");
    CHECK(v["identifiers"][0]["value"] == "aws-access-key-id");
    CHECK(v["location"]["file"] == "config/app.env");
    CHECK(v["location"]["start_line"] == 3);
    CHECK(v["location"]["end_line"] == 3);
    CHECK(v["location"]["commit"]["sha"] == commit);
    CHECK(v["location"]["commit"]["author"] == "Test Author <test@example.invalid>");
    CHECK(v["location"]["commit"]["date"] == "2026-01-01T00:00:00+00:00");
    CHECK(v["name"] == "AWS access key ID");
    CHECK(v["severity"] == "Critical"); // a high-confidence cloud rule: security severity 9.5
    CHECK(v["raw_source_code_extract"] == "key = AKIA\u2026");
    CHECK(v["solution"].get<std::string>().find("Deactivate (do not delete)") != std::string::npos);
    const std::string id = v["id"];
    CHECK(std::regex_match(id, uuid));

    // A rerun gives the same id; --no-redact shows the secret in the extract.
    const auto again = secretscan({"history", "--format", "gitlab", "--no-redact"}, r);
    CHECK(again.exit_code == 1);
    const auto j2 = nlohmann::json::parse(again.out);
    CHECK(j2["vulnerabilities"][0]["id"] == id);
    CHECK(j2["vulnerabilities"][0]["raw_source_code_extract"] == "key = " + key);
}

TEST_CASE("reports: gitlab report of a directory scan uses the placeholder commit sha", "[reports][gitlab]")
{
    TempDir d;
    write_file(d / "src/app.env", "key = " + key + "\n");
    write_file(d / "src/second.env", "a\nb\nkey = " + key + "\n"); // the same secret elsewhere: another id
    sh("head -c 512 /dev/zero > src/blob.dat", d.path()); // binary: skipped

    const auto res = secretscan({"--format", "gitlab", "-o", d / "gl-secret-detection-report.json", "scan", "src"}, d.path());
    INFO(res.out << res.err);
    CHECK(res.exit_code == 1);
    CHECK(validate(d / "gl-secret-detection-report.json") == 0);
    const auto j = nlohmann::json::parse(testing::read_file(d / "gl-secret-detection-report.json"));
    check_header(j);
    REQUIRE(j["vulnerabilities"].size() == 2);
    const auto& v = j["vulnerabilities"][0];
    CHECK(v["identifiers"][0]["value"] == "aws-access-key-id");
    CHECK(v["location"]["file"] == "src/app.env");
    CHECK(v["location"]["start_line"] == 1);
    CHECK(v["location"]["commit"] == nlohmann::json{{"sha", "0000000"}}); // no commit: the documented placeholder
    CHECK(j["vulnerabilities"][1]["location"]["file"] == "src/second.env");
    CHECK(j["vulnerabilities"][1]["location"]["start_line"] == 3);
    CHECK(j["vulnerabilities"][1]["id"] != v["id"]);
    // The binary file the scan skipped is a message of the scan.
    const nlohmann::json skipped = {{"level", "info"}, {"value", "skipped src/blob.dat: binary (NUL byte in the first 8000 bytes)"}};
    CHECK(j["scan"]["messages"] == nlohmann::json::array({skipped}));

    // Nothing found: an empty list, still a valid report.
    fs::remove_all(d / "src");
    write_file(d / "clean/readme.txt", "nothing here\n");
    const auto clean = secretscan({"--format", "gitlab", "-o", d / "clean.json", "scan", "clean"}, d.path());
    CHECK(clean.exit_code == 0);
    CHECK(validate(d / "clean.json") == 0);
    CHECK(nlohmann::json::parse(testing::read_file(d / "clean.json"))["vulnerabilities"] == nlohmann::json::array());
}
