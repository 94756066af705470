// staged, message and history on real repositories built with git in a temporary folder.
#include "../support.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

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

std::string rev(const std::string& repo, const std::string& what)
{
    const auto r = testing::run({"git", "rev-parse", what}, repo);
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, 40);
}
} // namespace

TEST_CASE("staged: only added lines, numbered as in the staged file", "[staged]")
{
    TempDir d;
    git_init(d.path());
    write_file(d / "app.cfg", "a=1\nold=" + key1 + "\nb=2\n");
    sh("git add app.cfg && git commit -qm base", d.path());
    // The old key stays; a new key is added above it; an unstaged edit adds another.
    write_file(d / "app.cfg", "a=1\nnew=" + key2 + "\nold=" + key1 + "\nb=2\n");
    sh("git add app.cfg", d.path());
    write_file(d / "app.cfg", "a=1\nnew=" + key2 + "\nold=" + key1 + "\nb=2\nunstaged=" + key1 + "\n");
    CHECK(locations(scan_json({"staged"}, d.path())) == Locs{"app.cfg:2:5:aws-access-key-id"});
    CHECK(locations(scan_json({"staged", "--all-lines"}, d.path())) ==
          Locs{"app.cfg:2:5:aws-access-key-id", "app.cfg:3:5:aws-access-key-id"});
}

TEST_CASE("staged: a multi-line secret edited in its middle is matched whole", "[staged]")
{
    TempDir d;
    git_init(d.path());
    std::string filler;
    for (int i = 0; i < 300; ++i) filler += "line " + std::to_string(i) + "\n";
    const std::string body1 = "PeLccCw9fZsN5pYv59zpLpd9JfPfQ7ht9Wx5jdjNTkbijb94fwAjqFCzPuObG9/q\n";
    const std::string body2 = "kcwiGBgn5W0EbgEbbbpIput/UATIAnVH4V0Mt4xhll0rOxTxQqtumjm4pzwVJ2rD\n";
    auto key = [&](const std::string& middle) {
        return "-----BEGIN RSA PRIVATE KEY-----\n" + body1 + middle + body2 + "-----END RSA PRIVATE KEY-----\n";
    };
    write_file(d / "id.pem", filler + key(body1) + filler);
    sh("git add id.pem && git commit -qm base", d.path());
    write_file(d / "id.pem", filler + key(body2) + filler);
    sh("git add id.pem", d.path());
    CHECK(locations(scan_json({"staged"}, d.path())) == Locs{"id.pem:301:1:private-key-rsa"});
}

TEST_CASE("staged: a rename with unchanged content adds nothing, deletion-only commits are clean", "[staged]")
{
    TempDir d;
    git_init(d.path());
    write_file(d / "old/name.env", "KEY=" + key1 + "\nOTHER=1\nMORE=2\n");
    write_file(d / "gone.env", "KEY=" + key2 + "\n");
    sh("git add . && git commit -qm base && git mv old/name.env new.env && git rm -q gone.env", d.path());
    const auto r = secretscan({"staged"}, d.path());
    CHECK(r.exit_code == 0);
    CHECK(r.out.rfind("secretscan staged: 0 findings; scanned 1 file (", 0) == 0);
}

TEST_CASE("staged: directories the index's cache-tree shows unchanged are skipped, changes anywhere else are found", "[staged]")
{
    TempDir d;
    git_init(d.path());
    write_file(d / "a/b/c/deep.txt", "x=1\n");
    write_file(d / "a/side.txt", "s=1\n");
    write_file(d / "x/y/moved.env", "KEY=" + key2 + "\nA=1\nB=2\n");
    write_file(d / "z/same.txt", "same\n");
    write_file(d / "top.txt", "top\n");
    sh("git add . && git commit -qm base", d.path()); // the commit writes a valid cache-tree
    write_file(d / "a/b/c/deep.txt", "x=1\nk=" + key1 + "\n");
    sh("git add a/b/c/deep.txt && mkdir -p n && git mv x/y/moved.env n/moved.env", d.path());
    write_file(d / "n/moved.env", "KEY=" + key2 + "\nA=1\nB=2\nNEW=" + key1 + "\n");
    // z: invalidated in the cache-tree but unchanged; the rename's old directory is gone.
    sh("git add n/moved.env && git rm -q --cached z/same.txt && git add z/same.txt", d.path());
    const Locs want{"a/b/c/deep.txt:2:3:aws-access-key-id", "n/moved.env:4:5:aws-access-key-id"};
    CHECK(locations(scan_json({"staged"}, d.path())) == want);
    sh("git write-tree >/dev/null", d.path()); // every directory valid again, with the staged ids
    CHECK(locations(scan_json({"staged"}, d.path())) == want);
}

