// Hardening (issue 14): inputs that used to exhaust memory, crash or pass silently.
#include "../support.hpp"

#include <secretscan/error.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>


using testing::TempDir;

namespace {
const std::string aws_key = std::string("AKIA") + "IDVWTFKTANGPVYQE";

/// `secretscan scan NAME` in a fresh folder holding one file NAME with `content`.
testing::RunResult scan_one(const std::string& name, const std::string& content)
{
    TempDir d;
    testing::write_file(d / name, content);
    return testing::secretscan({"scan", name}, d.path());
}
}

TEST_CASE("hardening: an endless device stops at --max-file-size and is listed as skipped", "[hardening]")
{
    // /dev/zero has no size to check first: it is read in blocks up to the limit, then skipped.
    const auto r = testing::secretscan({"scan", "-v", "--max-file-size", "100000", "/dev/zero"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("secretscan: skipped /dev/zero: larger than --max-file-size (more than 100000 bytes)\n") != std::string::npos);
    CHECK((r.out + r.err).find("scanned 0 files (0 bytes), skipped 1") != std::string::npos);
}

TEST_CASE("hardening: standard input is bounded by --max-file-size and read in blocks", "[hardening]")
{
    // More than the limit: skipped and said, nothing scanned.
    const auto big = testing::secretscan({"scan", "-v", "--max-file-size", "1000", "-"}, "", {}, std::string(5000, 'a') + aws_key + "\n");
    INFO(big.err);
    CHECK(big.exit_code == 0);
    CHECK(big.err.find("secretscan: skipped -: larger than --max-file-size (more than 1000 bytes)\n") != std::string::npos);
    // A key across the first 64 KiB block boundary is found whole, at its place.
    const std::string filler(65536 - 10, 'x');
    const auto r = testing::secretscan({"scan", "-"}, "", {}, "line one\n" + filler.substr(9) + "\nk=" + aws_key + "\n");
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("-:3:3: aws-access-key-id: AKIA\u2026\n") == 0);
    // `message` on a pipe or a device is bounded the same way (it used to read /dev/zero until
    // memory ran out); a message file is read whole, as git commits it.
    const auto zero = testing::secretscan({"message", "-v", "--max-file-size", "1M", "/dev/zero"});
    CHECK(zero.exit_code == 0);
    CHECK(zero.err.find("secretscan: skipped /dev/zero: larger than --max-file-size (more than 1048576 bytes)\n") != std::string::npos);
    const auto piped = testing::secretscan({"message", "/dev/stdin"}, "", {}, "subject " + aws_key + "\n");
    CHECK(piped.exit_code == 1);
    CHECK(piped.out.find("/dev/stdin:1:9: aws-access-key-id: AKIA\u2026") == 0);
}

TEST_CASE("hardening: a git-secrets pattern with a huge repetition count is an error naming it, not a crash", "[hardening][git-secrets]")
{
    TempDir d;
    testing::git_init(d.path());
    testing::write_file(d / "f.txt", "aaa\n");
    testing::sh("git config --add secrets.patterns 'a{99999999999999999999}'", d.path());
    std::filesystem::create_symlink(SECRETSCAN_BINARY, d / "git-secrets"); // the drop-in is the binary under that name
    const auto r = testing::run({d / "git-secrets", "--scan", "f.txt"}, d.path());
    CHECK(r.exit_code == 2);
    CHECK(r.err == "git-secrets: pattern 'a{99999999999999999999}': repetition count {99999999999999999999} is larger than 1000 "
                   "(RE2's limit); use a smaller count\n");
}

TEST_CASE("hardening: CSV cells a spreadsheet would run as formulas are neutralised", "[hardening][reports]")
{
    TempDir d;
    testing::write_file(d / "=HYPERLINK(1)", "k=" + aws_key + "\n");
    testing::write_file(d / "@SUM(1)", "k=" + aws_key + "\n");
    testing::write_file(d / "plain", "k=" + aws_key + "\n");
    const auto r = testing::secretscan({"--format", "csv", "scan", "."}, d.path());
    CHECK(r.exit_code == 1);
    const std::string rest = ",file,1,3,AKIA\u2026,,,,1,true,false,";
    CHECK(r.out.find("\r\naws-access-key-id,'=HYPERLINK(1)" + rest) != std::string::npos);
    CHECK(r.out.find("\r\naws-access-key-id,'@SUM(1)" + rest) != std::string::npos);
    CHECK(r.out.find("\r\naws-access-key-id,plain" + rest) != std::string::npos);
}

