// The real-world failure cases of ../shared/cases, each built by its make.sh and scanned by the
// real binary. Expectations are the cases' own (case.md).
#include "../support.hpp"

#include <catch2/catch.hpp>

using testing::build_case;
using testing::locations;
using testing::scan_json;
using testing::TempDir;
using Locs = std::vector<std::string>;

namespace {

std::vector<std::string> secrets_of(const nlohmann::json& report)
{
    std::vector<std::string> out;
    for (const auto& f : report.at("findings")) out.push_back(f.at("secret").get<std::string>());
    return out;
}

std::string commit_summary(const std::string& repo, const std::string& commit)
{
    const auto r = testing::run({"git", "log", "-1", "--format=%s", commit}, repo);
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, r.out.find('\n'));
}

} // namespace

TEST_CASE("case 001: the staged blob is scanned, not the working file", "[cases]")
{
    TempDir d;
    build_case("001", d.path());
    const auto staged = scan_json({"--no-redact", "staged"}, d / "repo");
    CHECK(locations(staged) == Locs{"readme.md:2:22:aws-access-key-id"});
    CHECK(secrets_of(staged) == std::vector<std::string>{"AKIAKS6D2OJW2ZPQCKRW"});
    CHECK(locations(scan_json({"scan"}, d / "repo", 0)).empty());
}

TEST_CASE("case 002: unstaged, untracked and old secrets do not block a commit", "[cases]")
{
    TempDir d;
    build_case("002", d.path());
    CHECK(locations(scan_json({"staged"}, d / "repo", 0)).empty());
    const auto history = scan_json({"history"}, d / "repo");
    CHECK(locations(history) == Locs{"old.cfg:3:7:aws-access-key-id"});
    CHECK(locations(scan_json({"scan"}, d / "repo")) ==
          Locs{"notes.txt:4:7:aws-access-key-id", "old.cfg:3:7:aws-access-key-id", "scratch.env:1:9:aws-access-key-id"});
}

TEST_CASE("case 004: every staged file is scanned", "[cases]")
{
    TempDir d;
    build_case("004", d.path());
    const auto r = scan_json({"--no-redact", "staged"}, d / "repo");
    CHECK(locations(r) == Locs{"a.key:1:1:aws-access-key-id", "c.env:2:19:aws-access-key-id"});
    CHECK(secrets_of(r) == std::vector<std::string>{"AKIA5UXZNSCVS45NOSBL", "AKIAQYBQ4CNH5A24TEBM"});
}

TEST_CASE("case 006: non-ASCII paths are reported as UTF-8 with core.quotepath on", "[cases]")
{
    TempDir d;
    build_case("006", d.path());
    CHECK(locations(scan_json({"staged"}, d / "repo")) ==
          Locs{"caf\xC3\xA9/.env:1:7:aws-access-key-id", "\xE8\xA8\xAD\xE5\xAE\x9A/\xE9\x8D\xB5.txt:2:6:aws-access-key-id"});
    CHECK(locations(scan_json({"history"}, d / "repo")) == Locs{"na\xC3\xAFve.cfg:1:1:aws-access-key-id"});
    CHECK(locations(scan_json({"scan"}, d / "repo")) ==
          Locs{"caf\xC3\xA9/.env:1:7:aws-access-key-id", "na\xC3\xAFve.cfg:1:1:aws-access-key-id",
               "\xE8\xA8\xAD\xE5\xAE\x9A/\xE9\x8D\xB5.txt:2:6:aws-access-key-id"});
}

TEST_CASE("case 008: UTF-16 files with and without a BOM are decoded", "[cases]")
{
    TempDir d;
    build_case("008", d.path());
    const auto history = scan_json({"--no-redact", "history"}, d / "repo");
    CHECK(locations(history) == Locs{"utf16be-bom.conf:2:9:aws-access-key-id", "utf16le-bom.conf:2:9:aws-access-key-id",
                                     "utf16le-nobom.conf:2:9:aws-access-key-id", "utf8-control.conf:2:9:aws-access-key-id"});
    CHECK(secrets_of(history) ==
          std::vector<std::string>{"AKIA5PFNVBR7R66XMPLV", "AKIAEOH7QT6BWCC7JDJQ", "AKIAEVRYWREMOQMPUT45", "AKIATCPESJEE6PRYOZH6"});
    const auto staged = scan_json({"--no-redact", "staged"}, d / "repo");
    CHECK(locations(staged) == Locs{"staged-utf16.txt:1:1:aws-access-key-id"});
    CHECK(secrets_of(staged) == std::vector<std::string>{"AKIA6SRHYZVGCBIO5VXQ"});
    // CRLF never leaks a \r into output.
    CHECK(staged["findings"][0]["line_text"].get<std::string>().find('\r') == std::string::npos);
}

TEST_CASE("case 010: NUL bytes in text neither crash nor hide secrets", "[cases]")
{
    TempDir d;
    build_case("010", d.path());
    CHECK(locations(scan_json({"history"}, d / "repo")) ==
          Locs{"early-nul.dat:2:5:aws-access-key-id", "late-nul.js:152:12:aws-access-key-id"});
    CHECK(locations(scan_json({"staged"}, d / "repo")) == Locs{"trailing-nul.rtf:3:5:aws-access-key-id"});
    CHECK(locations(scan_json({"scan"}, d / "repo")) ==
          Locs{"early-nul.dat:2:5:aws-access-key-id", "late-nul.js:152:12:aws-access-key-id",
               "trailing-nul.rtf:3:5:aws-access-key-id"});
}

