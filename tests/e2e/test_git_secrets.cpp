// secretscan run as `git-secrets`: the drop-in's behaviour and the upstream bugs it fixes on
// purpose (each listed in docs/git-secrets-compat.md). Upstream's own bats suite runs separately
// (tests/peers/git_secrets_bats.sh).
#include "../support.hpp"

#include <secretscan/engine/finding.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;
using testing::git;
using testing::git_init_with_hooks;
using testing::RunResult;
using testing::sh;
using testing::TempDir;
using testing::write_file;

namespace {

const std::string key1 = std::string("AKIA") + "Q7LMNB2XJ4RTW6ZP";

/// A folder holding `git-secrets` -> the binary under test, first on PATH for git too.
struct DropIn {
    TempDir bin;
    std::vector<std::string> env;
    DropIn()
    {
        fs::create_symlink(SECRETSCAN_BINARY, bin / "git-secrets");
        env = {"PATH=" + bin.path() + ":" + std::getenv("PATH")};
    }
    RunResult operator()(const std::vector<std::string>& args, const std::string& cwd, const std::string& input = "") const
    {
        std::vector<std::string> full{bin / "git-secrets"};
        full.insert(full.end(), args.begin(), args.end());
        return testing::run(full, cwd, env, input);
    }
};

void repo_with_patterns(const std::string& dir, const DropIn& gs, const std::vector<std::string>& patterns)
{
    git_init_with_hooks(dir);
    for (const auto& p : patterns) REQUIRE(gs({"--add", "--", p}, dir).exit_code == 0);
}

} // namespace

TEST_CASE("git-secrets: findings are path:line:text on stderr, exit 1, clean exits 0", "[git-secrets]")
{
    DropIn gs;
    TempDir d;
    repo_with_patterns(d / "r", gs, {"@todo", "forbidden|me"});
    write_file(d / "r/a.txt", "fine\n@todo later\nmesa is fine\nfoo.me\n");
    const auto r = gs({"--scan", d / "r/a.txt"}, d / "r");
    CHECK(r.exit_code == 1);
    CHECK(r.err.rfind(d / "r/a.txt:2:@todo later\n" + d / "r/a.txt:4:foo.me\n\n[ERROR] Matched one or more prohibited patterns\n", 0) == 0);
    write_file(d / "r/b.txt", "nothing\n");
    CHECK(gs({"--scan", d / "r/b.txt"}, d / "r").exit_code == 0);
    CHECK(gs({"--scan", "-"}, d / "r", "me\n").exit_code == 1);
    const auto missing = gs({"--scan", "nope.txt"}, d / "r");
    CHECK(missing.exit_code == 2);
    CHECK(missing.err == "git-secrets: nope.txt: No such file or directory\n");
}

TEST_CASE("git-secrets: parseopt-style arguments: abbreviations, bundles, usage", "[git-secrets]")
{
    DropIn gs;
    TempDir d;
    repo_with_patterns(d / "r", gs, {"@todo"});
    write_file(d / "r/dir/a.txt", "@todo\n");
    CHECK(gs({"--scan", "--rec", "dir"}, d / "r").exit_code == 1); // --rec: --recursive
    CHECK(gs({"--scan", "-r", "dir"}, d / "r").exit_code == 1);
    CHECK(gs({"--scan-h"}, d / "r").exit_code == 0);               // --scan-history; nothing committed or tracked
    const auto ambiguous = gs({"--sca"}, d / "r");                  // --scan or --scan-history
    CHECK(ambiguous.exit_code == 129);
    CHECK(ambiguous.err.rfind("error: ambiguous option: sca (could be --scan or --scan-history)\n", 0) == 0);
    const auto usage = gs({}, d / "r");
    CHECK(usage.exit_code == 0);
    CHECK(usage.out.rfind("usage: git secrets --scan ", 0) == 0);
    CHECK(gs({"-h"}, d / "r").exit_code == 129);
    const auto unknown = gs({"--scan", "--bogus"}, d / "r");
    CHECK(unknown.exit_code == 129);
    CHECK(unknown.err.rfind("error: unknown option `bogus'\nusage: git secrets", 0) == 0);
    const auto wrong = gs({"--list", "-f"}, d / "r");
    CHECK(wrong.exit_code == 1);
    CHECK(wrong.err == "error: -f|--force can only be supplied with the --install subcommand\n");
}

