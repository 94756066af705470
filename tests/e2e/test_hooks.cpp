// The installed hooks, driven by real `git commit`, `git merge` and `git push` in temporary
// repositories: every layout the installer must handle and every job a hook has.
#include "../support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using testing::build_case;
using testing::git;
using testing::git_init_with_hooks;
using testing::secretscan;
using testing::sh;
using testing::TempDir;
using testing::write_file;

namespace {
const std::string key1 = std::string("AKIA") + "IDVWTFKTANGPVYQE";
const std::string key2 = std::string("AKIA") + "Q3EGRIKZ5VXNWTDM";


void install(const std::string& dir, const std::vector<std::string>& extra = {})
{
    std::vector<std::string> args{"install"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = secretscan(args, dir);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
}

std::string head(const std::string& dir)
{
    return git({"rev-parse", "-q", "--verify", "HEAD"}, dir).out;
}

/// `git commit ARGS` that the hooks must block: asserts it failed, HEAD did not move, and
/// stderr holds exactly these finding lines.
void expect_blocked(const std::string& dir, const std::vector<std::string>& args, const std::vector<std::string>& findings,
                    const std::vector<std::string>& env = {})
{
    const std::string before = head(dir);
    std::vector<std::string> full{"commit"};
    full.insert(full.end(), args.begin(), args.end());
    const auto r = git(full, dir, env);
    INFO("git commit stderr:\n" << r.err);
    CHECK(r.exit_code != 0);
    CHECK(head(dir) == before);
    for (const auto& f : findings) CHECK(r.err.find("\n" + f + "\n") != std::string::npos);
    std::size_t lines = 0;
    for (std::size_t at = 0; (at = r.err.find(": aws-", at)) != std::string::npos; ++at) ++lines;
    CHECK(lines == findings.size());
}

void expect_committed(const std::string& dir, const std::vector<std::string>& args, const std::vector<std::string>& env = {})
{
    const std::string before = head(dir);
    std::vector<std::string> full{"commit"};
    full.insert(full.end(), args.begin(), args.end());
    const auto r = git(full, dir, env);
    INFO("git commit stderr:\n" << r.err);
    CHECK(r.exit_code == 0);
    CHECK(head(dir) != before);
}
} // namespace

TEST_CASE("hooks: install in a fresh repository, a secret is blocked, a clean commit passes", "[hooks]")
{
    TempDir d;
    git_init_with_hooks(d.path());
    install(d.path());
    for (const char* h : {"pre-commit", "commit-msg", "prepare-commit-msg", "pre-push"}) {
        CHECK(fs::exists(d / (std::string(".git/hooks/") + h)));
        CHECK(testing::read_file(d / (std::string(".git/hooks/") + h)).find("secretscan-managed") != std::string::npos);
    }
    // The first commit: no HEAD yet.
    write_file(d / "config/app.env", "REGION=eu\nKEY=" + key1 + "\n");
    sh("git add config/app.env", d.path());
    expect_blocked(d.path(), {"-m", "first"}, {"config/app.env:2:5: aws-access-key-id: AKIA\u2026"});
    const auto r = git({"commit", "-m", "first"}, d.path());
    CHECK(r.err.find("git commit --no-verify") != std::string::npos);
    CHECK(r.err.find("secretscan:allow") != std::string::npos);
    write_file(d / "config/app.env", "REGION=eu\nKEY=from-vault\n");
    sh("git add config/app.env", d.path());
    expect_committed(d.path(), {"-m", "first"});
    // commit-msg: a secret in the message, even with -m (git keeps # lines there).
    expect_blocked(d.path(), {"--allow-empty", "-m", "note\n\n# key " + key2},
                   {".git/COMMIT_EDITMSG:3:7: aws-access-key-id: AKIA\u2026 (AWS account 058264208051)"});
    // git commit -v: the diff below git's scissors block holds a line the pre-commit check
    // allowed; git cuts it from the message, and so does the commit-msg check.
    write_file(d / "allowed.env", "k=" + key1 + " # secretscan:allow\n");
    sh("git add allowed.env", d.path());
    expect_committed(d.path(), {"-v"}, {"GIT_EDITOR=sed -i 1s/^/verbose/"});
    CHECK(git({"log", "-1", "--format=%B"}, d.path()).out == "verbose\n\n");
    // A whole block typed into -F text, git's explanation and a comment below: with no editor git
    // cuts nothing, so nothing is cut (GIT_EDITOR=: tells the hook).
    write_file(d / "typed.msg", "note\n\n# ------------------------ >8 ------------------------\n# Do not modify or remove the line above.\n"
                                "# Everything below it will be ignored.\n# key " + key2 + "\n");
    expect_blocked(d.path(), {"--allow-empty", "-F", d / "typed.msg"},
                   {".git/COMMIT_EDITMSG:6:7: aws-access-key-id: AKIA\u2026 (AWS account 058264208051)"});
    // A scissors line typed into -m text: git keeps what is below it, so the hook reads it.
    expect_blocked(d.path(), {"--allow-empty", "-m", "note\n\n# ------------------------ >8 ------------------------\nkey " + key2},
                   {".git/COMMIT_EDITMSG:4:5: aws-access-key-id: AKIA\u2026 (AWS account 058264208051)"});
}

TEST_CASE("hooks: commit-msg blocks a secret in the message and never edits the message", "[hooks]")
{
    TempDir d;
    build_case("027", d.path());
    install(d / "repo");
    const std::string msg = testing::read_file(d / "COMMIT_MSG.txt");
    const std::string before = head(d / "repo");
    const auto r = git({"commit", "-F", d / "COMMIT_MSG.txt"}, d / "repo");
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(head(d / "repo") == before);
    CHECK(r.err.find("\n.git/COMMIT_EDITMSG:3:13: aws-access-key-id: AKIA\u2026 (AWS account 287578395878)\n") != std::string::npos);
    CHECK(testing::read_file(d / "COMMIT_MSG.txt") == msg);
    // The staged README change alone is clean.
    expect_committed(d / "repo", {"-m", "clean message"});
}

TEST_CASE("hooks: installing twice changes nothing, uninstall removes only what install wrote", "[hooks]")
{
    TempDir d;
    git_init_with_hooks(d.path());
    write_file(d / ".git/hooks/post-commit", "#!/bin/sh\nexit 0\n");
    install(d.path());
    const std::string shim = testing::read_file(d / ".git/hooks/pre-commit");
    const auto again = secretscan({"install"}, d.path());
    CHECK(again.out == "Hooks folder: " + d / ".git/hooks" + "\n  pre-commit: already installed\n  commit-msg: already installed\n"
                       "  prepare-commit-msg: already installed\n  pre-push: already installed\n");
    CHECK(testing::read_file(d / ".git/hooks/pre-commit") == shim);
    const auto un = secretscan({"uninstall"}, d.path());
    CHECK(un.exit_code == 0);
    CHECK(!fs::exists(d / ".git/hooks/pre-commit"));
    CHECK(!fs::exists(d / ".git/hooks/pre-push"));
    CHECK(fs::exists(d / ".git/hooks/post-commit"));
    CHECK(secretscan({"install", "--hooks", "pre-commit,nope"}, d.path()).err ==
          "secretscan: error: --hooks nope: unknown hook (secretscan provides pre-commit, commit-msg, prepare-commit-msg, pre-push)\n");
}

TEST_CASE("hooks: an existing hook is chained, runs first, and its failure stops the commit", "[hooks]")
{
    TempDir d;
    git_init_with_hooks(d.path());
    const std::string team = "#!/bin/sh\necho \"team hook ran as $(basename \"$0\")\" >> .git/team.log\n[ ! -f .git/team-fails ]\n";
    write_file(d / ".git/hooks/pre-commit", team);
    sh("chmod +x .git/hooks/pre-commit", d.path());
    const auto r = secretscan({"install", "--hooks", "pre-commit"}, d.path());
    CHECK(r.out.find("pre-commit: installed; the existing hook runs first (kept as pre-commit.secretscan-chained)") != std::string::npos);
    CHECK(testing::read_file(d / ".git/hooks/pre-commit.secretscan-chained") == team);

    write_file(d / "a.txt", "clean\n");
    sh("git add a.txt", d.path());
    expect_committed(d.path(), {"-m", "one"});
    // The chained hook sees its own name as $0, as git would have run it.
    CHECK(testing::read_file(d / ".git/team.log") == "team hook ran as pre-commit\n");

    write_file(d / ".git/team-fails", "");
    write_file(d / "a.txt", "changed\n");
    sh("git add a.txt", d.path());
    const auto failed = git({"commit", "-m", "two"}, d.path());
    CHECK(failed.exit_code == 1);
    CHECK(failed.err.find("secretscan: the pre-commit hook it chains (.git/hooks/pre-commit.secretscan-chained) failed with "
                          "exit code 1; stopped there") != std::string::npos);

    sh("rm .git/team-fails", d.path());
    write_file(d / "b.txt", key1 + "\n");
    sh("git add b.txt", d.path());
    expect_blocked(d.path(), {"-m", "three"}, {"b.txt:1:1: aws-access-key-id: AKIA\u2026"});

    CHECK(secretscan({"uninstall"}, d.path()).exit_code == 0);
    CHECK(testing::read_file(d / ".git/hooks/pre-commit") == team);
    CHECK(!fs::exists(d / ".git/hooks/pre-commit.secretscan-chained"));
}

TEST_CASE("hooks: what a chained pre-commit hook stages is checked (the staged changes are read after it runs)", "[hooks]")
{
    TempDir d;
    git_init_with_hooks(d.path());
    // A formatter-style team hook: it writes and stages a file of its own before ours checks.
    write_file(d / ".git/hooks/pre-commit", "#!/bin/sh\nprintf 'K=%s\\n' \"$(cat .git/generated)\" > gen.txt && git add gen.txt\n");
    sh("chmod +x .git/hooks/pre-commit", d.path());
    CHECK(secretscan({"install", "--hooks", "pre-commit"}, d.path()).exit_code == 0);
    write_file(d / ".git/generated", key1);
    write_file(d / "a.txt", "clean\n");
    sh("git add a.txt", d.path());
    expect_blocked(d.path(), {"-m", "one"}, {"gen.txt:1:3: aws-access-key-id: AKIA\u2026"});
    // Without a chained hook, the staged changes are read while the rules are set up: the same findings.
    CHECK(secretscan({"uninstall"}, d.path()).exit_code == 0);
    fs::remove(d / ".git/hooks/pre-commit");
    CHECK(secretscan({"install", "--hooks", "pre-commit"}, d.path()).exit_code == 0);
    write_file(d / "b.txt", "x\nK=" + key2 + "\n");
    sh("git add b.txt", d.path());
    expect_blocked(d.path(), {"-m", "two"}, {"b.txt:2:3: aws-access-key-id: AKIA\u2026 (AWS account 058264208051)", "gen.txt:1:3: aws-access-key-id: AKIA\u2026"});
}

TEST_CASE("hooks: --force moves an existing hook aside and uninstall restores it", "[hooks]")
{
    TempDir d;
    git_init_with_hooks(d.path());
    write_file(d / ".git/hooks/pre-commit", "#!/bin/sh\nexit 1\n");
    sh("chmod +x .git/hooks/pre-commit", d.path());
    const auto r = secretscan({"install", "--force", "--hooks", "pre-commit"}, d.path());
    CHECK(r.out.find("pre-commit: installed; the existing hook was moved to pre-commit.secretscan-backup (not run; uninstall restores it)") !=
          std::string::npos);
    write_file(d / "a.txt", "clean\n");
    sh("git add a.txt", d.path());
    expect_committed(d.path(), {"-m", "the old failing hook no longer runs"});
    CHECK(secretscan({"uninstall", "--hooks", "pre-commit"}, d.path()).exit_code == 0);
    CHECK(testing::read_file(d / ".git/hooks/pre-commit") == "#!/bin/sh\nexit 1\n");
}

TEST_CASE("hooks: case 022, a relative core.hooksPath with a team hook", "[hooks][cases]")
{
    TempDir d;
    build_case("022", d.path());
    const std::string repo = d / "repo";
    const auto r = secretscan({"install"}, repo);
    CHECK(r.out.rfind("Hooks folder: " + repo + "/.githooks\n", 0) == 0);
    // The folder is committed: install says what that means for the team.
    CHECK(r.out.find("note: " + repo + "/.githooks is tracked by git, so these files show as changes.") != std::string::npos);
    CHECK(!fs::exists(repo + "/.git/hooks/pre-commit"));
    expect_blocked(repo, {"-m", "x"}, {"cfg.txt:1:1: aws-access-key-id: AKIA\u2026"});
    CHECK(testing::read_file(repo + "/.git/existing-hook.log") == "existing team hook ran\n");
}

TEST_CASE("hooks: linked worktrees share the common hooks folder", "[hooks]")
{
    TempDir d;
    git_init_with_hooks(d / "main");
    sh("echo hi > f && git add f && git commit -qm base && git worktree add -q ../wt -b side", d / "main");
    install(d / "wt");
    CHECK(fs::exists(d / "main/.git/hooks/pre-commit"));
    write_file(d / "wt/k.txt", key2 + "\n");
    sh("git add k.txt", d / "wt");
    expect_blocked(d / "wt", {"-m", "x"}, {"k.txt:1:1: aws-access-key-id: AKIA\u2026 (AWS account 058264208051)"});
}

TEST_CASE("hooks: case 003, git commit -a and git commit PATH use a temporary index", "[hooks][cases]")
{
    TempDir d;
    build_case("003", d.path());
    const std::string repo = d / "repo";
    install(repo);
    expect_blocked(repo, {"-a", "-m", "x"}, {"app.conf:2:11: aws-access-key-id: AKIA\u2026"});
    expect_blocked(repo, {"-m", "x", "app.conf"}, {"app.conf:2:11: aws-access-key-id: AKIA\u2026"});
    const auto nothing = git({"commit", "-m", "x"}, repo);
    CHECK(nothing.exit_code != 0); // git refuses: nothing staged
    CHECK(nothing.err.find("secretscan") == std::string::npos);
    // The index and the working tree are untouched by the hook.
    CHECK(git({"status", "--porcelain"}, repo).out == " M app.conf\n");
}

TEST_CASE("hooks: cases 001, 004 and 015 through the installed pre-commit hook", "[hooks][cases]")
{
    TempDir d;
    build_case("001", d / "001");
    install(d / "001/repo");
    expect_blocked(d / "001/repo", {"-m", "x"}, {"readme.md:2:22: aws-access-key-id: AKIA\u2026"});

    build_case("004", d / "004");
    install(d / "004/repo");
    expect_blocked(d / "004/repo", {"-m", "x"},
                   {"a.key:1:1: aws-access-key-id: AKIA\u2026 (AWS account 937899692203)", "c.env:2:19: aws-access-key-id: AKIA\u2026 (AWS account 051642110799)"});

    build_case("015", d / "015");
    install(d / "015/repo");
    expect_blocked(d / "015/repo", {"-m", "x"}, {"creds.txt:2:19: aws-access-key-id: AKIA\u2026"});
}

TEST_CASE("hooks: deletion-only commits, partially staged files and renames", "[hooks]")
{
    TempDir d;
    git_init_with_hooks(d.path());
    write_file(d / "old.env", "A=1\nK=" + key1 + "\n");
    write_file(d / "gone.env", "K=" + key2 + "\n");
    sh("git add . && git commit -q --no-verify -m base", d.path());
    install(d.path());
    sh("git rm -q gone.env", d.path());
    expect_committed(d.path(), {"-m", "delete a file holding a key"});
    sh("git mv old.env new.env", d.path());
    expect_committed(d.path(), {"-m", "rename"});
    // Partially staged: the staged part is clean, the unstaged part holds a key.
    write_file(d / "p.txt", "one\n");
    sh("git add p.txt", d.path());
    write_file(d / "p.txt", "one\nK=" + key2 + "\n");
    expect_committed(d.path(), {"-m", "partial"});
    CHECK(git({"status", "--porcelain"}, d.path()).out == " M p.txt\n");
}

TEST_CASE("hooks: case 013, a secret typed while resolving a conflict blocks the merge commit", "[hooks][cases]")
{
    TempDir d;
    build_case("013", d.path(), "staged");
    const std::string repo = d / "repo";
    install(repo);
    expect_blocked(repo, {"--no-edit"}, {"config.env:3:12: aws-access-key-id: AKIA\u2026 (AWS account 862251223555)"});
    // prepare-commit-msg does the same check for merges (a clean git merge runs no pre-commit).
    const auto pcm = secretscan({"hook", "prepare-commit-msg", "repo", repo + "/.git/hooks/prepare-commit-msg", ".git/MERGE_MSG", "merge"}, repo);
    CHECK(pcm.exit_code == 1);
    CHECK(pcm.err.rfind("secretscan: 1 secret in what the merge adds:\nconfig.env:3:12: aws-access-key-id: AKIA\u2026 (AWS account 862251223555)\n", 0) == 0);
    CHECK(pcm.err.find("SECRETSCAN_SKIP=1 git commit") != std::string::npos);
    // --no-verify skips pre-commit but not prepare-commit-msg; SECRETSCAN_SKIP=1 skips that one.
    const auto still = git({"commit", "--no-verify", "--no-edit"}, repo);
    CHECK(still.exit_code == 1);
    expect_committed(repo, {"--no-verify", "--no-edit"}, {"SECRETSCAN_SKIP=1"});
}

TEST_CASE("hooks: a clean merge, and a merge that removes a secret, pass", "[hooks]")
{
    TempDir d;
    git_init_with_hooks(d.path());
    write_file(d / "c.env", "A=1\nK=" + key1 + "\nB=2\n");
    sh("git add c.env && git commit -q -m base --no-verify && git checkout -q -b side && echo s > s.txt && "
       "git add s.txt && git commit -q -m side && git checkout -q main",
       d.path());
    install(d.path());
    write_file(d / "c.env", "A=1\nB=2\n");
    sh("git add c.env", d.path());
    expect_committed(d.path(), {"-m", "remove the key"});
    const auto merge = git({"merge", "--no-edit", "side"}, d.path());
    INFO(merge.err);
    CHECK(merge.exit_code == 0);
    CHECK(git({"rev-list", "--count", "--merges", "HEAD"}, d.path()).out == "1\n");
}

TEST_CASE("hooks: pre-push blocks commits that skipped the local hooks", "[hooks]")
{
    TempDir d;
    sh("git init -q --bare remote.git", d.path());
    git_init_with_hooks(d / "work");
    const std::string work = d / "work";
    sh("git remote add origin ../remote.git && echo a > a && git add a && git commit -qm one && git push -q origin main", work);
    install(work);
    write_file(work + "/leak.txt", "K=" + key2 + "\n");
    sh("git add leak.txt && git commit -q --no-verify -m 'sneaked past pre-commit'", work);
    const auto push = git({"push", "origin", "main"}, work);
    INFO(push.err);
    CHECK(push.exit_code != 0);
    CHECK(push.err.find("secretscan: 1 secret in the commits being pushed:\nleak.txt:1:3: aws-access-key-id: AKIA\u2026 (AWS account 058264208051) (commit ") !=
          std::string::npos);
    CHECK(push.err.find("The push was blocked.") != std::string::npos);
    // A new branch: only commits no remote-tracking ref holds are checked.
    sh("git checkout -q -b topic", work);
    const auto topic = git({"push", "origin", "topic"}, work);
    CHECK(topic.exit_code != 0);
    CHECK(topic.err.find("leak.txt:1:3: aws-access-key-id") != std::string::npos);
    // Rewriting the commit away lets the push through.
    sh("git checkout -q main && git reset -q --hard origin/main && echo b > b && git add b && git commit -qm clean", work);
    CHECK(git({"push", "origin", "main"}, work).exit_code == 0);
    CHECK(git({"push", "origin", "main:other"}, work).exit_code == 0);
}

TEST_CASE("hooks: a push to a new, empty remote checks what that remote lacks, though another remote holds it", "[hooks]")
{
    // The commit skipped the local hooks and was pushed to origin with --no-verify; the new
    // public repository has none of it.
    TempDir d;
    sh("git init -q --bare origin.git && git init -q --bare public.git && git init -q --bare other.git", d.path());
    git_init_with_hooks(d / "work");
    const std::string work = d / "work";
    sh("git remote add origin ../origin.git && echo a > a && git add a && git commit -qm one", work);
    write_file(work + "/leak.txt", "K=" + key2 + "\n");
    sh("git add leak.txt && git commit -qm 'before the hooks' && git push -q origin main", work);
    sh("echo b > b && git add b && git commit -qm two && git push -q origin main", work);
    install(work);
    const std::string leak = "leak.txt:1:3: aws-access-key-id: AKIA\u2026 (AWS account 058264208051) (commit ";
    // A named remote with no remote-tracking branch yet.
    sh("git remote add public ../public.git", work);
    const auto to_public = git({"push", "public", "main"}, work);
    INFO(to_public.err);
    CHECK(to_public.exit_code != 0);
    CHECK(to_public.err.find(leak) != std::string::npos);
    CHECK(to_public.err.find("secretscan: warning: public holds no commit this clone knows of (no remote-tracking branch): every commit of "
                             "refs/heads/main is checked, its whole history\n") != std::string::npos);
    CHECK(git({"--git-dir", d / "public.git", "rev-parse", "-q", "--verify", "main"}, d.path()).exit_code != 0);
    // A URL that no remote names.
    const auto to_url = git({"push", d / "other.git", "main"}, work);
    CHECK(to_url.exit_code != 0);
    CHECK(to_url.err.find(leak) != std::string::npos);
    // A new branch on origin, which holds the commit already: nothing new, nothing said.
    const auto to_origin = git({"push", "origin", "main:copy"}, work);
    INFO(to_origin.err);
    CHECK(to_origin.exit_code == 0);
    CHECK(to_origin.err.find("aws-access-key-id") == std::string::npos);
}

TEST_CASE("hooks: without the secretscan binary the hooks fail closed, each with a bypass that works", "[hooks]")
{
    TempDir d;
    sh("git init -q --bare remote.git", d.path());
    const std::string work = d / "work";
    git_init_with_hooks(work);
    sh("git remote add origin ../remote.git && echo a > a && git add a && git commit -qm one && git push -q origin main", work);
    install(work);
    // The binary the hooks name is gone, and none is on PATH.
    sh("for h in .git/hooks/*; do sed -i \"s|^s='[^']*'|s='/nonexistent/secretscan'|\" $h; done", work);
    const std::vector<std::string> env{"PATH=/usr/bin:/bin"};
    write_file(work + "/b", "b\n");
    sh("git add b", work);
    const auto blocked = git({"commit", "-m", "two"}, work, env);
    CHECK(blocked.exit_code != 0);
    CHECK(blocked.err == "secretscan is not installed, so the pre-commit check cannot run: install it (or bypass once: git commit --no-verify)\n");
    // --no-verify skips pre-commit and commit-msg; prepare-commit-msg, which it cannot skip,
    // checks merges only and lets this commit through.
    const auto bypassed = git({"commit", "-q", "--no-verify", "-m", "two"}, work, env);
    CHECK(bypassed.exit_code == 0);
    CHECK(bypassed.err.empty());
    const auto push = git({"push", "-q", "origin", "main"}, work, env);
    CHECK(push.exit_code != 0);
    CHECK(push.err.rfind("secretscan is not installed, so the pre-push check cannot run: install it (or bypass once: git push --no-verify "
                         "(or SECRETSCAN_SKIP=1 git push))\n", 0) == 0);
    std::vector<std::string> skip = env;
    skip.push_back("SECRETSCAN_SKIP=1");
    const auto skipped = git({"push", "-q", "origin", "main"}, work, skip);
    CHECK(skipped.exit_code == 0);
    CHECK(skipped.err == "secretscan: SECRETSCAN_SKIP is set: pre-push check skipped (secretscan is not installed)\n");
}

TEST_CASE("hooks: SECRETSCAN_SKIP=1 skips only prepare-commit-msg and pre-push, errors fail closed", "[hooks]")
{
    TempDir d;
    sh("git init -q --bare remote.git", d.path());
    git_init_with_hooks(d / "w");
    const std::string w = d / "w";
    install(w);
    write_file(w + "/k.txt", key1 + "\n");
    sh("git add k.txt", w);
    // An exported variable must not silently switch off the pre-commit check.
    expect_blocked(w, {"-m", "x"}, {"k.txt:1:1: aws-access-key-id: AKIA\u2026"}, {"SECRETSCAN_SKIP=1"});
    sh("git commit -q --no-verify -m x && git remote add origin ../remote.git", w);
    CHECK(git({"push", "origin", "main"}, w).exit_code != 0);
    const auto r = git({"push", "origin", "main"}, w, {"SECRETSCAN_SKIP=1"});
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("secretscan: SECRETSCAN_SKIP is set: pre-push check skipped") != std::string::npos);