TEST_CASE("staged: GIT_INDEX_FILE relative to the top is honoured, a missing one is an error", "[staged]")
{
    TempDir d;
    git_init(d.path());
    write_file(d / "readme", "hello\n");
    sh("git add readme && git commit -qm base", d.path());
    write_file(d / "app.conf", "x=1\nkey=" + key1 + "\n");
    // Like `git commit app.conf`: a temporary index holds the change, the real one does not.
    sh("cp .git/index .git/tmp-index && GIT_INDEX_FILE=.git/tmp-index git add app.conf", d.path());
    CHECK(locations(scan_json({"staged"}, d.path(), 0)).empty());
    CHECK(locations(scan_json({"staged"}, d.path(), 1, {"GIT_INDEX_FILE=.git/tmp-index"})) ==
          Locs{"app.conf:2:5:aws-access-key-id"});
    const auto missing = secretscan({"staged"}, d.path(), {"GIT_INDEX_FILE=.git/no-such-index"});
    CHECK(missing.exit_code == 3);
    CHECK(missing.err == "secretscan: error: GIT_INDEX_FILE=.git/no-such-index: the index file does not exist; refusing to "
                         "treat it as an empty index\n");
}

TEST_CASE("staged: works in a linked worktree", "[staged]")
{
    TempDir d;
    git_init(d / "main");
    sh("echo hi > f && git add f && git commit -qm base && git worktree add -q ../wt -b side", d / "main");
    write_file(d / "wt/secret.txt", key2 + "\n");
    sh("git add secret.txt", d / "wt");
    CHECK(locations(scan_json({"staged"}, d / "wt")) == Locs{"secret.txt:1:1:aws-access-key-id"});
    CHECK(locations(scan_json({"staged"}, d / "main", 0)).empty());
}

TEST_CASE("history: one finding per (rule, secret, path), attributed to the first commit", "[history]")
{
    TempDir d;
    git_init(d.path());
    write_file(d / "a.txt", "k=" + key1 + "\n");
    sh("git add a.txt && git commit -qm first", d.path());
    write_file(d / "a.txt", "top\nk=" + key1 + "\n");
    sh("git commit -qam second", d.path());
    write_file(d / "b.txt", "other\nk=" + key1 + "\n");
    sh("git add b.txt && git commit -qm third", d.path());
    // A pure rename carries the same blob: an occurrence of the first finding, not a new one.
    sh("git mv a.txt renamed.txt && git commit -qm fourth && cp b.txt copy.txt && git add copy.txt && git commit -qm fifth",
       d.path());
    const auto j = scan_json({"history"}, d.path());
    REQUIRE(locations(j) == Locs{"a.txt:1:3:aws-access-key-id", "b.txt:2:3:aws-access-key-id"});
    CHECK(j["findings"][0]["commit"] == rev(d.path(), "HEAD~4"));
    CHECK(j["findings"][0]["occurrences"] == 3); // first, second, the rename
    CHECK(j["findings"][0]["author"] == "Test Author <test@example.invalid>");
    CHECK(j["findings"][1]["commit"] == rev(d.path(), "HEAD~2"));
    CHECK(j["findings"][1]["occurrences"] == 2); // b.txt and its copy
    CHECK(j["stats"]["scanned"] == 3);           // each distinct blob is read once
}

TEST_CASE("history: a range reports only what its commits introduce", "[history]")
{
    TempDir d;
    git_init(d.path());
    write_file(d / "config.ini", "[aws]\nkey=" + key1 + "\n");
    sh("git add config.ini && git commit -qm base", d.path());
    write_file(d / "config.ini", "[aws]\nkey=" + key1 + "\n[other]\nkey2=" + key2 + "\n");
    sh("git commit -qam 'add second key' && git mv config.ini moved.ini && git commit -qm rename", d.path());
    const auto j = scan_json({"history", "HEAD~2..HEAD"}, d.path());
    REQUIRE(locations(j) == Locs{"config.ini:4:6:aws-access-key-id"});
    CHECK(j["findings"][0]["commit"] == rev(d.path(), "HEAD~1"));
    CHECK(locations(scan_json({"history", "HEAD~1..HEAD"}, d.path(), 0)).empty());
}