TEST_CASE("hardening: --max-file-size takes bytes or K, M, G and refuses anything else", "[hardening][cli]")
{
    TempDir d;
    testing::write_file(d / "big.txt", std::string(2000, 'a') + "\n");
    const auto k = testing::secretscan({"-v", "--max-file-size", "1K", "scan", "big.txt"}, d.path());
    CHECK(k.exit_code == 0);
    CHECK(k.err.find("secretscan: skipped big.txt: larger than --max-file-size (2001 bytes; the limit is 1024)\n") != std::string::npos);
    const auto m = testing::secretscan({"-v", "--max-file-size", "2kib", "scan", "big.txt"}, d.path());
    CHECK(m.err.find("skipped big.txt") == std::string::npos);
    // "-1" used to wrap to 2^64 - 1: no limit at all.
    for (const std::string bad : {"-1", "1.5M", "10 M", "99999999999999999999", "17179869184G", "M"}) {
        const auto r = testing::secretscan({"--max-file-size", bad, "scan", "big.txt"}, d.path());
        INFO(bad);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("secretscan: error: --max-file-size: '" + bad + "' is not a size: give bytes, or a number with K, M or G (10M)\n") == 0);
    }
}

TEST_CASE("hardening: control bytes from files and packs never reach the terminal raw", "[hardening][cli]")
{
    // A file name with an escape sequence that would clear the screen.
    const auto r = scan_one("a\033[2Jb.txt", "k=" + aws_key + "\n");
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("a\\x1b[2Jb.txt:1:3: aws-access-key-id: AKIA\u2026\n") == 0);
    // A file name that a glob put on the command line, in an argument error.
    const auto arg = testing::secretscan({"scan", "--\x1b[2J\x1b]0;pwned\x07x"});
    CHECK(arg.exit_code == 2);
    CHECK(arg.err.find('\x1b') == std::string::npos);
    CHECK(arg.err.find("--\\x1b[2J\\x1b]0;pwned\\x07x") != std::string::npos);
    // --explain-drops names the file too.
    TempDir ed;
    testing::write_file(ed / "x\x1b]0;t\x07.txt", "k=" + aws_key + " secretscan:allow\n");
    const auto drops = testing::secretscan({"--explain-drops", "scan", "."}, ed.path());
    CHECK(drops.err.find("secretscan: dropped x\\x1b]0;t\\x07.txt:1:3: rule aws-access-key-id") != std::string::npos);
    CHECK(drops.err.find('\x1b') == std::string::npos);
    // A committed configuration's missing baseline, in the warning.
    TempDir g;
    testing::git_init(g.path());
    testing::write_file(g / ".secretscan.yaml", "baseline: \"b\\e[2J\\u009bx\"\n");
    const auto warned = testing::secretscan({"scan", ".secretscan.yaml"}, g.path());
    CHECK(warned.err.find('\x1b') == std::string::npos);
    CHECK(warned.err.find("/b\\x1b[2J\\x9bx does not exist") != std::string::npos);
    // A NUL in a rule id used to cut the error message short; an ESC recoloured the terminal.
    // A pack error now leaves out an id that is not printable...
    TempDir d;
    testing::write_file(d / "pack.yaml", "rules:\n  - id: \"ab\\0cd\\e[31m\"\n    name: x\n    regex: 'x'\n");
    const auto bad = testing::secretscan({"--rules", "pack.yaml", "scan", "pack.yaml"}, d.path());
    CHECK(bad.exit_code == 2);
    CHECK(bad.err == "secretscan: error: pack.yaml:2:5: an id is lowercase kebab-case ([a-z0-9-], starting with a letter)\n");
    // ...and every error message escapes what control bytes reach it, newlines and tabs aside.
    const secretscan::Error e(secretscan::ErrorKind::config, std::string("rule ab\0cd\x1b[31m\x7f\xc2\x9b:\n\tx", 22));
    CHECK(std::string(e.what()) == "rule ab\\x00cd\\x1b[31m\\x7f\\x9b:\n\tx");
}

TEST_CASE("hardening: history of a repository whose tip commit is missing is an error, not a clean pass", "[hardening][history]")
{
    TempDir d;
    testing::git_init(d.path());
    testing::sh("echo one > f && git add f && git commit -qm one && echo two > f && git commit -qam two", d.path());
    const std::string tip = testing::git({"rev-parse", "HEAD"}, d.path()).out.substr(0, 40);
    std::filesystem::remove(d / (".git/objects/" + tip.substr(0, 2) + "/" + tip.substr(2)));
    // It used to say "warning: no commits to scan" and exit 0, where git says "fatal: bad object".
    const auto r = testing::secretscan({"history"}, d.path());
    CHECK(r.exit_code == 3);
    CHECK(r.err == "secretscan: error: ref refs/heads/main points to " + tip + ", which cannot be read (object not found - no match for id (" +
                       tip + ")): the repository is damaged; git fsck says what is missing\n");
    // Named in a range: the same error, not "unknown revision" (the ref exists; its object does not).
    const auto named = testing::secretscan({"history", "main"}, d.path());
    CHECK(named.exit_code == 3);
    CHECK(named.err == r.err);
}