    const auto broken = secretscan({"hook", "commit-msg", "repo", w + "/.git/hooks/commit-msg", d / "no-such-message"}, w);
    CHECK(broken.exit_code == 2);
    CHECK(broken.err == "secretscan: error: " + d / "no-such-message" + ": no such commit message file\n"
                        "secretscan: the commit-msg check could not run, so it failed closed. Fix the cause, or bypass once: "
                        "git commit --no-verify\n");
}

TEST_CASE("hooks: repositories libgit2 cannot open fall back to git's plumbing", "[hooks]")
{
    TempDir d;
    for (const std::string kind : {"split-index", "worktree-config", "sparse-index"}) {
        const std::string repo = d / kind;
        git_init_with_hooks(repo);
        write_file(repo + "/dir/a.txt", "a\n");
        sh("git add . && git commit -qm base", repo);
        if (kind == "split-index") sh("git update-index --split-index", repo);
        if (kind == "worktree-config") sh("git config core.repositoryformatversion 1 && git config extensions.worktreeConfig true", repo);
        if (kind == "sparse-index") sh("git sparse-checkout set --cone --sparse-index dir", repo);
        install(repo);
        write_file(repo + "/dir/k.txt", "K=" + key1 + "\n");
        sh("git add dir/k.txt", repo);
        INFO(kind);
        expect_blocked(repo, {"-m", "x"}, {"dir/k.txt:1:3: aws-access-key-id: AKIA\u2026"});
    }
}

