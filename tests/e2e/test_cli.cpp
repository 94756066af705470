// The command line: exit codes, error messages, formats, redaction, files and stdin.
#include "../support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using testing::locations;
using testing::scan_json;
using testing::secretscan;
using testing::TempDir;
using testing::write_file;
using Locs = std::vector<std::string>;

namespace {
// Made-up values, assembled so this file holds none.
const std::string key_id = std::string("AKIA") + "IDVWTFKTANGPVYQE";
const std::string gh_pat = std::string("ghp_") + "OzGQqO7hrzCmnFxMY7ihtIJno5U13L16euPH"; // valid check digits
} // namespace

TEST_CASE("exit codes: 0 clean, 1 findings, 2 usage and config errors", "[cli]")
{
    TempDir d;
    write_file(d / "clean.txt", "nothing to see\n");
    write_file(d / "dirty.txt", "key = " + key_id + "\n");
    CHECK(secretscan({"scan", "clean.txt"}, d.path()).exit_code == 0);
    CHECK(secretscan({"scan", "dirty.txt"}, d.path()).exit_code == 1);
    CHECK(secretscan({"--exit-zero", "scan", "dirty.txt"}, d.path()).exit_code == 0);

    const auto missing = secretscan({"scan", "nope.txt"}, d.path());
    CHECK(missing.exit_code == 2);
    CHECK(missing.err == "secretscan: error: nope.txt: no such file or directory\n");

    const auto flag = secretscan({"scan", "--no-such-flag"}, d.path());
    CHECK(flag.exit_code == 2);
    CHECK(flag.err == "secretscan: error: The following argument was not expected: --no-such-flag\nRun 'secretscan --help' for usage.\n");

    const auto command = secretscan({"--format", "json", "frobnicate"}, d.path());
    CHECK(command.exit_code == 2);
    CHECK(command.err == "secretscan: error: unknown command 'frobnicate'\nRun 'secretscan --help' for usage.\n");
    // A mistyped option before the command is named, not the value after it taken for a command.
    const auto option = secretscan({"--formatt", "sarif", "history"}, d.path());
    CHECK(option.exit_code == 2);
    CHECK(option.err == "secretscan: error: unknown option '--formatt'\nRun 'secretscan --help' for usage.\n");
    // An option of one command given before it says where it goes.
    const auto misplaced = secretscan({"--no-cache", "history"}, d.path());
    CHECK(misplaced.exit_code == 2);
    CHECK(misplaced.err == "secretscan: error: '--no-cache' is an option of history: put it after the command\nRun 'secretscan --help' for usage.\n");
    // A command with commands of its own names them.
    const auto second = secretscan({"rules", "explian", "aws-access-key-id"}, d.path());
    CHECK(second.exit_code == 2);
    CHECK(second.err == "secretscan: error: unknown command 'rules explian' (rules takes list, check, explain)\nRun 'secretscan --help' for usage.\n");
    CHECK(secretscan({"baseline"}, d.path()).err == "secretscan: error: baseline needs a command: create\nRun 'secretscan --help' for usage.\n");
    // A scan command's own --help points at the options every command takes.
    for (const char* name : {"scan", "staged", "message", "history"})
        CHECK(secretscan({name, "--help"}, d.path()).out.find("Every scan also takes the options `secretscan --help` lists") !=
              std::string::npos);

    const auto not_repo = secretscan({"history"}, d.path());
    CHECK(not_repo.exit_code == 2);
    CHECK(not_repo.err == "secretscan: error: " + std::filesystem::canonical(d.path()).string() +
                              ": not a git repository (or any parent up to /); run this inside a repository, or name one with -C DIR\n");
    const auto not_repo_c = secretscan({"-C", d.path(), "history"});
    CHECK(not_repo_c.err == not_repo.err); // the folder -C named, not "."

    const auto version = secretscan({"--version"});
    CHECK(version.exit_code == 0);
    CHECK(version.out == "secretscan " SECRETSCAN_VERSION "\n");
}