TEST_CASE("history: revision ranges limit the commits", "[history]")
{
    TempDir d;
    git_init(d.path());
    write_file(d / "a.txt", "k=" + key1 + "\n");
    sh("git add a.txt && git commit -qm first", d.path());
    write_file(d / "b.txt", "k=" + key2 + "\n");
    sh("git add b.txt && git commit -qm second && git tag -a v1 -m 'release' && git checkout -qb topic && "
       "echo x > c.txt && git add c.txt && git commit -qm third",
       d.path());
    CHECK(locations(scan_json({"history", "HEAD~2..HEAD~1"}, d.path())) == Locs{"b.txt:1:3:aws-access-key-id"});
    CHECK(locations(scan_json({"history", "main..topic"}, d.path(), 0)).empty());
    CHECK(locations(scan_json({"history", "HEAD~1", "^HEAD~2"}, d.path())) == Locs{"b.txt:1:3:aws-access-key-id"});
    const auto bad = secretscan({"history", "nope..HEAD"}, d.path());
    CHECK(bad.exit_code == 2);
    CHECK(bad.err == "secretscan: error: nope: unknown revision (git log would say the same); check the range\n");
}

TEST_CASE("history: annotated tag messages and commit messages are scanned", "[history]")
{
    TempDir d;
    git_init(d.path());
    sh("echo x > f && git add f && git commit -qm 'clean' && git tag -a v1 -m 'release notes: key " + key2 + "'", d.path());
    const auto j = scan_json({"history"}, d.path());
    REQUIRE(j["findings"].size() == 1);
    CHECK(j["findings"][0]["source"] == "tag-message");
    CHECK(j["findings"][0]["tag"] == "v1");
    CHECK(j["findings"][0]["source_name"] == "tag v1 message");
    CHECK(j["findings"][0]["line"] == 1);
    // Naming the tag in a range includes its message too.
    const auto named = scan_json({"history", "v1"}, d.path());
    REQUIRE(named["findings"].size() == 1);
    CHECK(named["findings"][0]["tag"] == "v1");
}

TEST_CASE("history: a merge that removes a secret adds nothing, merges are scanned", "[history]")
{
    TempDir d;
    git_init(d.path());
    write_file(d / "c.env", "A=1\nK=" + key1 + "\n");
    sh("git add c.env && git commit -qm base && git checkout -qb side && echo s > s.txt && git add s.txt && "
       "git commit -qm side && git checkout -q main",
       d.path());
    write_file(d / "c.env", "A=1\n");
    sh("git commit -qam 'remove key' && git merge -q --no-edit side", d.path());
    const auto j = scan_json({"history"}, d.path());
    REQUIRE(locations(j) == Locs{"c.env:2:3:aws-access-key-id"});
    CHECK(j["findings"][0]["commit"] == rev(d.path(), "HEAD~2"));
}

TEST_CASE("history: a shallow clone is scanned with a warning", "[history]")
{
    TempDir d;
    git_init(d / "src");
    sh("echo a > a && git add a && git commit -qm one && echo k=" + key1 + " > b && git add b && git commit -qm two",
       d / "src");
    sh("git clone -q --depth 1 file://" + d / "src" + " shallow", d.path());
    const auto r = secretscan({"history"}, d / "shallow");
    CHECK(r.exit_code == 1);
    CHECK(r.err.rfind("secretscan: warning: shallow repository: history is incomplete", 0) == 0);
}

TEST_CASE("message: every line of the file, which is never modified", "[message]")
{
    TempDir d;
    const std::string text = "Subject\n\n# a comment line git -m would keep: " + key1 + "\n";
    write_file(d / "MSG", text);
    CHECK(locations(scan_json({"message", "MSG"}, d.path())) == Locs{"MSG:3:37:aws-access-key-id"});
    CHECK(testing::read_file(d / "MSG") == text);
    CHECK(secretscan({"message", "missing"}, d.path()).exit_code == 2);
}