TEST_CASE("hooks: --global installs user-level hooks that still run each repository's own", "[hooks]")
{
    TempDir d;
    const std::vector<std::string> env{"HOME=" + d.path(), "XDG_CONFIG_HOME=" + d / ".config", "GIT_CONFIG_GLOBAL=" + d / ".gitconfig"};
    write_file(d / ".gitconfig", "");
    const auto r = secretscan({"install", "--global"}, d.path(), env);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(git({"config", "--file", d / ".gitconfig", "core.hooksPath"}, d.path()).out == d / ".config/secretscan/hooks\n");

    git_init_with_hooks(d / "repo");
    const std::string repo = d / "repo";
    write_file(repo + "/.git/hooks/pre-commit", "#!/bin/sh\necho own >> .git/own.log\n");
    sh("chmod +x .git/hooks/pre-commit", repo);
    write_file(repo + "/k.txt", key1 + "\n");
    sh("git add k.txt", repo);
    expect_blocked(repo, {"-m", "x"}, {"k.txt:1:1: aws-access-key-id: AKIA\u2026"}, env);
    CHECK(testing::read_file(repo + "/.git/own.log") == "own\n");
    // The repository's other hooks keep running through the global pass-through shims.
    write_file(repo + "/.git/hooks/post-commit", "#!/bin/sh\necho post >> .git/post.log\n");
    sh("chmod +x .git/hooks/post-commit", repo);
    write_file(repo + "/k.txt", "clean\n");
    sh("git add k.txt", repo);
    expect_committed(repo, {"-m", "clean"}, env);
    CHECK(testing::read_file(repo + "/.git/post.log") == "post\n");
    // In the repository, install sees the global hooks and changes nothing.
    const auto local = secretscan({"install"}, repo, env);
    CHECK(local.out.find("secretscan is installed globally") != std::string::npos);

    // A repository with its own core.hooksPath overrides the global one: install chains into it.
    git_init_with_hooks(d / "own");
    sh("git config core.hooksPath .hooks", d / "own");
    const auto own = secretscan({"install", "--hooks", "pre-commit"}, d / "own", env);
    CHECK(own.out.rfind("Hooks folder: " + d / "own/.hooks\n", 0) == 0);

    const auto un = secretscan({"uninstall", "--global"}, d.path(), env);
    CHECK(un.exit_code == 0);
    CHECK(git({"config", "--file", d / ".gitconfig", "core.hooksPath"}, d.path()).exit_code == 1);

    // Another tool's global hooks folder is not replaced silently.
    sh("git config --file .gitconfig core.hooksPath /opt/other-hooks", d.path());
    const auto refused = secretscan({"install", "--global"}, d.path(), env);
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("the global core.hooksPath is already /opt/other-hooks") != std::string::npos);
}