TEST_CASE("hardening: staged in a repository whose HEAD commit is missing is an error, not a first commit", "[hardening][staged]")
{
    TempDir d;
    testing::git_init(d.path());
    testing::sh("echo one > f && git add f && git commit -qm one && echo two > g && git add g", d.path());
    const std::string tip = testing::git({"rev-parse", "HEAD"}, d.path()).out.substr(0, 40);
    std::filesystem::remove(d / (".git/objects/" + tip.substr(0, 2) + "/" + tip.substr(2)));
    const auto r = testing::secretscan({"staged"}, d.path());
    CHECK(r.exit_code == 3);
    CHECK(r.err == "secretscan: error: HEAD cannot be read (object not found - no match for id (" + tip +
                       ")): the repository is damaged; git fsck says what is missing\n");
}

TEST_CASE("hardening: a NUL byte in a commit or tag message hides nothing after it", "[hardening][history]")
{
    // libgit2's message accessors stop at the NUL; git fast-import writes such messages.
    TempDir d;
    testing::git_init(d.path());
    testing::sh("echo a > a && git add a && git commit -qm a && "
                "c=$(printf 'tree %s\\nparent %s\\nauthor t <t@t> 1 +0000\\ncommitter t <t@t> 1 +0000\\n\\nsubject\\n\\0key=%s\\n' "
                "$(git rev-parse HEAD^{tree}) $(git rev-parse HEAD) " + aws_key + " | git hash-object -t commit -w --literally --stdin) && "
                "git update-ref refs/heads/n $c",
                d.path());
    const auto r = testing::secretscan({"history"}, d.path());
    CHECK(r.exit_code == 1);
    CHECK(r.out.find(" message:2:6: aws-access-key-id: AKIA\u2026") != std::string::npos);
}

TEST_CASE("hardening: a UTF-16 file with plain text appended hides nothing", "[hardening][text]")
{
    // A PowerShell profile saved as UTF-16, then `echo KEY=... >> file`.
    const std::string utf16 = std::string("\xff\xfe") + std::string("$\0e\0n\0v\0:\0R\0=\0e\0u\0\r\0\n\0", 22);
    const auto r = scan_one("settings.txt", utf16 + "AWS_ACCESS_KEY_ID=" + aws_key + "\r\n");
    CHECK(r.exit_code == 1);
    INFO(r.out);
    CHECK(r.out.find("settings.txt:2:20: aws-access-key-id: AKIA\u2026") == 0);
}

TEST_CASE("hardening: a truncated loose ref is an error, not a branch passed over", "[hardening][history]")
{
    // libgit2's ref iterator skips a loose ref it cannot parse: the commits only that branch
    // holds went unscanned, exit 0, where git says "fatal: bad object".
    TempDir d;
    testing::git_init(d.path());
    testing::sh("echo hi > a && git add a && git commit -qm a && git checkout -qb leak && printf 'k=%s\\n' " + aws_key +
                    " > s && git add s && git commit -qm s && git checkout -q main && "
                    "cut -c1-39 .git/refs/heads/leak > t && mv t .git/refs/heads/leak",
                d.path());
    const auto r = testing::secretscan({"history"}, d.path());
    CHECK(r.exit_code == 3);
    CHECK(r.err == "secretscan: error: ref refs/heads/leak cannot be read (corrupted loose reference file: refs/heads/leak): the repository is "
                   "damaged; repair or delete the ref (git update-ref -d refs/heads/leak)\n");
}

