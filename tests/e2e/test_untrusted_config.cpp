// A committed .secretscan.yaml and the packs it names are untrusted input (hardening issue,
// items 2, 9 and 14): end to end, through the binary.
#include "../support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <sys/stat.h>

namespace fs = std::filesystem;
using testing::git_init;
using testing::secretscan;
using testing::TempDir;
using testing::write_file;

namespace {
const std::string anchor_error = "a YAML anchor (&name) is not allowed (aliases to it can expand a small file into gigabytes); write the value out";
const std::string repo_only = "a repository's .secretscan.yaml may name only files inside it";
} // namespace

TEST_CASE("untrusted config: a committed .secretscan.yaml cannot make secretscan read a file outside the repository", "[config][regression]")
{
    TempDir d;
    const std::string r = d / "r";
    git_init(r);
    // Stands in for /etc/shadow: a line that YAML reads as a mapping key, and must never be echoed.
    const std::string secret_line = "root:$6$SecretSaltValue$" + std::string(86, 'h') + ":19000:0:99999:7:::";
    write_file(d / "shadow", secret_line + "\n");
    write_file(r + "/.secretscan.yaml", "rules: [" + d / "shadow" + "]\n");
    auto res = secretscan({"scan"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: " + r + "/.secretscan.yaml:1:9: rules: " + d / "shadow" + " is outside the repository " + r +
                         " (symbolic links resolved); " + repo_only + ": name it with --rules, --config or the user configuration\n");
    CHECK(res.err.find("SecretSalt") == std::string::npos);
    // Through a committed symbolic link, and through a link inside a folder of packs.
    fs::create_symlink(d / "shadow", r + "/link.yaml");
    write_file(r + "/.secretscan.yaml", "rules: [link.yaml]\n");
    res = secretscan({"scan"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: " + r + "/.secretscan.yaml:1:9: rules: " + r + "/link.yaml is outside the repository " + r +
                         " (symbolic links resolved); " + repo_only + ": name it with --rules, --config or the user configuration\n");
    fs::create_directories(r + "/packs");
    fs::create_symlink(d / "shadow", r + "/packs/x.yaml");
    write_file(r + "/.secretscan.yaml", "rules: [packs]\n");
    res = secretscan({"scan"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: " + r + "/packs/x.yaml: the rule pack resolves to " + d / "shadow" + ", outside the repository " + r +
                         "; " + repo_only + "\n");
    // The configuration file itself, committed as a link.
    fs::remove(r + "/.secretscan.yaml");
    fs::create_symlink(d / "shadow", r + "/.secretscan.yaml");
    res = secretscan({"scan"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: " + r + "/.secretscan.yaml: the configuration file resolves to " + d / "shadow" +
                         ", outside the repository " + r + "; " + repo_only + "\n");
    // The user's own --config may name a pack anywhere; the pack's unknown key is not quoted when long.
    write_file(d / "user.yaml", "rules: [" + d / "shadow" + "]\n");
    fs::remove(r + "/.secretscan.yaml");
    res = secretscan({"scan", "--config", d / "user.yaml"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: " + d / "shadow" + ":1:1: an unknown top-level key (expected 'rules')\n");
}

TEST_CASE("untrusted config: devices, FIFOs, folders and huge files are refused, never read", "[config][regression]")
{
    TempDir d;
    const std::string r = d / "r";
    git_init(r);
    write_file(r + "/.secretscan.yaml", "baseline: /dev/zero\n");
    auto res = secretscan({"scan"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: " + r + "/.secretscan.yaml:1:11: baseline: /dev/zero is outside the repository " + r +
                         " (symbolic links resolved); " + repo_only + ": name it with --baseline, --config or the user configuration\n");
    REQUIRE(mkfifo((r + "/fifo.yaml").c_str(), 0600) == 0);
    write_file(r + "/.secretscan.yaml", "rules: [fifo.yaml]\n");
    res = secretscan({"scan"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: " + r + "/fifo.yaml: the rule pack is not a regular file (a FIFO, socket or device); name a file\n");
    write_file(r + "/big.yaml", std::string((16 << 20) + 1, '#'));
    write_file(r + "/.secretscan.yaml", "rules: [big.yaml]\n");
    res = secretscan({"scan"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: " + r +
                         "/big.yaml: the rule pack is larger than 16 MiB (the limit for configuration files, rule packs and baselines); make it smaller or split it\n");
    fs::remove(r + "/.secretscan.yaml");
    res = secretscan({"scan", "--config", d.path()}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: " + d.path() + ": the configuration file is not a regular file (a directory); name a file\n");
    res = secretscan({"scan", "--baseline", d.path()}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: " + d.path() + ": the baseline is not a regular file (a directory); name a file\n");
    res = secretscan({"scan", "--rules", "/dev/zero"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: /dev/zero: the rule pack is not a regular file (a FIFO, socket or device); name a file\n");
}

TEST_CASE("untrusted config: YAML anchors and aliases are refused in packs and configuration files", "[config][regression]")
{
    TempDir d;
    const std::string r = d / "r";
    git_init(r);
    write_file(r + "/bomb.yaml", "a: &a [lol, lol, lol]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nrules: [*c]\n");
    auto res = secretscan({"scan", "--rules", "bomb.yaml"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: bomb.yaml:1:4: " + anchor_error + "\n");
    write_file(r + "/.secretscan.yaml", "disable: &ids [jwt]\nallowlist:\n  stopwords: *ids\n");
    res = secretscan({"scan"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: " + r + "/.secretscan.yaml:1:10: " + anchor_error + "\n");
}

TEST_CASE("untrusted config: a key that is a list, a key given twice and a bad glob are exit 2 at their place", "[config][regression]")
{
    TempDir d;
    const std::string r = d / "r";
    git_init(r);
    write_file(r + "/crash.yaml", "? [a]\n"); // 3f205b615d0a: was YAML::TypedBadConversion, exit 3
    auto res = secretscan({"scan", "--rules", "crash.yaml"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: crash.yaml:1:3: a key must be a name, not a list or a mapping\n");
    write_file(r + "/twice.yaml", "rules:\n  - id: acme-key\n    regex: 'acme_[0-9]{8}'\n    keywords: [acme_]\n    regex: 'x'\n");
    res = secretscan({"scan", "--rules", "twice.yaml"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: twice.yaml:5:5: rule acme-key: 'regex' is given twice\n");
    write_file(r + "/.secretscan.yaml", "allowlist:\n  paths: ['[z-a]']\n");
    res = secretscan({"scan"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: " + r + "/.secretscan.yaml:2:11: allowlist path glob '[z-a]': the range 'z-a' is reversed (it can match nothing)\n");
    write_file(r + "/.secretscan.yaml", "allowlist:\n  stopwords: [a]\n  stopwords: [b]\n");
    res = secretscan({"scan"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: " + r + "/.secretscan.yaml:3:3: 'stopwords' is given twice\n");
}

TEST_CASE("untrusted config: a committed .gitallowed stays in the repository, is a regular file and is bounded", "[config][regression][git-secrets]")
{
    TempDir d;
    const std::string r = d / "r";
    git_init(r);
    write_file(r + "/a.txt", "hello\n");
    // A link to a file outside: refused, its content never printed.
    write_file(d / "credentials", "aws_secret_access_key = SecretValueOutside(\n");
    fs::create_symlink(d / "credentials", r + "/.gitallowed");
    auto res = secretscan({"scan", "a.txt"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err.find("SecretValueOutside") == std::string::npos);
    CHECK(res.err.rfind("secretscan: error: " + r + "/.gitallowed: the .gitallowed file ", 0) == 0);
    // A FIFO or a device: refused without being opened (it used to hang or fill memory).
    fs::remove(r + "/.gitallowed");
    REQUIRE(mkfifo((r + "/.gitallowed").c_str(), 0600) == 0);
    res = secretscan({"scan", "a.txt"}, r);
    CHECK(res.exit_code == 2);
    CHECK(res.err == "secretscan: error: " + r + "/.gitallowed: the .gitallowed file is not a regular file (a FIFO, socket or device); name a file\n");
    fs::remove(r + "/.gitallowed");
    fs::create_symlink("/dev/zero", r + "/.gitallowed");
    CHECK(secretscan({"scan", "a.txt"}, r).exit_code == 2);
    // A regular file inside keeps working.
    fs::remove(r + "/.gitallowed");
    write_file(r + "/.gitallowed", "# comment\nIDVWTFKTANGPVYQE\n");
    write_file(r + "/k.txt", std::string("k=AKIA") + "IDVWTFKTANGPVYQE\n");
    CHECK(secretscan({"scan", "k.txt"}, r).exit_code == 0);
}

TEST_CASE("untrusted config: a committed .gitignore that is a link or a FIFO is never read", "[config][regression][files]")
{
    TempDir d;
    const std::string r = d / "r";
    git_init(r);
    write_file(r + "/a.txt", std::string("k=AKIA") + "IDVWTFKTANGPVYQE\n");
    // A link to a file outside that would hide a.txt: not followed, so a.txt is scanned.
    write_file(d / "outside", "a.txt\n");
    fs::create_symlink(d / "outside", r + "/.gitignore");
    auto res = secretscan({"scan", "."}, r);
    CHECK(res.exit_code == 1);
    CHECK(res.out.find("a.txt:1:3: aws-access-key-id") != std::string::npos);
    CHECK(res.err.find("secretscan: warning: .gitignore is not a regular file, so it is not read (git does not follow a linked .gitignore "
                       "either): nothing below . counts as ignored\n") != std::string::npos);
    // A FIFO in a folder: never opened (the scan used to hang), the folder scanned whole.
    fs::remove(r + "/.gitignore");
    write_file(r + "/s/k.txt", std::string("k=AKIA") + "IDVWTFKTANGPVYQE\n");
    REQUIRE(mkfifo((r + "/s/.gitignore").c_str(), 0600) == 0);
    res = secretscan({"-v", "scan", "."}, r);
    CHECK(res.exit_code == 1);
    CHECK(res.out.find("s/k.txt:1:3: aws-access-key-id") != std::string::npos);
    CHECK(res.err.find("secretscan: skipped s/.gitignore: a FIFO, not read\n") != std::string::npos);
}