TEST_CASE("hooks regression: install --global --force over another tool's core.hooksPath, then uninstall --global restores it",
          "[hooks][regression]")
{
    // The old value was written before the hooks folder existed, the failed write ignored, and
    // uninstall then unset core.hooksPath instead of restoring it.
    TempDir d;
    const std::vector<std::string> env{"HOME=" + d.path(), "XDG_CONFIG_HOME=" + d / ".config", "GIT_CONFIG_GLOBAL=" + d / ".gitconfig"};
    write_file(d / ".gitconfig", "");
    sh("git config --file .gitconfig core.hooksPath /opt/other-hooks", d.path());
    const auto forced = secretscan({"install", "--global", "--force"}, d.path(), env);
    INFO(forced.out << forced.err);
    REQUIRE(forced.exit_code == 0);
    CHECK(git({"config", "--file", d / ".gitconfig", "core.hooksPath"}, d.path()).out == d / ".config/secretscan/hooks\n");
    CHECK(testing::read_file(d / ".config/secretscan/hooks/previous-core.hooksPath") == "/opt/other-hooks");
    const auto un = secretscan({"uninstall", "--global"}, d.path(), env);
    CHECK(un.exit_code == 0);
    CHECK(un.out.find("global core.hooksPath restored to /opt/other-hooks") != std::string::npos);
    CHECK(git({"config", "--file", d / ".gitconfig", "core.hooksPath"}, d.path()).out == "/opt/other-hooks\n");
}