TEST_CASE("git-secrets fix: a pattern that starts with '-' works", "[git-secrets][regression]")
{
    DropIn gs;
    TempDir d;
    repo_with_patterns(d / "r", gs, {"-----BEGIN PRIVATE"});
    write_file(d / "r/k.pem", "x\n-----BEGIN PRIVATE KEY-----\n");
    const auto r = gs({"--scan", "k.pem"}, d / "r");
    CHECK(r.exit_code == 1);
    CHECK(r.err.rfind("k.pem:2:-----BEGIN PRIVATE KEY-----\n", 0) == 0);
}

TEST_CASE("git-secrets fix: a pattern with spaces is one pattern, also without file arguments", "[git-secrets][regression]")
{
    DropIn gs;
    TempDir d;
    repo_with_patterns(d / "r", gs, {"secret sauce"});
    write_file(d / "r/a.txt", "secret\nsauce\nthe secret sauce\n");
    sh("git add a.txt", d / "r");
    const auto r = gs({"--scan"}, d / "r");
    CHECK(r.exit_code == 1);
    CHECK(r.err.rfind("a.txt:3:the secret sauce\n\n", 0) == 0);
}

TEST_CASE("git-secrets fix: an invalid allowed pattern is an error, not allow-everything", "[git-secrets][regression]")
{
    DropIn gs;
    TempDir d;
    repo_with_patterns(d / "r", gs, {"@todo"});
    REQUIRE(gs({"--add", "-a", "foo("}, d / "r").exit_code == 0);
    write_file(d / "r/a.txt", "@todo\n");
    const auto r = gs({"--scan", "a.txt"}, d / "r");
    CHECK(r.exit_code == 2);
    CHECK(r.err == "git-secrets: allowed pattern 'foo(': unmatched '('\n");
}

TEST_CASE("git-secrets fix: a .gitallowed entry does not block the commit that adds it, CRLF is fine", "[git-secrets][regression]")
{
    DropIn gs;
    TempDir d;
    const std::string r = d / "r";
    repo_with_patterns(r, gs, {"AKIA[A-Z0-9]{16}", "forbidden"});
    REQUIRE(gs({"--install"}, r).exit_code == 0);
    // A path-qualified entry: the .gitallowed line itself holds the key, and its own text
    // (with the regex's backslash) does not match the entry.
    write_file(r + "/fixtures/creds.txt", "key " + key1 + "\n");
    write_file(r + "/.gitallowed", "fixtures/creds\\.txt:.*" + key1 + "\r\nforbidden\r\n");
    write_file(r + "/notes.txt", "forbidden words\n");
    sh("git add .", r);
    const auto c = git({"commit", "-m", "fixtures"}, r, gs.env);
    INFO(c.err);
    CHECK(c.exit_code == 0);
}

TEST_CASE("git-secrets fix: the pre-commit hook sees non-ASCII file names", "[git-secrets][regression]")
{
    DropIn gs;
    TempDir d;
    const std::string r = d / "r";
    repo_with_patterns(r, gs, {"@todo"});
    sh("git config core.quotepath true", r);
    REQUIRE(gs({"--install"}, r).exit_code == 0);
    write_file(r + "/caf\xC3\xA9.txt", "@todo\n");
    sh("git add .", r);
    const auto c = git({"commit", "-m", "x"}, r, gs.env);
    CHECK(c.exit_code == 1);
    CHECK(c.err.rfind("caf\xC3\xA9.txt:1:@todo\n", 0) == 0);
}