TEST_CASE("a malformed pack stops the run with file, line, column and rule id", "[cli]")
{
    TempDir d;
    write_file(d / "bad.yaml", "rules:\n  - id: broken-rule\n    keywords: [x]\n    regex: '[a-'\n");
    const auto r = secretscan({"--rules", "bad.yaml", "scan", "."}, d.path());
    CHECK(r.exit_code == 2);
    CHECK(r.err == "secretscan: error: bad.yaml:4:12: rule broken-rule: invalid regex: missing ]: [a-; fix the 'regex' (RE2 syntax)\n");

    write_file(d / "yaml.yaml", "rules:\n  - id: x\n    keywords: [x\n");
    const auto y = secretscan({"--rules", "yaml.yaml", "rules", "list"}, d.path());
    CHECK(y.exit_code == 2);
    CHECK(y.err.rfind("secretscan: error: yaml.yaml:4:1: invalid YAML: ", 0) == 0);
}

TEST_CASE("text output: one line per finding, redacted, then a summary", "[cli]")
{
    TempDir d;
    write_file(d / "src/app.py", "# config\ntoken = \"" + gh_pat + "\"\n");
    const auto r = secretscan({"scan", "src"}, d.path());
    CHECK(r.exit_code == 1);
    const auto first_line = r.out.substr(0, r.out.find('\n'));
    CHECK(first_line == "src/app.py:2:10: github-pat: ghp_\u2026 (CRC-32 check digits valid)");
    CHECK(r.out.find(gh_pat) == std::string::npos);
    CHECK(r.out.find("\nsecretscan scan: 1 finding; scanned 1 file (") != std::string::npos);

    const auto plain = secretscan({"--no-redact", "-q", "scan", "src"}, d.path());
    CHECK(plain.out == "src/app.py:2:10: github-pat: " + gh_pat + " (CRC-32 check digits valid)\n");
}