/// The pre-commit framework, version 3.2 or later (the manifest's stage names need it; Debian
/// 12 ships 3.0.4): $PRE_COMMIT if set, else a virtual environment in the build folder that this
/// test fills from PyPI once (.ci/run and the README's test command reach PyPI).
std::string pre_commit_framework()
{
    if (const char* given = std::getenv("PRE_COMMIT"); given && *given) return given;
    const std::string venv = testing::binary_dir() + "/pre-commit-venv";
    if (!fs::exists(venv + "/bin/pre-commit")) {
        const auto made = testing::run({"sh", "-c", "python3 -m venv '" + venv + "' && '" + venv + "/bin/pip' install -q pre-commit==4.0.1"});
        INFO("could not install pre-commit 4.0.1 from PyPI into " << venv << " (needs python3-venv and the network; "
             "or set PRE_COMMIT to a pre-commit 3.2 or later):\n" << made.out << made.err);
        REQUIRE(made.exit_code == 0);
    }
    return venv + "/bin/pre-commit";
}

TEST_CASE("hooks: the pre-commit framework runs secretscan from .pre-commit-hooks.yaml", "[hooks]")
{
    const std::string pre_commit = pre_commit_framework();
    TempDir d;
    // A hooks repository holding this project's .pre-commit-hooks.yaml, as pre-commit clones it.
    git_init_with_hooks(d / "hooks-repo");
    fs::copy_file(fs::path(SECRETSCAN_SOURCE_DIR) / ".pre-commit-hooks.yaml", d / "hooks-repo/.pre-commit-hooks.yaml");
    sh("git add . && git commit -qm hooks", d / "hooks-repo");
    const std::string rev = git({"rev-parse", "HEAD"}, d / "hooks-repo").out.substr(0, 40);

    const std::string repo = d / "repo";
    git_init_with_hooks(repo);
    write_file(repo + "/.pre-commit-config.yaml",
               "repos:\n  - repo: " + d / "hooks-repo" + "\n    rev: " + rev +
                   "\n    hooks:\n      - id: secretscan\n      - id: secretscan-commit-msg\n      - id: secretscan-audit\n");
    const std::vector<std::string> env{"PATH=" + testing::binary_dir() + ":" + std::getenv("PATH"), "PRE_COMMIT_HOME=" + d / "cache",
                                       "HOME=" + d.path()};
    sh("git add .pre-commit-config.yaml", repo);
    const auto inst = testing::run({pre_commit, "install", "--hook-type", "pre-commit", "--hook-type", "pre-merge-commit",
                                    "--hook-type", "commit-msg"}, repo, env);
    INFO(inst.out << inst.err);
    REQUIRE(inst.exit_code == 0);
    expect_committed(repo, {"-m", "add config"}, env);

    SECTION("pre-commit stage: a staged key blocks the commit") {
        write_file(repo + "/k.txt", "K=" + key1 + "\n");
        sh("git add k.txt", repo);
        const auto blocked = git({"commit", "-m", "leak"}, repo, env);
        INFO(blocked.out << blocked.err);
        CHECK(blocked.exit_code != 0);
        CHECK((blocked.out + blocked.err).find("k.txt:1:3: aws-access-key-id: AKIA\u2026") != std::string::npos);
    }
    SECTION("commit-msg stage: a key in the message blocks the commit; a clean commit passes") {
        write_file(repo + "/k.txt", "K=from-env\n");
        sh("git add k.txt", repo);
        const auto msg = git({"commit", "-m", "uses " + key2}, repo, env);
        CHECK(msg.exit_code != 0);
        CHECK((msg.out + msg.err).find(":1:6: aws-access-key-id: AKIA\u2026") != std::string::npos);
        expect_committed(repo, {"-m", "reads the key from the environment"}, env);
    }
    SECTION("pre-merge-commit stage: a merge that brings a key is stopped; manual stage audits whole files") {
        sh("git checkout -qb topic && printf 'K=%s\\n' " + key1 + " > t.txt && git add t.txt && git commit -q --no-verify -m t"
           " && git checkout -q - && echo ok > other.txt && git add other.txt && git commit -q --no-verify -m other", repo);
        const auto merge = git({"merge", "--no-ff", "-m", "merge topic", "topic"}, repo, env);
        INFO(merge.out << merge.err);
        CHECK(merge.exit_code != 0);
        CHECK((merge.out + merge.err).find("t.txt:1:3: aws-access-key-id: AKIA\u2026") != std::string::npos);
        sh("git merge --abort; git merge -q --no-verify --no-ff -m 'merge topic' topic", repo);
        const auto audit = testing::run({pre_commit, "run", "--hook-stage", "manual", "secretscan-audit", "--all-files"}, repo, env);
        INFO(audit.out << audit.err);
        CHECK(audit.exit_code != 0);
        CHECK(audit.out.find("t.txt:1:3: aws-access-key-id: AKIA\u2026") != std::string::npos);
    }
}