TEST_CASE("message: nothing below git's scissors line counts (git commit -v)", "[message]")
{
    TempDir d;
    testing::git_init(d.path());
    write_file(d / "x", "k=" + key1 + "\n");
    testing::git({"add", "x"}, d.path());
    const std::string scissors = "------------------------ >8 ------------------------\n";
    const std::string explained = " Do not modify or remove the line above.\n";
    // git's block over the diff of what is staged: cut, as git cuts it.
    write_file(d / "MSG", "Subject\n# token " + key2 + " in a comment line\n# " + scissors + "#" + explained +
                              "# Everything below it will be ignored.\ndiff --git a/x b/x\n+k=" + key1 + "\n");
    CHECK(locations(scan_json({"message", "MSG"}, d.path())) == Locs{"MSG:2:9:aws-access-key-id"});
    // The same block over a diff of text the repository does not hold: typed into -F or -m
    // text, which git commits whole, so it is scanned.
    write_file(d / "TYPED", "Subject\n\n# " + scissors + "#" + explained + "# Everything below it will be ignored.\n"
                                "diff --git a/y b/y\n+key=" + key2 + "\n");
    CHECK(locations(scan_json({"message", "TYPED"}, d.path())) == Locs{"TYPED:7:6:aws-access-key-id"});
    // core.commentChar ';': git's status below its explanation (--cleanup=scissors) is cut...
    testing::git({"config", "core.commentChar", ";"}, d.path());
    write_file(d / "MSG2", "Subject\n; " + scissors + ";" + explained + "; Everything below it will be ignored.\n;\n; On branch main\n; k=" +
                               key1 + "\n");
    CHECK(locations(scan_json({"message", "MSG2"}, d.path(), 0)).empty());
    // ...and a '#' block is then text git keeps.
    write_file(d / "HASH", "Subject\n# " + scissors + "#" + explained + "# Everything below it will be ignored.\n# k=" + key1 + "\n");
    CHECK(locations(scan_json({"message", "HASH"}, d.path())) == Locs{"HASH:5:5:aws-access-key-id"});
}

TEST_CASE("history --log-opts: ref sets, ranges and a commit-time window, as gitleaks passes them", "[history]")
{
    TempDir d;
    git_init(d.path());
    const std::string old_date = "GIT_COMMITTER_DATE=2020-01-01T00:00:00Z ", new_date = "GIT_COMMITTER_DATE=2024-06-01T00:00:00Z ";
    write_file(d / "old.cfg", "k=" + key1 + "\n");
    sh("git add old.cfg && " + old_date + "git commit -qm old", d.path());
    write_file(d / "new.cfg", "k=" + key2 + "\n");
    sh("git add new.cfg && " + new_date + "git commit -qm new && git checkout -qb topic", d.path());
    write_file(d / "topic.cfg", "t=" + key1 + "\n");
    sh("git add topic.cfg && " + new_date + "git commit -qm topic && git checkout -q - && git tag v1 HEAD~1", d.path());

    // The window: only the commits inside it, and nothing they inherit from one outside it.
    CHECK(locations(scan_json({"history", "--log-opts=--since=2023-01-01 --branches"}, d.path())) ==
          Locs{"new.cfg:1:3:aws-access-key-id", "topic.cfg:1:3:aws-access-key-id"});
    CHECK(locations(scan_json({"history", "--log-opts", "--until '2021-01-01 00:00 +00:00' --all"}, d.path())) ==
          Locs{"old.cfg:1:3:aws-access-key-id"});
    // Ref sets and ranges as git log takes them; --log-opts adds to the positional ranges.
    CHECK(locations(scan_json({"history", "--log-opts=--tags"}, d.path())) == Locs{"old.cfg:1:3:aws-access-key-id"});
    CHECK(locations(scan_json({"history", "--log-opts=main..topic"}, d.path())) == Locs{"topic.cfg:1:3:aws-access-key-id"});
    CHECK(locations(scan_json({"history", "^v1", "--log-opts=--since=@1577836800 topic"}, d.path())) ==
          Locs{"new.cfg:1:3:aws-access-key-id", "topic.cfg:1:3:aws-access-key-id"});
    // An option the walk cannot honour is an error, exit 2, naming it: never a silently wider scan.
    const auto r = secretscan({"history", "--log-opts=--first-parent"}, d.path());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("secretscan: error: --log-opts: --first-parent is not supported") == 0);
}