TEST_CASE("a redacted line hides every secret on it: the other findings' and the encoded text of a decoded one", "[cli]")
{
    TempDir d;
    write_file(d / "a.env", "export DB_PASSWORD=Otter-Basalt-92 API_KEY=sk_live_51NqzT8Lk2VbXwRtY9pQmHs4JdC3eFgUoIaZ7nKyW\n");
    write_file(d / "database.ini", "url = postgres://app:P%40ssw0rd%21x9@db:5432/app\n");
    write_file(d / "deploy.env", "CONFIG_B64=" + testing::base64_of(R"({"db":{"password":"Vq8#nL2wzR"}})") + "\n");
    const auto j = scan_json({"scan", "."}, d.path());
    REQUIRE(locations(j) == Locs{"a.env:1:20:password-assignment", "a.env:1:44:stripe-secret-key", "database.ini:1:22:postgres-connection-string",
                                 "deploy.env:1:12:password-assignment"});
    const auto& f = j["findings"];
    CHECK(f[0]["line_text"] == "export DB_PASSWORD=Otte\u2026 API_KEY=sk_l\u2026");
    CHECK(f[1]["line_text"] == "export DB_PASSWORD=Otte\u2026 API_KEY=sk_l\u2026");
    CHECK(f[2]["line_text"] == "url = postgres://app:P%40\u2026@db:5432/app");
    CHECK(f[3]["line_text"] == "CONFIG_B64=eyJk\u2026");
}

TEST_CASE("json output carries every finding field and redacts the line too", "[cli]")
{
    TempDir d;
    write_file(d / "a.env", "AWS_ACCESS_KEY_ID=" + key_id + "\n");
    const auto j = scan_json({"scan", "a.env"}, d.path());
    CHECK(j["tool"]["name"] == "secretscan");
    CHECK(j["command"] == "scan");
    REQUIRE(j["findings"].size() == 1);
    const auto& f = j["findings"][0];
    CHECK(f["rule_id"] == "aws-access-key-id");
    CHECK(f["secret"] == "AKIA\u2026");
    CHECK(f["line_text"] == "AWS_ACCESS_KEY_ID=AKIA\u2026");
    CHECK(f["path"] == "a.env");
    CHECK(f["line"] == 1);
    CHECK(f["column"] == 19);
    CHECK(f["fingerprint"] == "2fa2365f67b20a87d6315a318a663c6ac625bd3cfc57acae443f48d9f972d69e");
    CHECK(j["stats"]["scanned"] == 1);
}

TEST_CASE("scan reads standard input with -", "[cli]")
{
    const auto r = secretscan({"--no-redact", "-q", "scan", "-"}, "", {}, "line one\nkey: " + key_id + "\n");
    CHECK(r.exit_code == 1);
    CHECK(r.out == "-:2:6: aws-access-key-id: " + key_id + "\n");
}

TEST_CASE("scan skips what .gitignore ignores inside a work tree, and binary files", "[cli]")
{
    TempDir d;
    testing::git_init(d.path());
    write_file(d / ".gitignore", "build/\n*.log\n");
    write_file(d / "build/out.txt", key_id + "\n");
    write_file(d / "debug.log", key_id + "\n");
    write_file(d / "kept.txt", key_id + "\n");
    write_file(d / "image.bin", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\0\0\0", 22) + key_id);
    const auto j = scan_json({"scan"}, d.path());
    CHECK(locations(j) == Locs{"kept.txt:1:1:aws-access-key-id"});
    REQUIRE(j["stats"]["skipped"].size() == 1);
    CHECK(j["stats"]["skipped"][0]["name"] == "image.bin");
    CHECK(locations(scan_json({"scan", "--no-ignore"}, d.path())) ==
          Locs{"build/out.txt:1:1:aws-access-key-id", "debug.log:1:1:aws-access-key-id", "kept.txt:1:1:aws-access-key-id"});
    const auto verbose = secretscan({"-v", "scan"}, d.path());
    CHECK(verbose.err.find("\nsecretscan: skipped image.bin: binary (NUL byte in the first 8000 bytes)\n") != std::string::npos);
    CHECK(verbose.err.find("\nsecretscan: the filter chain dropped 0 matches\n") != std::string::npos);
}

TEST_CASE("files larger than --max-file-size are skipped and listed", "[cli]")
{
    TempDir d;
    write_file(d / "big.txt", std::string(100, 'x') + "\n" + key_id + "\n");
    const auto j = scan_json({"--max-file-size", "50", "scan", "big.txt"}, d.path(), 0);
    CHECK(j["findings"].empty());
    CHECK(j["stats"]["skipped"][0]["reason"] == "larger than --max-file-size (122 bytes; the limit is 50)");
    // Without -v, skipped inputs are counted by kind.
    write_file(d / "bigger.txt", std::string(200, 'y') + "\n");
    const auto r = secretscan({"--max-file-size", "50", "scan", "big.txt", "bigger.txt"}, d.path());
    CHECK(r.exit_code == 0);
    CHECK(r.err == "secretscan: skipped 2 larger than --max-file-size (-v names each)\n");
}

TEST_CASE("inline allow markers suppress a finding on their line", "[cli]")
{
    TempDir d;
    write_file(d / "a.txt", "a = " + key_id + "  # secretscan:allow\nb = " + key_id + " // gitleaks:allow\nc = " + key_id +
                                "  # pragma: allowlist secret\nd = " + key_id + "\n");
    CHECK(locations(scan_json({"scan", "a.txt"}, d.path())) == Locs{"a.txt:4:5:aws-access-key-id"});
}

TEST_CASE("rules list, check and explain", "[cli]")
{
    const auto list = secretscan({"rules", "list"});
    CHECK(list.exit_code == 0);
    CHECK(list.out.find("aws-access-key-id") != std::string::npos);
    const auto check = secretscan({"rules", "check"});
    CHECK(check.exit_code == 0);
    CHECK(check.out.find(" examples checked, 0 failures\n") != std::string::npos);
    const auto explain = secretscan({"rules", "explain", "aws-access-key-id"});
    CHECK(explain.exit_code == 0);
    CHECK(explain.out.find("Deactivate (do not delete) the leaked key.") != std::string::npos);
    CHECK(explain.out.find("\nKeywords: akia asia abia acca a3t\nDefined:  patterns/aws.yaml:3\n") != std::string::npos);
    CHECK(explain.out.find("\nValidator: aws-key-id (a match that fails it is not reported)\n\nWhat an attacker can do with it:\n"
                           "With the key ID and its secret access key anyone can call AWS as that IAM user or role: launch\n") !=
          std::string::npos);
    // A rule without its own impact text gets its family's.
    CHECK(secretscan({"rules", "explain", "stripe-secret-key"}).out.find("What an attacker can do with it:\nRead customer, order and payment data") !=
          std::string::npos);
    CHECK(secretscan({"rules", "explain", "nope"}).exit_code == 2);

    TempDir d;
    write_file(d / "p.yaml", "rules:\n  - id: weak\n    regex: '(wk_[0-9]+)'\n    keywords: [wk_]\n"
                             "    examples: ['wk_1']\n    negative_examples: ['wk_2']\n");
    const auto bad = secretscan({"rules", "check", "p.yaml"}, d.path());
    CHECK(bad.exit_code == 1);
    CHECK(bad.out == "p.yaml:6:25: rule weak: negative example produces a finding: wk_2\n1 rules, 2 examples checked, 1 failure\n");
    // An example without a finding says which step of the engine dropped it.
    write_file(d / "why.yaml", "rules:\n  - id: acme-key\n    regex: (acme_[A-Za-z0-9]{12})\n    keywords: [acme_]\n    entropy: 3\n"
                               "    examples: ['k=acme_xxxxQ7bLm2Zp', 'k=acme_aaaaaaaaaaaa']\n    negative_examples: [x]\n"
                               "  - id: acme-jwt\n    regex: (eyJ[A-Za-z0-9_.-]{20,})\n    keywords: [eyJ]\n    validate: jwt\n"
                               "    examples: ['t=eyJub3QiOiJhIEpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.Qm9vX2tKb3pXc1hYd2E']\n    negative_examples: [x]\n");
    const auto why = secretscan({"--no-builtin", "rules", "check", "why.yaml"}, d.path());
    CHECK(why.exit_code == 1);
    CHECK(why.out == "why.yaml:6:16: rule acme-key: example produces no finding (the shared filter drops the secret as placeholder: it "
                     "contains 'xxxx' (docs/rules.md, \"Shared filter\")): k=acme_xxxxQ7bLm2Zp\n"
                     "why.yaml:6:39: rule acme-key: example produces no finding (the secret's entropy 1.25 is below the floor 3.00): "
                     "k=acme_aaaaaaaaaaaa\n"
                     "why.yaml:12:16: rule acme-jwt: example produces no finding (the jwt validator fails: header has no \"alg\"): "
                     "t=eyJub3QiOiJhIEpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.Qm9vX2tKb3pXc1hYd2E\n"
                     "2 rules, 5 examples checked, 3 failures\n");
    // Repeatable options take one value: the paths after them are still paths.
    write_file(d / "acme.yaml", "rules:\n  - id: acme-key\n    regex: '(acme_[0-9]{8})'\n    keywords: [acme_]\n");
    write_file(d / "app.env", "K=acme_40815162\n");
    const auto own = secretscan({"-q", "scan", "--no-builtin", "--rules", "acme.yaml", "app.env", "--disable-rule", "nope-not-loaded"}, d.path());
    CHECK(own.err == "secretscan: error: --disable-rule nope-not-loaded: no loaded rule has this id (see 'secretscan rules list')\n");
    const auto own2 = secretscan({"-q", "scan", "--no-builtin", "--rules", "acme.yaml", "app.env"}, d.path());
    CHECK(own2.out == "app.env:1:3: acme-key: acme\u2026\n");
    // A duplicate id and an unknown validator are errors with the place to fix.
    write_file(d / "dup.yaml", "rules:\n  - id: twice\n    regex: 'tw_[0-9]{8}'\n    keywords: [tw_]\n"
                               "  - id: twice\n    regex: 'tx_[0-9]{8}'\n    keywords: [tx_]\n");
    const auto dup = secretscan({"rules", "check", "dup.yaml"}, d.path());
    CHECK(dup.exit_code == 2);
    CHECK(dup.err == "secretscan: error: dup.yaml:5:5: rule twice: duplicate id, first defined at dup.yaml:2:5; rename one of them\n");
    write_file(d / "val.yaml", "rules:\n  - id: crc\n    regex: 'tw_[0-9]{8}'\n    keywords: [tw_]\n    validate: luhn\n");
    const auto val = secretscan({"rules", "check", "val.yaml"}, d.path());
    CHECK(val.exit_code == 2);
    CHECK(val.err == "secretscan: error: val.yaml:5:15: rule crc: unknown validator 'luhn' (known: github-crc32, npm-crc32, aws-key-id, jwt, pem)\n");
}

TEST_CASE("the demo plants credentials, scans its history and finds them all", "[cli]")
{
    const auto r = secretscan({"demo"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("config/app.env:3:19: aws-access-key-id: AKIA\u2026 (AWS account 058264208051) (commit ") != std::string::npos);
    CHECK(r.out.find("Demo passed: all 4 planted credentials were found (4 findings).") != std::string::npos);
}

TEST_CASE("the minimum confidence option drops findings of less confident rules", "[cli]")
{
    TempDir d;
    // aws-access-key-id is high, password-assignment medium, aws-iam-unique-id low.
    write_file(d / "a.txt", "k = " + key_id + "\ndb_password = \"Zx8Qp2LmQ7vR4tWs\"\nuser AIDA" "ER28UISCXD939M0L\n");
    CHECK(locations(scan_json({"scan", "a.txt"}, d.path())) ==
          Locs{"a.txt:1:5:aws-access-key-id", "a.txt:2:16:password-assignment", "a.txt:3:6:aws-iam-unique-id"});
    CHECK(locations(scan_json({"--min-confidence", "medium", "scan", "a.txt"}, d.path())) ==
          Locs{"a.txt:1:5:aws-access-key-id", "a.txt:2:16:password-assignment"});
    CHECK(locations(scan_json({"--min-confidence", "high", "scan", "a.txt"}, d.path())) == Locs{"a.txt:1:5:aws-access-key-id"});
    CHECK(secretscan({"--min-confidence", "very", "scan", "a.txt"}, d.path()).err ==
          "secretscan: error: --min-confidence very: expected low, medium or high\n");
}

TEST_CASE("explain-drops: the scan says where each dropped match is, its rule, the step and why", "[cli]")
{
    TempDir d;
    write_file(d / "app.env", "# settings\nDB_PASSWORD=${DB_PASSWORD}\nAPI_TOKEN=user_token_field\n");
    const auto r = secretscan({"--explain-drops", "--quiet", "scan", "app.env"}, d.path());
    CHECK(r.exit_code == 0);
    CHECK(r.err ==
          "secretscan: dropped app.env:2:13: rule password-assignment, step shared-filter: the shared filter drops the secret as "
          "template: it contains the template marker '${' (docs/rules.md, \"Shared filter\")\n"
          "secretscan: dropped app.env:3:11: rule generic-secret-assignment, step value: the value test: it reads as words or an "
          "identifier\n");
    CHECK(secretscan({"--quiet", "scan", "app.env"}, d.path()).err.empty());
}

TEST_CASE("scan: of a .git folder only its config is read, for credentials in remote URLs and headers", "[cli]")
{
    TempDir d;
    write_file(d / ".git/config", "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = https://ops:Kv8mQ2!zLw9x@git.corp.lan/app.git\n");
    write_file(d / ".git/COMMIT_EDITMSG", "password = Tr0ub4dor&3xQ\n"); // never read
    write_file(d / "app.env", "DB_PASSWORD=Xq9$wLm4TzP\n");
    CHECK(locations(scan_json({"scan", "."}, d.path())) == Locs{".git/config:4:20:url-credentials", "app.env:1:13:password-assignment"});
}

TEST_CASE("URL credentials: percent-encoded passwords are decoded, '@' may sit inside one, several hosts, URL-safe user names", "[cli]")
{
    TempDir d;
    write_file(d / "app.env", "DATABASE_URL=postgres://app_user:D1fficultP%40ssw0rd@db.internal:5432/app\n"
                              "MONGO_URL=mongodb://svc.reporting_ro-4:Oc3@nChic4go!@m1.internal:27017,m2.internal:27017/app?replicaSet=rs0\n"
                              "MAILER_DSN=smtp://kenji.rossi%40wonka.corp:Adm1n1990%21@smtp.internal:587\n");
    const auto report = scan_json({"--no-redact", "scan", "app.env"}, d.path());
    CHECK(locations(report) == Locs{"app.env:1:34:postgres-connection-string", "app.env:2:40:mongodb-connection-string",
                                    "app.env:3:44:url-credentials"});
    const auto& f = report.at("findings");
    CHECK(f[0].at("secret") == "D1fficultP@ssw0rd");
    CHECK(f[0].at("decoder") == "percent");
    CHECK(f[1].at("secret") == "Oc3@nChic4go!");
    CHECK(!f[1].contains("decoder")); // nothing decoded, nothing said
    CHECK(f[2].at("secret") == "Adm1n1990!");
}

TEST_CASE("decoders: base64 and hex values are decoded and scanned again and found at the encoded text", "[cli]")
{
    TempDir d;
    const std::string pem = "-----BEGIN EC PRIVATE KEY-----\n"
                            "MHcCAQEEIBq3oWJ8vZ0r1Xy7Qp2mKsT4eLh9dNcAf6uGbRiVwHoYoAoGCCqGSM49\n"
                            "AwEHoUQDQgAE7tJm3Yx0c9bQ5nR8sWkLp1vH2aZfE4gUiXoD6yNqCwMeT3rBs5Kd\n"
                            "Vh8jPz0lAuGfYc2QnOiR7xSbWtEmL4kH9pJ1aDqZ6w==\n"
                            "-----END EC PRIVATE KEY-----\n";
    const std::string pem64 = testing::base64_of(pem), config64 = testing::base64_of(R"({"db":{"user":"app","password":"Vq8#nL2wzR"}})");
    write_file(d / "deploy.env", "# CI\nSIGNING_KEY_B64=" + pem64 + "\nAPP_CONFIG=" + config64 + "\n");
    // hex of postgres://app:Vq8mQ2zLw9@db:5432/app
    write_file(d / "db.properties", "db.url.hex=706f7374677265733a2f2f6170703a5671386d51327a4c77394064623a353433322f617070\n");
    write_file(d / "trust.properties", "truststore.password.hex=547230756234646f72263378\n"); // the key does: reported as written
    write_file(d / "next.env", "NEXT_URL=https%3A%2F%2Fdeploy%3AVq8mQ2zLw9%40git.corp.lan%2Fapp\n");
    std::string yaml = "tls:\n  key: |\n";
    for (std::size_t i = 0; i < pem64.size(); i += 76) yaml += "    " + pem64.substr(i, 76) + "\n"; // as `base64` wraps
    write_file(d / "values.yaml", yaml);
    const auto report = scan_json({"--no-redact", "scan", "."}, d.path());
    CHECK(locations(report) == Locs{"db.properties:1:12:postgres-connection-string", "deploy.env:2:17:private-key-ec",
                                    "deploy.env:3:12:password-assignment", "next.env:1:10:url-credentials",
                                    "trust.properties:1:25:password-assignment", "values.yaml:3:5:private-key-ec"});
    const auto& f = report.at("findings");
    CHECK(f[0].at("decoder") == "hex");
    CHECK(f[0].at("secret") == "Vq8mQ2zLw9");
    CHECK(f[1].at("decoder") == "base64");
    CHECK(f[2].at("decoder") == "base64");
    CHECK(f[2].at("secret") == "Vq8#nL2wzR");
    CHECK(f[3].at("decoder") == "percent");
    CHECK(f[3].at("secret") == "Vq8mQ2zLw9");
    CHECK(!f[4].contains("decoder")); // the key names the hex value a password: reported as written
    CHECK(f[4].at("secret") == "547230756234646f72263378");
    CHECK(f[5].at("decoder") == "base64");
}

TEST_CASE("a format rule's extractor that finds no secret is deferred to: Docker's credential-helper auth", "[cli]")
{
    TempDir d;
    // base64 of "00000000-0000-0000-0000-000000000000:": the placeholder Docker writes beside an identity token
    write_file(d / ".docker/config.json", "{\"auths\": {\"acr.corp.lan\": {\"auth\": \"MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAwOg==\"}}}\n");
    const auto r = secretscan({"--explain-drops", "--quiet", "scan", "."}, d.path());
    CHECK(r.exit_code == 0);
    CHECK(r.err == "secretscan: dropped .docker/config.json:1:38: rule credential-assignment, step overlap: rule docker-config-auth judged "
                   "this value and rejected it\n"
                   "secretscan: dropped .docker/config.json:1:38: rule docker-config-auth, step extract: the base64-userpass extractor "
                   "finds no secret: its base64 is not user:password\n");
}

TEST_CASE("cli: gitleaks habits: --exit-code N, and end_column and entropy in JSON", "[cli]")
{
    TempDir d;
    write_file(d / "a.env", std::string("AWS_ACCESS_KEY_ID=AKIA") + "IDVWTFKTANGPVYQE\n");
    CHECK(secretscan({"-q", "--exit-code", "7", "scan", "a.env"}, d.path()).exit_code == 7);
    CHECK(secretscan({"-q", "--exit-code", "7", "--exit-zero", "scan", "a.env"}, d.path()).exit_code == 0);
    write_file(d / "clean.txt", "nothing\n");
    CHECK(secretscan({"-q", "--exit-code", "7", "scan", "clean.txt"}, d.path()).exit_code == 0);
    const auto bad = secretscan({"--exit-code", "300", "scan", "a.env"}, d.path());
    CHECK(bad.exit_code == 2);
    CHECK(bad.err == "secretscan: error: --exit-code: Value 300 not in range 0 to 125\nRun 'secretscan --help' for usage.\n");
    const auto j = scan_json({"scan", "a.env"}, d.path());
    REQUIRE(j["findings"].size() == 1);
    CHECK(j["findings"][0]["column"] == 19);
    CHECK(j["findings"][0]["end_column"] == 38); // the 20th character of the key
    CHECK(j["findings"][0]["entropy"] == 3.684);
}

namespace {
/// Runs `command` (a shell line) on a pseudo-terminal (util-linux script): what the terminal
/// shows, standard output and standard error together.
testing::RunResult on_terminal(const std::string& command, const std::string& cwd)
{
    return testing::run({"script", "-qec", command, "/dev/null"}, cwd, {"TERM=xterm"});
}
} // namespace

TEST_CASE("progress: a history scan on a terminal shows objects, bytes, rate and time left on stderr, then clears it", "[cli]")
{
    TempDir d;
    testing::git_init(d / "r");
    write_file(d / "r/a.txt", "alpha\n");
    write_file(d / "r/b.txt", "beta beta\n");
    testing::sh("git add . && git commit -qm one", d / "r");
    const std::string bin = SECRETSCAN_BINARY;
    const auto shown = on_terminal(bin + " history --format json -o report.json", d / "r");
    INFO(shown.out);
    CHECK(shown.exit_code == 0);
    // Each line starts at the line's beginning and erases what a longer one left; the last
    // clears the line before the summary.
    CHECK(shown.out.find("\rsecretscan: finding the blobs to scan...\033[K") == 0);
    CHECK(shown.out.find("\rsecretscan: 0/2 blobs (0%), 0 bytes\033[K") != std::string::npos);
    CHECK(shown.out.find("\r\033[Ksecretscan history: 0 findings; scanned 2 blobs (16 bytes)") != std::string::npos);
    // The report file holds no progress.
    CHECK(testing::read_file(d / "r/report.json").find("secretscan: ") == std::string::npos);

    // Off with -q, off when stderr is not a terminal, off when jsonl findings stream to the terminal.
    CHECK(on_terminal(bin + " history -q --format json -o report.json", d / "r").out.empty());
    CHECK(on_terminal(bin + " history --format json -o report.json 2>err.log", d / "r").exit_code == 0);
    CHECK(testing::read_file(d / "r/err.log").find('\r') == std::string::npos);
    CHECK(testing::read_file(d / "r/err.log").find("secretscan history: 0 findings") == 0);
    CHECK(on_terminal(bin + " history --format jsonl", d / "r").out.find("\rsecretscan: ") == std::string::npos);
    // A directory scan shows it too, in files.
    CHECK(on_terminal(bin + " scan -o report.json --format json .", d / "r").out.find("\rsecretscan: 0/") != std::string::npos);
}