/// The line docs/hooks.md gives for running `pre-commit install` beside `install --global`.
std::string documented_pre_commit_install()
{
    std::istringstream doc(testing::read_file(std::string(SECRETSCAN_SOURCE_DIR) + "/docs/hooks.md"));
    for (std::string line; std::getline(doc, line);)
        if (line.rfind("GIT_CONFIG_COUNT=1 ", 0) == 0) return line;
    FAIL("docs/hooks.md no longer gives the pre-commit install line for install --global");
    return {};
}

TEST_CASE("hooks: install --global and the pre-commit framework both run, installed as docs/hooks.md says", "[hooks]")
{
    const std::string pre_commit = pre_commit_framework();
    TempDir d;
    const std::vector<std::string> env{"HOME=" + d.path(), "XDG_CONFIG_HOME=" + d / ".config", "GIT_CONFIG_GLOBAL=" + d / ".gitconfig",
                                       "PRE_COMMIT_HOME=" + d / "cache",
                                       "PATH=" + fs::path(pre_commit).parent_path().string() + ":" + testing::binary_dir() + ":" +
                                           std::getenv("PATH")};
    write_file(d / ".gitconfig", "");
    const auto global = secretscan({"install", "--global"}, d.path(), env);
    REQUIRE(global.exit_code == 0);
    CHECK(global.out.find("  pre-commit framework: `pre-commit install` refuses while core.hooksPath is set; run it as "
                          "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0= pre-commit install") != std::string::npos);

    const std::string repo = d / "repo";
    git_init_with_hooks(repo);
    // A local hook of the framework's that leaves a mark each time it runs.
    write_file(repo + "/.pre-commit-config.yaml",
               "repos:\n  - repo: local\n    hooks:\n      - id: mark\n        name: mark\n        language: system\n"
               "        entry: sh -c 'echo ran >> .git/framework.log'\n        pass_filenames: false\n");
    sh("git add .pre-commit-config.yaml", repo);
    const auto refused = testing::run({pre_commit, "install"}, repo, env);
    CHECK(refused.exit_code != 0);
    CHECK(refused.out.find("Cowardly refusing") != std::string::npos);
    const auto hint = secretscan({"install"}, repo, env);
    CHECK(hint.out.find("pre-commit framework: `pre-commit install` refuses") != std::string::npos);

    const auto documented = testing::run({"sh", "-c", documented_pre_commit_install()}, repo, env);
    INFO(documented.out << documented.err);
    REQUIRE(documented.exit_code == 0);
    CHECK(git({"config", "core.hooksPath"}, repo, env).out == d / ".config/secretscan/hooks\n");
    expect_committed(repo, {"-m", "framework config"}, env);
    CHECK(testing::read_file(repo + "/.git/framework.log") == "ran\n");
    write_file(repo + "/k.txt", "K=" + key1 + "\n");
    sh("git add k.txt", repo);
    expect_blocked(repo, {"-m", "leak"}, {"k.txt:1:3: aws-access-key-id: AKIA\u2026"}, env);
    CHECK(testing::read_file(repo + "/.git/framework.log") == "ran\nran\n");
}