TEST_CASE("git-secrets fix: a deletion-only commit does not scan the whole index", "[git-secrets][regression]")
{
    DropIn gs;
    TempDir d;
    const std::string r = d / "r";
    repo_with_patterns(r, gs, {"@todo"});
    write_file(r + "/old.txt", "@todo from before the hook\n");
    write_file(r + "/gone.txt", "bye\n");
    sh("git add . && git commit -q -m base", r);
    REQUIRE(gs({"--install"}, r).exit_code == 0);
    sh("git rm -q gone.txt", r);
    const auto c = git({"commit", "-m", "delete"}, r, gs.env);
    INFO(c.err);
    CHECK(c.exit_code == 0);
}

TEST_CASE("git-secrets fix: a merge is not blocked by lines it removes", "[git-secrets][regression]")
{
    DropIn gs;
    TempDir d;
    const std::string r = d / "r";
    repo_with_patterns(r, gs, {"@todo"});
    write_file(r + "/a.txt", "keep\n@todo\n");
    sh("git add . && git commit -q -m base", r);
    REQUIRE(gs({"--install"}, r).exit_code == 0);
    sh("git checkout -q -b cleanup", r);
    write_file(r + "/a.txt", "keep\n");
    sh("git commit -q -am 'remove the todo' && git checkout -q main && echo x > b.txt && git add b.txt && git commit -q -m other",
       r, gs.env);
    const auto m = git({"merge", "--no-ff", "--no-edit", "cleanup"}, r, gs.env);
    INFO(m.err);
    CHECK(m.exit_code == 0);
    // A merge that brings in a commit which added a secret is still rejected.
    sh("git checkout -q -b bad && echo @todo > c.txt && git add c.txt && git commit -q --no-verify -m bad && git checkout -q main", r, gs.env);
    const auto bad = git({"merge", "--no-ff", "--no-edit", "bad"}, r, gs.env);
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find(":c.txt:1:@todo\n") != std::string::npos);
}

TEST_CASE("git-secrets: --scan-history reports each finding once, at the commit that added it", "[git-secrets]")
{
    DropIn gs;
    TempDir d;
    const std::string r = d / "r";
    repo_with_patterns(r, gs, {"@todo"});
    write_file(r + "/a.txt", "@todo\n");
    sh("git add . && git commit -q -m one && echo more >> a.txt && git commit -q -am two", r);
    const std::string first = git({"rev-list", "--max-parents=0", "HEAD"}, r).out.substr(0, 40);
    const auto h = gs({"--scan-history"}, r);
    CHECK(h.exit_code == 1);
    CHECK(h.err.rfind(first + ":a.txt:1:@todo\n\n", 0) == 0);
}