TEST_CASE("hardening: a finding's line never shows another secret, allowlisted or cut, in clear", "[hardening][reports]")
{
    TempDir d;
    const std::string secret_key = "wJalrXUtnFEMIK7MDENGbPxRfiCYzq3x9Kq2Vb8L";
    // The access key id is allowlisted by the configuration: not reported, yet still a secret
    // on the line of the secret key's finding.
    testing::write_file(d / "allow.yaml", "allowlist:\n  secrets: ['^AKIAIDVW']\n");
    testing::write_file(d / "a.env", "AWS_ACCESS_KEY_ID=" + aws_key + " aws_secret_access_key=\"" + secret_key + "\"\n");
    const auto report = testing::scan_json({"--config", "allow.yaml", "scan", "a.env"}, d.path());
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["rule_id"] == "aws-secret-access-key");
    CHECK(report["findings"][0]["line_text"] == "AWS_ACCESS_KEY_ID=AKIA\u2026 aws_secret_access_key=\"wJal\u2026\"");
    // The same secret written again where no rule matches it is redacted too (a review found
    // `echo $KEY` and `# old value was ...` in clear).
    testing::write_file(d / "b.sh", "export AWS_SECRET_ACCESS_KEY=" + secret_key + "; echo " + secret_key + "\n");
    testing::write_file(d / "c.txt", "keys=\"" + aws_key + "\\n" + aws_key + "\"\n");
    const auto again = testing::scan_json({"scan", "b.sh", "c.txt"}, d.path());
    REQUIRE(again["findings"].size() == 2);
    CHECK(again["findings"][0]["line_text"] == "export AWS_SECRET_ACCESS_KEY=wJal\u2026; echo wJal\u2026");
    CHECK(again["findings"][1]["line_text"] == "keys=\"AKIA\u2026\\nAKIA\u2026\"");

    // A one-line service-account JSON: its 1,600-byte private key runs past the 1,000 bytes kept
    // of the line; none of it shows beyond its first four characters.
    std::string der;
    for (int i = 0; i < 1200; ++i) der += static_cast<char>((i * 37 + 11) % 256);
    const std::string body = testing::base64_of(der);
    std::string pem = "-----BEGIN PRIVATE KEY-----\\n";
    for (std::size_t at = 0; at < body.size(); at += 64) pem += body.substr(at, 64) + "\\n";
    pem += "-----END PRIVATE KEY-----\\n";
    testing::write_file(d / "sa.json", "{\"type\": \"service_account\", \"project_id\": \"demo-1234\", \"private_key_id\": \"" +
                                           std::string(40, 'a') + "\", \"private_key\": \"" + pem +
                                           "\", \"client_email\": \"svc@demo-1234.iam.gserviceaccount.com\"}\n");
    const auto sa = testing::scan_json({"scan", "sa.json"}, d.path());
    REQUIRE(sa["findings"].size() == 1);
    const std::string line = sa["findings"][0]["line_text"];
    CHECK(line.size() <= 1000);
    CHECK(line.find("\"private_key\": \"----\u2026") != std::string::npos);
    for (std::size_t at = 0; at + 12 <= body.size(); at += 12) {
        INFO("a piece of the key at " << at);
        CHECK(line.find(body.substr(at, 12)) == std::string::npos);
    }
}

TEST_CASE("hardening: a rule switched off still has its secrets redacted from other findings' lines", "[hardening][reports]")
{
    TempDir d;
    const std::string secret_key = "wJalrXUtnFEMIK7MDENGbPxRfiCYzq3x9Kq2Vb8L";
    testing::write_file(d / "a.env", "AWS_ACCESS_KEY_ID=" + aws_key + " aws_secret_access_key=\"" + secret_key + "\"\n");
    const std::string expected = "AWS_ACCESS_KEY_ID=AKIA\u2026 aws_secret_access_key=\"wJal\u2026\"";
    // A committed configuration that disables the access key id's rule.
    testing::git_init(d.path());
    testing::write_file(d / ".secretscan.yaml", "disable: [aws-access-key-id]\n");
    auto report = testing::scan_json({"scan", "a.env"}, d.path());
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["rule_id"] == "aws-secret-access-key");
    CHECK(report["findings"][0]["line_text"] == expected);
    // The same from the command line.
    std::filesystem::remove(d / ".secretscan.yaml");
    report = testing::scan_json({"--disable-rule", "aws-access-key-id", "scan", "a.env"}, d.path());
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["line_text"] == expected);
    // --no-builtin with a pack of the user's own that finds only the secret key.
    testing::write_file(d / "own.yaml", "rules:\n  - id: own-secret\n    name: Own secret\n    regex: 'aws_secret_access_key=\"([A-Za-z0-9/+]{40})\"'\n"
                                        "    keywords: [aws_secret_access_key]\n");
    report = testing::scan_json({"--no-builtin", "--rules", "own.yaml", "scan", "a.env"}, d.path());
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["rule_id"] == "own-secret");
    CHECK(report["findings"][0]["line_text"] == expected);
    // Written in base64 or hex, the switched-off rule's secret is redacted as a whole span.
    testing::write_file(d / "b.env", "x = \"" + testing::base64_of(aws_key) + "\" aws_secret_access_key=\"" + secret_key + "\"\n");
    report = testing::scan_json({"--disable-rule", "aws-access-key-id", "scan", "b.env"}, d.path());
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["line_text"] == "x = \"QUtJ\u2026\" aws_secret_access_key=\"wJal\u2026\"");
}