namespace {
/// The advice lines ("  - ...") a blocked commit or push printed, after "To go on:".
std::vector<std::string> advice_lines(const std::string& err)
{
    std::vector<std::string> out;
    std::istringstream in(err.substr(err.find("To go on:")));
    for (std::string line; std::getline(in, line);)
        if (line.rfind("  - ", 0) == 0) out.push_back(line.substr(4));
    return out;
}

/// The one advice line that starts with PREFIX.
std::string advice(const std::vector<std::string>& lines, const std::string& prefix)
{
    for (const auto& l : lines)
        if (l.rfind(prefix, 0) == 0) return l.substr(prefix.size());
    FAIL("no advice line starts with: " << prefix);
    return {};
}

/// Follows the baseline advice as printed: runs its command, writes the setting it names into the
/// file it names. ("secretscan -C TOP baseline create B KIND, and set `baseline: B` in TOP/F;")
void follow_baseline_advice(const std::vector<std::string>& lines, const std::string& repo)
{
    const std::string text = advice(lines, "to accept what is already there, record it in a baseline: ");
    const auto set = text.find(", and set `");
    const auto in = text.find("` in ", set);
    REQUIRE((set != std::string::npos && in != std::string::npos && text.back() == ';'));
    CHECK(text.rfind("secretscan -C " + repo + " baseline create .secretscan-baseline.jsonl ", 0) == 0);
    // Run from a subfolder: the command names the top, so it works wherever the user stands.
    fs::create_directories(repo + "/sub");
    const auto made = testing::run({"sh", "-c", text.substr(0, set)}, repo + "/sub", {"PATH=" + testing::binary_dir() + ":" + std::getenv("PATH")});
    INFO(made.out << made.err);
    REQUIRE(made.exit_code == 0);
    CHECK(made.out.find("wrote 1 entry") != std::string::npos);
    write_file(text.substr(in + 5, text.size() - in - 6), text.substr(set + 11, in - set - 11) + "\n");
}
} // namespace

TEST_CASE("hooks: every command a blocked commit prints works as printed, then the commit goes through", "[hooks]")
{
    TempDir d;
    git_init_with_hooks(d.path());
    install(d.path());
    expect_committed(d.path(), {"--allow-empty", "-m", "init"});
    write_file(d / "k.txt", "K=" + key1 + "\n");
    sh("git add k.txt", d.path());
    const auto blocked = git({"commit", "-m", "leak"}, d.path());
    REQUIRE(blocked.exit_code != 0);
    const auto lines = advice_lines(blocked.err);
    REQUIRE(lines.size() == 5);
    CHECK(lines[0] == "remove it from the file and stage the change again;");
    CHECK(secretscan({"rules", "explain", advice(lines, "if it is real, rotate it: secretscan rules explain ").substr(0, 17)},
                     d.path()).exit_code == 0);
    SECTION("the baseline, made from the staged changes") {
        follow_baseline_advice(lines, d.path());
        expect_committed(d.path(), {"-m", "leak"});
    }
    SECTION("the allow comment") {
        CHECK(lines[2] == "if it is not a secret, add the comment secretscan:allow to its line;");
        write_file(d / "k.txt", "K=" + key1 + " # secretscan:allow\n");
        sh("git add k.txt", d.path());
        expect_committed(d.path(), {"-m", "leak"});
    }
    SECTION("the bypass") {
        const auto r = testing::run({"sh", "-c", advice(lines, "to skip this check once: ") + " -m leak"}, d.path());
        CHECK(r.exit_code == 0);
        CHECK(git({"show", "HEAD:k.txt"}, d.path()).out == "K=" + key1 + "\n");
    }
}