TEST_CASE("git-secrets: --add, --list, --register-aws and the AWS provider", "[git-secrets]")
{
    DropIn gs;
    TempDir d;
    const std::string r = d / "r";
    git_init_with_hooks(r);
    CHECK(gs({"--add", "x+y"}, r).exit_code == 0);
    CHECK(gs({"--add", "x+y"}, r).exit_code == 1);
    CHECK(gs({"--add", "-l", "a.b"}, r).exit_code == 0);
    CHECK(gs({"--register-aws"}, r).out == "OK\n");
    const auto list = gs({"--list"}, r);
    CHECK(list.out.rfind("secrets.patterns x+y\nsecrets.patterns a\\.b\nsecrets.providers git secrets --aws-provider\n", 0) == 0);
    // The values git wrote back parse: git itself reads them.
    CHECK(git({"config", "--get-all", "secrets.allowed"}, r).out == "AKIAIOSFODNN7EXAMPLE\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
    write_file(d / "creds", "[default]\naws_access_key_id = AKIAABCDEFGHIJKLMNOP\naws_secret_access_key = \"ab+c/d=\"\n");
    CHECK(gs({"--aws-provider", d / "creds"}, r).out == "AKIAABCDEFGHIJKLMNOP\nab\\+c/d=\n");
    write_file(r + "/keys.txt", "id " + key1 + "\nexample AKIAIOSFODNN7EXAMPLE\n");
    const auto s = gs({"--scan", "keys.txt"}, r);
    CHECK(s.exit_code == 1);
    CHECK(s.err.rfind("keys.txt:1:id " + key1 + "\n\n", 0) == 0);
}

TEST_CASE("native scans read git-secrets' patterns and .gitallowed", "[git-secrets]")
{
    DropIn gs;
    TempDir d;
    const std::string r = d / "r";
    repo_with_patterns(r, gs, {"internal-token-[0-9]{6}"});
    write_file(r + "/a.txt", "t = internal-token-123456\nu = internal-token-654321\n");
    write_file(r + "/.gitallowed", "654321\n");
    const auto j = testing::scan_json({"scan", "a.txt"}, r);
    REQUIRE(j["findings"].size() == 1);
    const std::string id = "git-secrets-" + secretscan::fingerprint("git-secrets", "internal-token-[0-9]{6}").substr(0, 12);
    CHECK(j["findings"][0]["rule_id"] == id);
    CHECK(j["findings"][0]["line"] == 1);
    CHECK(j["findings"][0]["column"] == 5);
    // The id comes from the pattern: a pattern added before it leaves it (and baselines) alone.
    testing::sh("git config --add secrets.patterns 'other-[0-9]{4}' && git config --unset-all secrets.patterns 'internal' && "
                "git config --add secrets.patterns 'internal-token-[0-9]{6}'", r);
    const auto again = testing::scan_json({"scan", "a.txt"}, r);
    REQUIRE(again["findings"].size() == 1);
    CHECK(again["findings"][0]["rule_id"] == id);
    CHECK(id.size() == std::string("git-secrets-").size() + 12);
    // rules check judges the packs: patterns from git config have no examples to run.
    CHECK(testing::secretscan({"rules", "check"}, r).exit_code == 0);
}

TEST_CASE("git-secrets: a merge bringing in a --no-verify commit is blocked however it is concluded", "[git-secrets]")
{
    DropIn gs;
    TempDir d;
    const std::string r = d / "r";
    repo_with_patterns(r, gs, {"AKIA[A-Z0-9]{16}"});
    sh("echo base > base.txt && git add . && git commit -q -m base", r);
    REQUIRE(gs({"--install"}, r).exit_code == 0);
    sh("git checkout -q -b feature && echo 'key = " + key1 + "' > keys.txt && git add keys.txt && "
       "git commit -q --no-verify -m sneak && git checkout -q main && echo other > o.txt && git add o.txt && git commit -q -m other",
       r, gs.env);
    sh("git merge -q --no-commit --no-ff feature", r, gs.env);
    const auto c = git({"commit", "-m", "merge feature"}, r, gs.env);
    CHECK(c.exit_code == 1);
    CHECK(c.err.find(":keys.txt:1:key = " + key1 + "\n") != std::string::npos);
}

TEST_CASE("git-secrets: settings from git -c and GIT_CONFIG_COUNT apply", "[git-secrets]")
{
    DropIn gs;
    TempDir d;
    git_init_with_hooks(d / "r");
    write_file(d / "r/m.txt", "zzmagic99\n");
    const auto viac = git({"-c", "secrets.patterns=zzmagic[0-9]+", "secrets", "--scan", "m.txt"}, d / "r", gs.env);
    CHECK(viac.exit_code == 1);
    CHECK(viac.err.rfind("m.txt:1:zzmagic99\n", 0) == 0);
    const auto count = gs({"--scan", "m.txt"}, d / "r");
    CHECK(count.exit_code == 0);
    auto env = gs.env;
    env.insert(env.end(), {"GIT_CONFIG_COUNT=2", "GIT_CONFIG_KEY_0=secrets.patterns", "GIT_CONFIG_VALUE_0=zzmagic[0-9]+",
                           "GIT_CONFIG_KEY_1=secrets.allowed", "GIT_CONFIG_VALUE_1=m\\.txt"});
    CHECK(testing::run({gs.bin / "git-secrets", "--scan", "m.txt"}, d / "r", env).exit_code == 0); // allowed
}