TEST_CASE("hardening: two bytes FF FE before UTF-8 text do not hide its secrets", "[hardening][text]")
{
    const auto r = scan_one("bom.txt", "\xFF\xFEpassword=x\nk=" + aws_key + "\n");
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("bom.txt:2:3: aws-access-key-id: AKIA\u2026\n") == 0);
}

TEST_CASE("hardening: JSON, SARIF, GitLab and JUnit reports escape C1 controls and line separators", "[hardening][reports]")
{
    TempDir d;
    // U+009B (CSI, "\xc2\x9b") starts a terminal control sequence; U+2028 ends a JavaScript line.
    testing::write_file(d / "a.env", "x=\xc2\x9b" "2J\xe2\x80\xa8 k=" + aws_key + "\n");
    for (const std::string format : {"json", "jsonl", "sarif", "gitlab"}) {
        INFO(format);
        const auto r = testing::secretscan({"--format", format, "scan", "a.env"}, d.path());
        CHECK(r.exit_code == 1);
        CHECK(r.out.find("\xc2\x9b") == std::string::npos);
        CHECK(r.out.find("\xe2\x80\xa8") == std::string::npos);
        CHECK(r.out.find("x=\\u009b2J\\u2028 k=AKIA\u2026") != std::string::npos);
        if (format != "jsonl") CHECK_NOTHROW(nlohmann::json::parse(r.out));
    }
    const auto junit = testing::secretscan({"--format", "junit", "scan", "a.env"}, d.path());
    CHECK(junit.out.find("\xc2\x9b") == std::string::npos);
    CHECK(junit.out.find("x=&#x9B;2J\xe2\x80\xa8 k=AKIA\u2026") != std::string::npos);
    // A carriage return (which hides what came before it on a terminal) and a byte that is not
    // UTF-8 (a raw 0x9B is CSI on an 8-bit terminal) in JUnit.
    testing::write_file(d / "b.env", "k=" + aws_key + " \rALL CLEAN \x9b" "2J\n");
    const auto cr = testing::secretscan({"--format", "junit", "scan", "b.env"}, d.path());
    CHECK(cr.out.find('\r') == std::string::npos);
    CHECK(cr.out.find('\x9b') == std::string::npos);
    CHECK(cr.out.find("k=AKIA\u2026 &#xD;ALL CLEAN \xef\xbf\xbd" "2J") != std::string::npos);
}

TEST_CASE("hardening: tags that point at a blob or a tree are scanned, and pushing a harmless one is not blocked", "[hardening][history]")
{
    TempDir d;
    const std::string repo = d / "r";
    testing::git_init_with_hooks(repo);
    testing::sh("echo x > a && git add a && git commit -qm one"
                " && git tag blobtag $(printf 'k=%s\\n' " + aws_key + " | git hash-object -w --stdin)"
                " && mkdir d && printf 'k=%s\\n' " + aws_key + " > d/key.txt && git add d && git tag -a -m tree treetag $(git write-tree)"
                " && git rm -rq --cached d && rm -r d"
                " && git tag harmless $(echo hello | git hash-object -w --stdin)", repo);
    // history used to pass these with exit 0: no commit holds them.
    const auto report = testing::scan_json({"history"}, repo);
    CHECK(testing::locations(report) == std::vector<std::string>{"refs/tags/blobtag:1:3:aws-access-key-id",
                                                                  "refs/tags/treetag:d/key.txt:1:3:aws-access-key-id"});
    // pre-push: a tag to a harmless blob goes through; one to a tree holding a key is stopped.
    testing::sh("git init -q --bare ../remote.git && git remote add origin ../remote.git", repo);
    REQUIRE(testing::secretscan({"install"}, repo).exit_code == 0);
    const std::vector<std::string> env{"PATH=" + testing::binary_dir() + ":/usr/bin:/bin"};
    const auto harmless = testing::git({"push", "origin", "harmless"}, repo, env);
    INFO(harmless.err);
    CHECK(harmless.exit_code == 0);
    const auto blocked = testing::git({"push", "origin", "treetag"}, repo, env);
    CHECK(blocked.exit_code != 0);
    CHECK(blocked.err.find(":d/key.txt:1:3: aws-access-key-id: AKIA\u2026") != std::string::npos);
    // A tag of a tag: the inner tag's message is published with it.
    testing::sh("git tag -a inner -m 'key " + aws_key + "' HEAD && git tag -a outer -m plain inner && git tag -d inner >/dev/null", repo);
    const auto nested = testing::secretscan({"history", "outer"}, repo);
    CHECK(nested.exit_code == 1);
    CHECK(nested.out.find("tag outer message (inner tag inner):1:5: aws-access-key-id: AKIA\u2026") != std::string::npos);
}