TEST_CASE("hooks: every command a blocked commit message prints works as printed, and no baseline is offered", "[hooks]")
{
    TempDir d;
    git_init_with_hooks(d.path());
    install(d.path());
    const auto blocked = git({"commit", "--allow-empty", "-m", "deploy with " + key2 + "\n\nkeep this paragraph"}, d.path());
    REQUIRE(blocked.exit_code != 0);
    const auto lines = advice_lines(blocked.err);
    REQUIRE(lines.size() == 4);
    const std::string kept = d / ".git/COMMIT_EDITMSG";
    CHECK(lines[0] == "take the secret out of the message: your text is kept in " + kept + ", and git commit -e -F " + kept +
                      " starts from it;");
    CHECK(blocked.err.find("baseline") == std::string::npos);
    SECTION("start again from the kept text, without the key") {
        const auto from = lines[0].find("git commit");
        const std::string command = lines[0].substr(from, lines[0].find(" starts from it;") - from);
        fs::create_directories(d / "sub"); // from a subfolder too
        const auto r = testing::run({"sh", "-c", command + " --allow-empty"}, d / "sub", {"GIT_EDITOR=sed -i s/" + key2 + "/KEY/"});
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(git({"log", "-1", "--format=%B"}, d.path()).out == "deploy with KEY\n\nkeep this paragraph\n\n");
    }
    SECTION("the allow comment, and the bypass") {
        CHECK(lines[2] == "if it is not a secret, add the comment secretscan:allow to its line;");
        expect_committed(d.path(), {"--allow-empty", "-m", "deploy with " + key2 + " secretscan:allow"});
        const auto r = testing::run({"sh", "-c", advice(lines, "to skip this check once: ") + " --allow-empty -m 'with " + key2 + "'"}, d.path());
        CHECK(r.exit_code == 0);
    }
}

namespace {
/// D/r: a repository with the hooks installed whose first commit is on D/remote.git's main.
std::string repo_with_remote(const TempDir& d)
{
    sh("git init -q --bare remote.git", d.path());
    const std::string repo = d / "r";
    git_init_with_hooks(repo);
    install(repo);
    sh("git remote add origin ../remote.git && git commit -q --allow-empty -m init && git push -q origin HEAD:refs/heads/main"
       " && git fetch -q origin", repo);
    return repo;
}
} // namespace

TEST_CASE("hooks: every command a blocked push prints works as printed, then the push goes through", "[hooks]")
{
    TempDir d;
    const std::string repo = repo_with_remote(d);
    write_file(repo + "/k.txt", "K=" + key1 + "\n");
    sh("git add k.txt && git commit -q --no-verify -m leak", repo);
    const auto blocked = git({"push", "origin", "HEAD:refs/heads/main"}, repo);
    REQUIRE(blocked.exit_code != 0);
    const auto lines = advice_lines(blocked.err);
    REQUIRE(lines.size() == 5);
    SECTION("the baseline, made from the history") {
        follow_baseline_advice(lines, repo);
        CHECK(git({"push", "origin", "HEAD:refs/heads/main"}, repo).exit_code == 0);
    }
    SECTION("both bypasses") {
        CHECK(advice(lines, "to skip this check once: ") == "git push --no-verify (or SECRETSCAN_SKIP=1 git push)");
        CHECK(testing::run({"sh", "-c", "git push --no-verify origin HEAD:refs/heads/main"}, repo).exit_code == 0);
        sh("git commit -q --allow-empty --no-verify -m 'with " + key2 + "'", repo);
        CHECK(testing::run({"sh", "-c", "SECRETSCAN_SKIP=1 git push origin HEAD:refs/heads/main"}, repo).exit_code == 0);
    }
}

TEST_CASE("hooks: with a baseline configured, the advice adds to it and keeps what it accepted before", "[hooks]")
{
    TempDir d;
    git_init_with_hooks(d.path());
    install(d.path());
    write_file(d / ".secretscan.yaml", "baseline: team/accepted.jsonl\n");
    // team/ does not exist yet: baseline create makes it. Until then a commit warns once, not
    // once per hook it runs.
    write_file(d / "clean.txt", "nothing\n");
    sh("git add clean.txt", d.path());
    const auto clean = git({"commit", "-m", "clean"}, d.path());
    CHECK(clean.exit_code == 0);
    std::size_t warnings = 0;
    for (std::size_t at = 0; (at = clean.err.find("does not exist (create it", at)) != std::string::npos; ++at) ++warnings;
    CHECK(warnings == 1);
    const std::vector<std::string> path{"PATH=" + testing::binary_dir() + ":" + std::getenv("PATH")};
    for (const auto& [file, key] : {std::pair{"a.txt", key1}, std::pair{"b.txt", key2}}) {
        write_file(d / file, "K=" + key + "\n");
        sh(std::string("git add ") + file, d.path());
        const auto blocked = git({"commit", "-m", file}, d.path());
        REQUIRE(blocked.exit_code != 0);
        const std::string text = advice(advice_lines(blocked.err), "to accept what is already there, add it to your baseline: ");
        CHECK(text == "secretscan -C " + d.path() + " baseline create team/accepted.jsonl staged;");
        const auto made = testing::run({"sh", "-c", text.substr(0, text.size() - 1)}, d.path(), path);
        INFO(made.out << made.err);
        REQUIRE(made.exit_code == 0);
        expect_committed(d.path(), {"-m", file});
    }
    // The second run kept the first key's entry: both commits pass a history scan.
    CHECK(secretscan({"history"}, d.path()).exit_code == 0);
    CHECK(testing::read_file(d / "team/accepted.jsonl").find("\"path\":\"a.txt\"") != std::string::npos);
}

TEST_CASE("hooks: a pushed tag whose message holds a key: the advice names the tag and works as printed", "[hooks]")
{
    TempDir d;
    const std::string repo = repo_with_remote(d);
    sh("git tag -a v1 -m 'deploy key " + key1 + "'", repo);
    const auto blocked = git({"push", "origin", "v1"}, repo);
    REQUIRE(blocked.exit_code != 0);
    CHECK(blocked.err.find("no commits to scan") == std::string::npos);
    const auto lines = advice_lines(blocked.err);
    const std::string text = advice(lines, "write tag v1 again without it: ");
    CHECK(text == "git tag -f -a v1 'v1^{}';");
    CHECK(blocked.err.find("git rebase -i") == std::string::npos); // no commit to rewrite: only the tag
    const auto rewritten = testing::run({"sh", "-c", text.substr(0, text.size() - 1)}, repo, {"GIT_EDITOR=sh -c 'echo release > \"$1\"' --"});
    INFO(rewritten.err);
    REQUIRE(rewritten.exit_code == 0);
    CHECK(git({"push", "origin", "v1"}, repo).exit_code == 0);
    CHECK(git({"cat-file", "tag", "v1"}, d / "remote.git").out.find("\n\nrelease\n") != std::string::npos);
}