TEST_CASE("history: each finding lists every commit that writes the secret and the refs that hold them", "[history]")
{
    TempDir d;
    git_init(d.path());
    sh("git commit -q --allow-empty -m root && git branch clean", d.path());
    write_file(d / "f.txt", "k=" + key1 + "\n");
    sh("git add f.txt && git commit -qm add && git tag v1 && git branch topic", d.path());
    const std::string added = rev(d.path(), "HEAD");
    write_file(d / "f.txt", "k=" + key1 + "\nmore\n");
    sh("git add f.txt && git commit -qm 'edit, key kept' && git checkout -q clean && git commit -q --allow-empty -m 'uses " + key2 + "'"
       " && git checkout -q -", d.path());
    const std::string edited = rev(d.path(), "HEAD"), message = rev(d.path(), "clean");

    const auto report = scan_json({"history"}, d.path());
    REQUIRE(report["findings"].size() == 2);
    const auto& file = report["findings"][0]["path"] == "f.txt" ? report["findings"][0] : report["findings"][1];
    const auto& msg = report["findings"][0]["path"] == "f.txt" ? report["findings"][1] : report["findings"][0];
    CHECK(file["commit"] == added);
    CHECK(file["commits"] == nlohmann::json::array({added, edited}));
    CHECK(file["occurrences"] == 2);
    // refs/heads/clean holds neither commit; main holds both, topic and v1 the first.
    CHECK(file["refs"] == nlohmann::json::array({"refs/heads/main", "refs/heads/topic", "refs/tags/v1"}));
    CHECK(msg["source"] == "commit-message");
    CHECK(msg["commits"] == nlohmann::json::array({message}));
    CHECK(msg["refs"] == nlohmann::json::array({"refs/heads/clean"}));
    // The commit's subject, as gitleaks' Message; a secret found in the message never shows in it.
    CHECK(file["commit_message"] == "add");
    CHECK(msg["commit_message"] == "uses AKIA\u2026");
    const auto full = scan_json({"history", "--no-redact"}, d.path());
    for (const auto& f : full["findings"])
        CHECK(f["commit_message"] == (f["path"] == "f.txt" ? "add" : "uses AKIA\u2026"));

    // The text report ends with totals per rule and per unique secret, refs included.
    const auto text = secretscan({"history"}, d.path());
    const std::string tail = text.out.substr(text.out.find("By rule:"));
    CHECK(tail.substr(0, tail.find("secretscan history:")) ==
          "By rule: aws-access-key-id 2\nBy secret:\n"
          "  AKIA\u2026 (aws-access-key-id, " + std::string(msg["fingerprint"]).substr(0, 8) + "): 1 place, 1 commit; refs: refs/heads/clean\n"
          "  AKIA\u2026 (aws-access-key-id, 2fa2365f): 1 place, 2 commits; refs: refs/heads/main, refs/heads/topic, refs/tags/v1\n");
}

TEST_CASE("history: a range that does not reach HEAD looks for its secrets in the HEAD blobs it did not read", "[history]")
{
    // HEAD still holds key1 in app.env, in a blob the range c1..c2 never reads; key2 is gone
    // from HEAD. A range must say so as a full scan does (it once said key1 was gone).
    TempDir d;
    git_init(d.path());
    write_file(d / "app.env", "NAME=demo\n");
    sh("git add -A && git commit -qm c1", d.path());
    const std::string c1 = rev(d.path(), "HEAD");
    write_file(d / "app.env", "NAME=demo\nAWS_KEY=" + key1 + "\n");
    write_file(d / "old.env", "AWS_KEY=" + key2 + "\n");
    sh("git add -A && git commit -qm c2", d.path());
    const std::string c2 = rev(d.path(), "HEAD");
    write_file(d / "app.env", "NAME=demo\nAWS_KEY=" + key1 + "\nREGION=eu-west-1\n");
    sh("git rm -q old.env && git add -A && git commit -qm c3", d.path());

    for (const std::vector<std::string>& args : {Locs{"history", c1 + ".." + c2}, Locs{"history", c1 + "..HEAD"}, Locs{"history"}}) {
        INFO(args.back());
        const auto report = scan_json(args, d.path());
        REQUIRE(locations(report) == Locs{"app.env:2:9:aws-access-key-id", "old.env:1:9:aws-access-key-id"});
        CHECK(report["findings"][0]["present_at_head"] == true);
        CHECK(report["findings"][1]["present_at_head"] == false);
    }
    const auto text = secretscan({"history", c1 + ".." + c2}, d.path());
    CHECK(text.exit_code == 1);
    CHECK(text.out.find("app.env:2:9: aws-access-key-id: AKIA") != std::string::npos);
    CHECK(text.out.find("(not at HEAD)") == text.out.rfind("(not at HEAD)")); // old.env's only
}