TEST_CASE("hardening: folders that cannot be read are said, never passed over in silence", "[hardening][files]")
{
    TempDir d;
    testing::write_file(d / "tree/open/a.txt", "hello\n");
    testing::write_file(d / "tree/closed/k.txt", "k=" + aws_key + "\n");
    std::filesystem::permissions(d / "tree/closed", std::filesystem::perms::none);
    std::filesystem::permissions(d.path(), std::filesystem::perms::owner_all | std::filesystem::perms::others_read |
                                               std::filesystem::perms::others_exec); // the temporary folder is 0700
    // As root every folder is readable: drop to nobody, as a user without access would be.
    std::vector<std::string> as_user{"env", "HOME=" + d.path()};
    if (getuid() == 0) as_user = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=" + d.path()};
    const auto run_as = [&](std::vector<std::string> args) {
        args.insert(args.begin(), SECRETSCAN_BINARY);
        args.insert(args.begin(), as_user.begin(), as_user.end());
        return testing::run(args, d.path());
    };
    const auto below = run_as({"scan", "-v", "tree"});
    CHECK(below.exit_code == 3);
    CHECK(below.err.find("secretscan: skipped tree/closed: unreadable: Permission denied\n") != std::string::npos);
    CHECK((below.out + below.err).find("scanned 1 file (6 bytes), skipped 1") != std::string::npos);
    // An incomplete scan exits 3 whatever --exit-zero, a baseline or an allowlist say, and names
    // what it could not read without -v.
    testing::write_file(d / "tree/open/k.txt", "k=" + aws_key + "\n");
    testing::write_file(d / "allow.yaml", "allowlist:\n  paths: ['**/k.txt']\n");
    for (const std::vector<std::string>& args : {std::vector<std::string>{"--exit-zero", "scan", "tree"},
                                                 std::vector<std::string>{"--config", "allow.yaml", "scan", "tree"}}) {
        const auto r = run_as(args);
        CHECK(r.exit_code == 3);
        CHECK(r.err.find("secretscan: skipped tree/closed: unreadable: Permission denied\n"
                         "secretscan: error: 1 input could not be read, so the scan is incomplete (exit code 3)\n") != std::string::npos);
    }
    std::filesystem::remove(d / "tree/open/k.txt");
    const auto named = run_as({"scan", "tree/closed"});
    CHECK(named.exit_code == 3);
    CHECK(named.err == "secretscan: error: tree/closed: cannot read directory: Permission denied\n");
    // A HOME whose .gitconfig cannot be read (setpriv and sudo keep root's): a warning, as git
    // gives, and the scan goes on (it used to stop at "read git config").
    if (getuid() == 0) {
        testing::write_file(d / "roothome/.gitconfig", "[user]\n\tname = x\n");
        std::filesystem::permissions(d / "roothome", std::filesystem::perms::owner_all);
        const auto home = testing::run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "-u", "GIT_CONFIG_GLOBAL", "HOME=" + d / "roothome",
                                        SECRETSCAN_BINARY, "scan", "tree/open/a.txt"},
                                       d.path());
        CHECK(home.exit_code == 0);
        CHECK(home.err == "secretscan: warning: unable to access '" + d / "roothome" +
                              "/.gitconfig': Permission denied (as git, going on without it)\n");
    }
    // A file in it, named: it exists, it cannot be reached (it used to say "no such file").
    const auto inside = run_as({"scan", "tree/closed/k.txt"});
    CHECK(inside.exit_code == 3);
    CHECK(inside.err == "secretscan: error: tree/closed/k.txt: cannot read: Permission denied\n");
    std::filesystem::permissions(d / "tree/closed", std::filesystem::perms::owner_all);

    // Paths longer than PATH_MAX (4096 bytes) are listed as skipped, not left out.
    std::string deep = "deep";
    for (int i = 0; i < 25; ++i) deep += "/d" + std::to_string(i) + std::string(197, 'x');
    testing::sh("d=deep; mkdir $d; cd $d; for i in $(seq 0 24); do n=d$i$(printf 'x%.0s' $(seq 197)); mkdir $n; cd $n; done;"
                " printf 'k=%s\\n' " + aws_key + " > k.txt", d.path());
    const auto long_paths = testing::secretscan({"scan", "-v", "deep"}, d.path());
    CHECK(long_paths.exit_code == 3);
    CHECK(long_paths.err.find("secretscan: skipped " + deep + "/k.txt: unreadable: File name too long\n") != std::string::npos);
}