TEST_CASE("case 013: a secret typed while resolving a merge conflict", "[cases]")
{
    TempDir d;
    build_case("013", d / "commit");
    const auto history = scan_json({"history"}, d / "commit/repo");
    REQUIRE(locations(history) == Locs{"config.env:3:12:aws-access-key-id"});
    const auto head = testing::run({"git", "rev-parse", "HEAD"}, d / "commit/repo");
    CHECK(history["findings"][0]["commit"].get<std::string>() + "\n" == head.out);

    build_case("013", d / "staged", "staged");
    CHECK(locations(scan_json({"staged"}, d / "staged/repo")) == Locs{"config.env:3:12:aws-access-key-id"});
}

TEST_CASE("case 014: removing a secret or deleting a file is not flagged", "[cases]")
{
    TempDir d;
    build_case("014", d / "staged");
    const auto staged = testing::secretscan({"staged"}, d / "staged/repo");
    CHECK(staged.exit_code == 0);
    CHECK(staged.err.empty());

    build_case("014", d / "commit", "commit");
    const auto history = scan_json({"history"}, d / "commit/repo");
    REQUIRE(locations(history) == Locs{"deploy.yml:4:22:aws-access-key-id", "legacy.env:1:1:aws-access-key-id"});
    const auto first = testing::run({"git", "rev-list", "--max-parents=0", "HEAD"}, d / "commit/repo");
    for (const auto& f : history["findings"]) CHECK(f["commit"].get<std::string>() + "\n" == first.out);
}

TEST_CASE("case 015: the first commit of a fresh repository", "[cases]")
{
    TempDir d;
    build_case("015", d.path());
    CHECK(locations(scan_json({"staged"}, d / "repo")) == Locs{"creds.txt:2:19:aws-access-key-id"});
    const auto history = testing::secretscan({"history"}, d / "repo");
    CHECK(history.exit_code == 0);
    CHECK(history.err == "secretscan: warning: no commits to scan\n");
    CHECK(locations(scan_json({"scan"}, d / "repo")) == Locs{"creds.txt:2:19:aws-access-key-id"});
}

TEST_CASE("case 020: a bare mirror", "[cases]")
{
    TempDir d;
    build_case("020", d.path());
    const auto history = scan_json({"history"}, d / "repo.git");
    REQUIRE(locations(history) == Locs{"settings.py:3:12:aws-access-key-id"});
    CHECK(commit_summary(d / "repo.git", history["findings"][0]["commit"]) == "settings with key");
    const auto staged = testing::secretscan({"staged"}, d / "repo.git");
    CHECK(staged.exit_code == 2);
    CHECK(staged.err == "secretscan: error: .: bare repository: 'staged' needs a work tree with an index\n");
}

TEST_CASE("case 024: staged findings carry the staged file's line numbers", "[cases]")
{
    TempDir d;
    build_case("024", d.path());
    CHECK(locations(scan_json({"staged"}, d / "repo")) == Locs{"Service.java:25:22:aws-access-key-id"});
}

TEST_CASE("case 025: PEM keys in every layout, and a header-only decoy", "[cases]")
{
    TempDir d;
    build_case("025", d.path());
    const auto history = scan_json({"history"}, d / "repo");
    CHECK(locations(history) ==
          Locs{"keys/escaped.json:4:19:private-key", "keys/multi.pem:3:1:private-key-rsa", "keys/oneline.env:2:13:private-key-rsa"});
    CHECK(history["findings"][1]["end_line"] == 10);
    CHECK(locations(scan_json({"staged"}, d / "repo")) == Locs{"keys/openssh.key:1:1:private-key-openssh"});
    const auto dir = scan_json({"scan"}, d / "repo");
    CHECK(locations(dir) == Locs{"keys/escaped.json:4:19:private-key", "keys/multi.pem:3:1:private-key-rsa",
                                 "keys/oneline.env:2:13:private-key-rsa", "keys/openssh.key:1:1:private-key-openssh"});
}

TEST_CASE("case 027: a secret in a commit message", "[cases]")
{
    TempDir d;
    build_case("027", d.path());
    const auto msg = scan_json({"--no-redact", "message", d / "COMMIT_MSG.txt"}, d / "repo");
    REQUIRE(locations(msg) == Locs{d / "COMMIT_MSG.txt:3:13:aws-access-key-id"});
    CHECK(msg["findings"][0]["source"] == "message-file");
    CHECK(msg["findings"][0]["secret"] == "AKIAUF5ICCTTFVTWZ65O");

    const auto history = scan_json({"--no-redact", "history"}, d / "repo");
    REQUIRE(history["findings"].size() == 1);
    const auto& f = history["findings"][0];
    CHECK(f["source"] == "commit-message");
    CHECK(f["path"] == "");
    CHECK(f["line"] == 3);
    CHECK(f["secret"] == "AKIANHCGX3UHVEGTABS4");
    CHECK(commit_summary(d / "repo", f["commit"]) == "Fix deploy script");

    CHECK(locations(scan_json({"staged"}, d / "repo", 0)).empty());
}
