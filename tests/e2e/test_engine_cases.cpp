// Rule engine cases from real bug reports (issue 12, item 4): `$` on CRLF files, a user's rule
// hidden behind a built-in one, Git LFS pointer files.
#include "../support.hpp"

#include <catch2/catch.hpp>

using testing::git_init;
using testing::locations;
using testing::scan_json;
using testing::secretscan;
using testing::sh;
using testing::TempDir;
using testing::write_file;
using Locs = std::vector<std::string>;

namespace {
const std::string aws_key = std::string("AKIA") + "IDVWTFKTANGPVYQE";
const std::string token = std::string("tok_") + "q7m2x9k4p8w3z6r1";

/// A pack with one rule: `regex` (single-quoted YAML), keyword `keyword`, its example `example`.
std::string pack(const std::string& id, const std::string& regex, const std::string& keyword, const std::string& example)
{
    return "rules:\n  - id: " + id + "\n    name: " + id + "\n    regex: '" + regex + "'\n    keywords: [" + keyword +
           "]\n    confidence: high\n    references: [https://example.invalid/docs]\n    examples: ['" + example + "']\n";
}
} // namespace

TEST_CASE("engine cases: a rule anchored with $ matches on CRLF files, in files, staged blobs and history", "[engine-cases]")
{
    TempDir d;
    git_init(d.path());
    write_file(d / "end.yaml", pack("line-end-token", "tok_[a-z0-9]{16}$", "tok_", "x = " + token) +
                                   pack("line-end-password", "(?i)password=(\\S+)$", "password", "password=q7m2x9k4p8w3z6r1").substr(7));
    write_file(d / "win.ini", "[db]\r\nuser=app\r\npassword=Zr8vQ2mX7kL4pN9w\r\ntoken = " + token + "\r\n");
    const Locs expected{"win.ini:3:10:line-end-password", "win.ini:4:9:line-end-token"};
    const auto files = scan_json({"scan", "--rules", "end.yaml", "win.ini", "--no-redact"}, d.path());
    CHECK(locations(files) == expected);
    // The CR is not part of the secret.
    CHECK(files["findings"][0]["secret"] == "Zr8vQ2mX7kL4pN9w");
    CHECK(files["findings"][1]["secret"] == token);
    sh("git add win.ini", d.path());
    CHECK(locations(scan_json({"staged", "--rules", "end.yaml"}, d.path())) == expected);
    sh("git commit -qm win", d.path());
    CHECK(locations(scan_json({"history", "--rules", "end.yaml"}, d.path())) == expected);
}

TEST_CASE("engine cases: a user's rule is reported, not the built-in rule that matches the same secret", "[engine-cases]")
{
    TempDir d;
    git_init(d.path());
    write_file(d / "k.env", "AWS_KEY=" + aws_key + "\n");
    write_file(d / "corp.yaml", pack("corp-aws-key", "AKIA[A-Z2-7]{16}", "akia", "AKIA" + std::string("Q3EGRIKZ5VXNWTDM")));
    // --rules, and the same pack named by the configuration.
    CHECK(locations(scan_json({"scan", "--rules", "corp.yaml", "k.env"}, d.path())) == Locs{"k.env:1:9:corp-aws-key"});
    write_file(d / ".secretscan.yaml", "rules: [corp.yaml]\n");
    CHECK(locations(scan_json({"scan", "k.env"}, d.path())) == Locs{"k.env:1:9:corp-aws-key"});
    // A git-secrets pattern (git secrets --add) wins over the built-in rule too.
    sh("rm .secretscan.yaml && git config --add secrets.patterns 'AKIA[A-Z2-7]{16}'", d.path());
    const auto gs = scan_json({"scan", "k.env"}, d.path());
    REQUIRE(gs["findings"].size() == 1);
    CHECK(std::string(gs["findings"][0]["rule_id"]).rfind("git-secrets-", 0) == 0);
    // Without them, the built-in rule reports it.
    sh("git config --unset-all secrets.patterns", d.path());
    CHECK(locations(scan_json({"scan", "k.env"}, d.path())) == Locs{"k.env:1:9:aws-access-key-id"});
    // A user's rule that --min-confidence leaves out takes nothing from the built-in rule.
    write_file(d / "corp-medium.yaml", pack("corp-aws-key", "AKIA[A-Z2-7]{16}", "akia", "AKIA" + std::string("Q3EGRIKZ5VXNWTDM")));
    sh("sed -i 's/confidence: high/confidence: medium/' corp-medium.yaml", d.path());
    CHECK(locations(scan_json({"scan", "--rules", "corp-medium.yaml", "--min-confidence", "high", "k.env"}, d.path())) ==
          Locs{"k.env:1:9:aws-access-key-id"});
}