TEST_CASE("hardening: a directory scan lists the links and FIFOs it does not read, and counts what .gitignore hides", "[hardening][files]")
{
    TempDir d;
    testing::git_init(d.path());
    testing::write_file(d / "outside/k.txt", "k=" + aws_key + "\n");
    testing::write_file(d / "repo/.gitignore", ".env\nlogs/\n");
    testing::write_file(d / "repo/.env", "k=" + aws_key + "\n");
    testing::write_file(d / "repo/logs/a.log", "k=" + aws_key + "\n");
    testing::sh("ln -s ../outside/k.txt repo/link.txt && mkfifo repo/pipe", d.path());
    // A vendored repository's own folder is named too (the root's .git is left out, as documented).
    testing::write_file(d / "repo/vendor/lib/.git/notes.txt", "k=" + aws_key + "\n");
    testing::write_file(d / "repo/.gitignore", ".env\nlogs/\n");
    const auto r = testing::secretscan({"scan", "-v", "repo"}, d.path());
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("secretscan: skipped repo/vendor/lib/.git: a nested repository's .git folder, not scanned but for its config\n") !=
          std::string::npos);
    CHECK(r.err.find("secretscan: skipped repo/link.txt: a symbolic link, not followed\n") != std::string::npos);
    CHECK(r.err.find("secretscan: skipped repo/pipe: a FIFO, not read\n") != std::string::npos);
    CHECK(r.err.find("secretscan: 2 files and folders that .gitignore ignores were not scanned (--no-ignore scans them)\n") != std::string::npos);
    CHECK(r.out.find("scanned 1 file (11 bytes), skipped 3,") != std::string::npos);
    // --no-ignore scans them; the summary of ignored paths is gone.
    const auto all = testing::secretscan({"scan", "--no-ignore", "repo"}, d.path());
    CHECK(all.exit_code == 1);
    CHECK(all.out.find("repo/.env:1:3: aws-access-key-id") != std::string::npos);
    CHECK(all.out.find("repo/logs/a.log:1:3: aws-access-key-id") != std::string::npos);
    CHECK(all.err.find(".gitignore") == std::string::npos);
    // Without -v, the skipped are counted by kind.
    const auto plain = testing::secretscan({"scan", "repo"}, d.path());
    CHECK(plain.err.find("secretscan: skipped 1 FIFO, 1 nested repository's .git folder, 1 symbolic link (-v names each)\n") !=
          std::string::npos);
    // -q says nothing of them.
    CHECK(testing::secretscan({"-q", "scan", "repo"}, d.path()).err.empty());
}

TEST_CASE("hardening: hook advice that works where it is followed", "[hardening][hooks]")
{
    TempDir d;
    const std::string repo = d / "main", wt = d / "wt";
    testing::git_init_with_hooks(repo);
    testing::sh("git commit -q --allow-empty -m init && git worktree add -q ../wt", repo);
    REQUIRE(testing::secretscan({"install"}, repo).exit_code == 0);
    const std::vector<std::string> env{"PATH=" + testing::binary_dir() + ":/usr/bin:/bin"};
    // In a linked worktree .git is a file: the message is kept in the worktree's own git folder.
    testing::sh("echo b > b && git add b", wt);
    const auto msg = testing::git({"commit", "-q", "-m", "uses " + aws_key}, wt, env);
    CHECK(msg.exit_code != 0);
    const std::string kept = repo + "/.git/worktrees/wt/COMMIT_EDITMSG";
    CHECK(msg.err.find("  - take the secret out of the message: your text is kept in " + kept + ", and git commit -e -F " + kept +
                       " starts from it;\n") != std::string::npos);
    // A configuration that does not load blocks the commit, and says how to go on anyway.
    testing::write_file(repo + "/.secretscan.yaml", "bogus: 1\n");
    testing::sh("echo a > a && git add a", repo);
    const auto bad = testing::git({"commit", "-q", "-m", "x"}, repo, env);
    CHECK(bad.exit_code != 0);
    CHECK(bad.err == "secretscan: error: " + repo + "/.secretscan.yaml:1:1: unknown key 'bogus' (expected rules, disable, allowlist, baseline, max_file_size)\n"
                     "secretscan: the pre-commit check could not run, so it failed closed. Fix the cause, or bypass once: git commit --no-verify\n");
}

TEST_CASE("hardening: a hook names every staged file it does not check", "[hardening][hooks]")
{
    TempDir d;
    testing::git_init_with_hooks(d.path());
    REQUIRE(testing::secretscan({"install"}, d.path()).exit_code == 0);
    testing::write_file(d / ".secretscan.yaml", "max_file_size: 10M\n");
    testing::write_file(d / "big.log", std::string(11u << 20, 'a') + "\nk=" + aws_key + "\n");
    testing::write_file(d / "blob.bin", std::string("\0\0\0\x01\x02\x03", 6) + std::string(100, '\x07') + "k=" + aws_key + "\n");
    testing::sh("git add big.log blob.bin", d.path());
    const auto r = testing::git({"commit", "-q", "-m", "logs"}, d.path(), {"PATH=" + testing::binary_dir() + ":/usr/bin:/bin"});
    // It used to go through without a word.
    CHECK(r.err == "secretscan: not checked: big.log: larger than --max-file-size (11534360 bytes; the limit is 10485760)\n"
                   "secretscan: not checked: blob.bin: binary (NUL byte in the first 8000 bytes)\n");
}

TEST_CASE("hardening: a report's temporary file does not outlive a run ended by a signal", "[hardening][reports]")
{
    TempDir d;
    const std::string bin = SECRETSCAN_BINARY;
    for (const char* sig : {"TERM", "INT", "HUP", "QUIT", "USR1", "USR2", "ALRM", "PIPE", "XCPU", "PWR", "STKFLT", "SYS", "TRAP", "RTMIN", "RTMAX"}) {
        INFO(sig);
        // The scan waits on standard input; the report is open as .out.json.XXXXXX beside out.json.
        testing::sh("(sleep 5 | '" + bin + "' --output out.json --format json scan - & pid=$!;"
                    " for i in $(seq 50); do ls -A | grep -q '^[.]out[.]json[.]' && break; sleep 0.1; done;"
                    " ls -A > during; kill -" + std::string(sig) + " $pid; wait $pid || true); ls -A > after",
                    d.path());
        CHECK(testing::read_file(d / "during").find(".out.json.") != std::string::npos);
        // No .out.json.XXXXXX. A signal the shell had set to be ignored (INT and QUIT in a
        // background job) stays ignored: that run ends normally and writes out.json.
        CHECK(testing::read_file(d / "after").find(".out.json.") == std::string::npos);
        for (const char* f : {"during", "after", "out.json"}) std::filesystem::remove(d / f);
    }
}

TEST_CASE("hardening: CSV reports and rules explain escape control bytes too", "[hardening][reports]")
{
    TempDir d;
    testing::write_file(d / "a\033]0;owned\007b.txt", "k=" + aws_key + "\n");
    const auto csv = testing::secretscan({"--format", "csv", "scan", "."}, d.path());
    CHECK(csv.exit_code == 1);
    CHECK(csv.out.find("\r\naws-access-key-id,a\\x1b]0;owned\\x07b.txt,file,1,3,") != std::string::npos);
    // A pack's rule name (a repository's configuration can add a pack) with ESC and a C1 CSI.
    testing::write_file(d / "evil.yaml", "rules:\n  - id: evil-rule\n    name: \"N\\e[2J\\u009bname\"\n    regex: 'hello[0-9]+'\n"
                                         "    keywords: [hello]\n");
    const auto explain = testing::secretscan({"--rules", "evil.yaml", "rules", "explain", "evil-rule"}, d.path());
    CHECK(explain.exit_code == 0);
    CHECK(explain.out.find("evil-rule: N\\x1b[2J\\x9bname (confidence") == 0);
    const auto list = testing::secretscan({"--rules", "evil.yaml", "-q", "rules", "list"}, d.path());
    CHECK(list.out.find("N\\x1b[2J\\x9bname\n") != std::string::npos);
}

TEST_CASE("hardening: a tracked file is scanned even where .gitignore matches it", "[hardening][files]")
{
    TempDir d;
    testing::git_init(d.path());
    testing::write_file(d / ".gitignore", "*\n");
    testing::write_file(d / "app.py", "k=" + aws_key + "\n");
    testing::write_file(d / "sub/s.txt", "k=" + aws_key + "\n");
    testing::write_file(d / "untracked.txt", "k=" + aws_key + "\n");
    testing::sh("git add -f .gitignore app.py sub/s.txt && git commit -qm i", d.path());
    // git never ignores a tracked file: neither does the scan (it used to pass both over in silence).
    const auto report = testing::scan_json({"scan", "."}, d.path());
    CHECK(testing::locations(report) == std::vector<std::string>{"app.py:1:3:aws-access-key-id", "sub/s.txt:1:3:aws-access-key-id"});
}