TEST_CASE("engine cases: a Git LFS pointer never gives a finding, and -v says its content was not scanned", "[engine-cases]")
{
    TempDir d;
    git_init(d.path());
    const std::string oid = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";
    write_file(d / "sha.yaml", pack("any-sha256", "sha256:[0-9a-f]{64}", "sha256", "sha256:" + oid));
    write_file(d / "model.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:" + oid + "\nsize 52428800\n");
    write_file(d / "notes.txt", "checksum sha256:" + oid + "\n"); // the same text outside a pointer is found
    sh("git add model.bin notes.txt", d.path());
    CHECK(locations(scan_json({"staged", "--rules", "sha.yaml"}, d.path())) == Locs{"notes.txt:1:10:any-sha256"});
    sh("git commit -qm lfs", d.path());
    CHECK(locations(scan_json({"history", "--rules", "sha.yaml"}, d.path())) == Locs{"notes.txt:1:10:any-sha256"});
    const auto v = secretscan({"history", "--rules", "sha.yaml", "-v", "-q"}, d.path());
    CHECK(v.err.find("secretscan: skipped model.bin (blob ") != std::string::npos);
    CHECK(v.err.find("): Git LFS pointer (its content is in LFS storage, which is not scanned)\n") != std::string::npos);
    CHECK(secretscan({"history", "--rules", "sha.yaml"}, d.path()).err.find("skipped 1 Git LFS pointer (-v names each)") != std::string::npos);
}

TEST_CASE("engine cases: a token whose check digits fail is not reported, and -v says its validator dropped it", "[engine-cases]")
{
    TempDir d;
    const std::string made_up = std::string("ghp_") + "4rY7uKq2Wm9Zb3Xc5Vn8Lp1Ts6Hd0Jf2Ae7G"; // CRC-32 check digits wrong
    write_file(d / "g.env", "GITHUB_TOKEN=" + made_up + "\n");
    const auto quiet = secretscan({"scan", "g.env"}, d.path());
    CHECK(quiet.exit_code == 0);
    CHECK(quiet.err.find("dropped") == std::string::npos);
    CHECK(quiet.err.find("secretscan: 1 match of a known token format failed its check (check digits or structure), so no provider "
                         "issued it: not reported (-v names it)\n") != std::string::npos);
    const auto verbose = secretscan({"-v", "scan", "g.env"}, d.path());
    CHECK(verbose.exit_code == 0);
    CHECK(verbose.err.find("secretscan: dropped g.env:1:14: rule github-pat, step validator: the github-crc32 validator fails: GitHub check "
                           "digits f2Ae7G do not match the CRC-32 3bW13N\n") != std::string::npos);
}

TEST_CASE("engine cases: in history a blob copied to a path where a user's path-limited rule applies is judged there too", "[engine-cases]")
{
    TempDir d;
    git_init(d.path());
    write_file(d / "acme.toml", "[[rules]]\nid = \"acme-db-password\"\nregex = '''ACME_DB_PASS\\s*=\\s*\"([^\"]{12,})\"'''\n"
                                "keywords = [\"acme_db_pass\"]\npath = '''(^|/)deploy/.*\\.env$'''\n");
    write_file(d / "src/other.conf", "ACME_DB_PASS = \"Tr0ub4dor&3xYz!q\"\n");
    sh("git add src && git commit -qm a && mkdir deploy && cp src/other.conf deploy/prod.env && git add deploy && git commit -qm b", d.path());
    const Locs expected{"deploy/prod.env:1:17:acme-db-password", "src/other.conf:1:17:password-assignment"};
    CHECK(locations(scan_json({"scan", "--rules", "acme.toml", "src", "deploy"}, d.path())) == expected);
    CHECK(locations(scan_json({"history", "--rules", "acme.toml"}, d.path())) == expected);
    // A copy to a path the rules treat alike is still one finding, with the copy an occurrence.
    sh("cp src/other.conf src/again.conf && git add src && git commit -qm c", d.path());
    const auto again = scan_json({"history", "--rules", "acme.toml"}, d.path());
    CHECK(locations(again) == expected);
    CHECK(again["findings"][1]["occurrences"] == 2);
}

TEST_CASE("engine cases: a key in a URL's query inside a quoted string in code is a literal, a call is not", "[engine-cases]")
{
    TempDir d;
    write_file(d / "more.py", "ETHERSCAN_URL = \"https://api.etherscan.io/api?module=account&apikey=G9DPX2KQ7M4ZR8T1WV5NB3HJ6YC0LF2A\"\n"
                              "password = get_password()\n"
                              "url = f\"https://api.example.org/v1?token={token}\"\n");
    CHECK(locations(scan_json({"scan", "more.py"}, d.path())) == Locs{"more.py:1:69:generic-secret-assignment"});
}

TEST_CASE("engine cases: a generic value defers to a provider's rule only when its key names the provider as whole words", "[engine-cases]")
{
    TempDir d;
    write_file(d / "words.env", "SQLALCHEMY_SECRET_KEY = \"q8Zr3LmV9xT2wN7kP4sJ\"\n" // not Alchemy's
                                "EXPORT_TOKEN=Hq7LmZ2xV9rT4wN8kP3s\n"                   // not Expo's
                                "DATADOG_API_KEY=Hq7LmZ2xV9rT4wN8kP3s\n");              // Datadog's rule judges it: not its format
    CHECK(locations(scan_json({"scan", "words.env"}, d.path())) ==
          Locs{"words.env:1:26:generic-secret-assignment", "words.env:2:14:generic-secret-assignment"});
}
