// History scans read packs themselves (src/git/pack.cpp, issue 16 item 1): the same findings
// from loose objects (read through libgit2), from packs with offset deltas, with id deltas and
// deep chains, and from packs and loose objects together; a damaged pack is an error.
#include "../support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

using namespace testing;
using Locs = std::vector<std::string>;

namespace {
const std::string aws_key = std::string("AKIA") + "IDVWTFKTANGPVYQE";
const std::string stripe_key = std::string("sk_live_") + "51Hq7LmZ2xV9rT4wN8kP3sQ1aB6cD9eF2gH5jK8mN0pR3tU6wX9zA2bC5dE8fG1hJ4kL7mN0pQ3rS6";

/// 200 lines of settings, line `changed` saying `value` and line `edited` edited: versions of
/// one file that git stores as deltas of each other.
std::string settings(int changed, const std::string& value, int edited = 0)
{
    std::string out;
    for (int i = 1; i <= 200; ++i)
        out += i == changed  ? value + "\n"
               : i == edited ? "option_" + std::to_string(i) + " = edited\n"
                             : "option_" + std::to_string(i) + " = value number " + std::to_string(i) + "\n";
    return out;
}

/// 40 commits editing conf/app.ini one line at a time; the AWS key is added at commit 10 (line
/// 10) and removed at 20; the Stripe key is added at commit 30 (line 30) on a branch merged
/// back; then the folder is renamed.
void build_history(const TempDir& d)
{
    git_init(d.path());
    for (int i = 1; i <= 40; ++i) {
        if (i == 30) {
            sh("git checkout -qb topic", d.path());
            write_file(d / "conf/stripe.ini", settings(30, "stripe = " + stripe_key));
            sh("git add -A && git commit -qm 'topic " + std::to_string(i) + "' && git checkout -q main", d.path());
        }
        const bool key = i >= 10 && i < 20;
        write_file(d / "conf/app.ini", settings(key ? 10 : 0, "aws_key = " + aws_key, key && i > 10 ? 100 + i : i));
        sh("git add -A && git commit -qm 'edit " + std::to_string(i) + "'", d.path());
        if (i == 30) sh("git merge -q --no-edit topic", d.path());
    }
    sh("git mv conf settings && git commit -qm rename", d.path());
}

/// The findings of a full history scan as "path:line:column:rule@first commit's subject".
Locs history_findings(const TempDir& d)
{
    const auto report = scan_json({"history"}, d.path());
    Locs out = locations(report);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] += "@" + std::string(report["findings"][i]["commit_message"]);
    return out;
}

std::size_t loose_objects(const TempDir& d)
{
    return std::stoul(git({"count-objects"}, d.path()).out);
}
} // namespace

TEST_CASE("history finds the same secrets in loose objects, offset-delta packs, id-delta packs and both together", "[pack-files]")
{
    TempDir d;
    build_history(d);
    const Locs expected{"conf/app.ini:10:11:aws-access-key-id@edit 10", "conf/stripe.ini:30:10:stripe-secret-key@topic 30"};
    REQUIRE(loose_objects(d) > 100);
    CHECK(history_findings(d) == expected);
    sh("git repack -adfq --depth=50 --window=50", d.path()); // offset deltas, chains as deep as 40
    REQUIRE(loose_objects(d) == 0);
    CHECK(history_findings(d) == expected);
    sh("git -c repack.useDeltaBaseOffset=false repack -adfq --depth=50 --window=50", d.path()); // deltas name their base by id
    CHECK(history_findings(d) == expected);
    // A second pack and loose objects beside the first.
    write_file(d / "settings/more.ini", settings(5, "aws_key = " + aws_key));
    sh("git add -A && git commit -qm more && git repack -dq", d.path());
    write_file(d / "settings/last.ini", settings(7, "stripe = " + stripe_key));
    sh("git add -A && git commit -qm last", d.path());
    CHECK(history_findings(d) == Locs{"conf/app.ini:10:11:aws-access-key-id@edit 10", "conf/stripe.ini:30:10:stripe-secret-key@topic 30",
                                      "settings/last.ini:7:10:stripe-secret-key@last", "settings/more.ini:5:11:aws-access-key-id@more"});
}

TEST_CASE("history stops with the pack and offset when a packed object is damaged", "[pack-files]")
{
    TempDir d;
    build_history(d);
    sh("git repack -adfq", d.path());
    const std::string blob = git({"rev-parse", "HEAD:settings/stripe.ini"}, d.path()).out.substr(0, 40);
    // git verify-pack -v: "ID TYPE SIZE SIZE-IN-PACK OFFSET ..." for each object.
    const std::string listing = run({"bash", "-c", "git verify-pack -v .git/objects/pack/*.idx | grep ^" + blob}, d.path()).out;
    std::istringstream fields(listing);
    std::string id, type;
    std::uint64_t size = 0, packed = 0, offset = 0;
    fields >> id >> type >> size >> packed >> offset;
    REQUIRE(packed > 12);
    const std::string pack_file = run({"bash", "-c", "ls .git/objects/pack/*.pack"}, d.path()).out;
    const std::string path = d / pack_file.substr(0, pack_file.size() - 1);
    sh("chmod u+w " + pack_file.substr(0, pack_file.size() - 1), d.path());
    {
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(offset + packed / 2));
        f.write("\xff\xff\xff\xff", 4); // inside the object's zlib stream
    }
    const auto r = secretscan({"history"}, d.path());
    CHECK(r.exit_code == 3);
    CHECK(r.err.find(path.substr(path.find(".git/")) + " at offset " + std::to_string(offset) + ": corrupt zlib stream") != std::string::npos);
    CHECK(r.err.find("git fsck") != std::string::npos);
}

namespace {
/// main, then branches "late" (the AWS key at conf/k.env, committed at 2033-05-18) and "odd"
/// (the same file in a commit whose committer date is "-5": git reads it as 2^34 - 5 seconds,
/// later than "late"), three branches merged by one octopus merge, and "late" and "odd" merged
/// back. Each step commits at a fixed date, so the order of the walk depends on the dates.
void build_dated_history(const TempDir& d, const std::function<void()>& midway)
{
    git_init(d.path());
    const auto commit = [&](const std::string& what, const std::string& date) {
        sh("git add -A && GIT_COMMITTER_DATE='" + date + " +0000' git commit -qm '" + what + "'", d.path());
    };
    write_file(d / "README", "dated\n");
    commit("base", "1400000000");
    for (const std::string b : {"x1", "x2", "x3"}) {
        sh("git checkout -qb " + b + " main", d.path());
        write_file(d / (b + ".txt"), b + "\n");
        commit("add " + b, "1400000100");
    }
    sh("git checkout -q main && GIT_COMMITTER_DATE='1400000200 +0000' git merge -q --no-edit x1 x2 x3", d.path());
    midway();
    sh("git checkout -qb late main", d.path());
    write_file(d / "conf/k.env", "AWS_ACCESS_KEY_ID=" + aws_key + "\n");
    commit("late", "2000000000");
    sh("printf 'tree %s\\nparent %s\\nauthor A <a@example.com> 1500000000 +0000\\ncommitter A <a@example.com> -5 +0000\\n\\nodd\\n' "
       "$(git rev-parse late^{tree}) $(git rev-parse main) | git hash-object -t commit -w --stdin --literally > .git/odd-id",
       d.path());
    sh("git branch odd $(cat .git/odd-id) && git checkout -q main && GIT_COMMITTER_DATE='2100000000 +0000' git merge -q --no-edit late odd",
       d.path());
}

std::string commit_graph_note(const std::string& err)
{
    const std::size_t at = err.find("secretscan: commit-graph: ");
    return at == std::string::npos ? "" : err.substr(at, err.find('\n', at) - at);
}
} // namespace

TEST_CASE("history reads commits from git's commit-graph, one file or a split chain, and the report stays the same", "[pack-files]")
{
    const TempDir d;
    build_dated_history(d, [&] { sh("git commit-graph write --reachable --split", d.path()); });
    const Locs expected{"conf/k.env:1:19:aws-access-key-id@late"};
    const std::string commits = git({"rev-list", "--all", "--count"}, d.path()).out;
    REQUIRE(commits == "8\n"); // base, x1-x3, the octopus merge, late, odd, the last merge
    sh("git commit-graph write --reachable --split=no-merge", d.path());
    REQUIRE(read_file(d / ".git/objects/info/commit-graphs/commit-graph-chain").size() == 2 * 41); // two layers
    auto verbose = secretscan({"-v", "history"}, d.path());
    CHECK(commit_graph_note(verbose.err) == "secretscan: commit-graph: 8 commits read from it, not inflated");
    CHECK(history_findings(d) == expected);
    sh("git commit-graph write --reachable", d.path()); // one file
    REQUIRE(std::filesystem::exists(d / ".git/objects/info/commit-graph"));
    verbose = secretscan({"-v", "history"}, d.path());
    CHECK(commit_graph_note(verbose.err) == "secretscan: commit-graph: 8 commits read from it, not inflated");
    CHECK(history_findings(d) == expected);
    sh("rm -rf .git/objects/info/commit-graph*", d.path()); // none: every commit inflated, same order
    CHECK(commit_graph_note(secretscan({"-v", "history"}, d.path()).err).empty());
    CHECK(history_findings(d) == expected);
}

TEST_CASE("history passes over a damaged commit-graph with a note and reads the commits instead", "[pack-files]")
{
    TempDir d;
    build_dated_history(d, [] {});
    sh("git commit-graph write --reachable && chmod u+w .git/objects/info/commit-graph", d.path());
    const std::string file = d / ".git/objects/info/commit-graph";
    {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(-30, std::ios::end); // the last commit's entry, before the checksum
        f.write("\x01", 1);
    }
    const auto r = secretscan({"-v", "history"}, d.path());
    CHECK(r.err.find("secretscan: " + file + ": checksum mismatch (damaged or torn); the commits it holds are read from the object database\n") !=
          std::string::npos);
    CHECK(commit_graph_note(r.err).empty());
    CHECK(history_findings(d) == Locs{"conf/k.env:1:19:aws-access-key-id@late"});
    // A folder where the file would be.
    sh("rm -f .git/objects/info/commit-graph && mkdir .git/objects/info/commit-graph", d.path());
    const auto folder = secretscan({"-v", "history"}, d.path());
    CHECK(folder.exit_code == 1);
    CHECK(folder.err.find("secretscan: " + file + ": not a regular file, or it cannot be read; the commits it holds are read from the object database\n") !=
          std::string::npos);
    // git's switch: core.commitGraph false.
    sh("rmdir .git/objects/info/commit-graph && git commit-graph write --reachable && git config core.commitGraph false", d.path());
    const auto off = secretscan({"-v", "history"}, d.path());
    CHECK(off.err.find("secretscan: core.commitGraph is false: the commit-graph is not read (as git does not)\n") != std::string::npos);
    CHECK(commit_graph_note(off.err).empty());
    CHECK(history_findings(d) == Locs{"conf/k.env:1:19:aws-access-key-id@late"});
}

TEST_CASE("history passes over a damaged layer of a split commit-graph and every layer above it", "[pack-files]")
{
    TempDir d;
    build_dated_history(d, [&] { sh("git commit-graph write --reachable --split", d.path()); });
    sh("git commit-graph write --reachable --split=no-merge", d.path());
    const std::string chain = read_file(d / ".git/objects/info/commit-graphs/commit-graph-chain");
    REQUIRE(chain.size() == 2 * 41);
    const std::string base = d / (".git/objects/info/commit-graphs/graph-" + chain.substr(0, 40) + ".graph");
    sh("chmod u+w " + base, d.path());
    {
        std::fstream f(base, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(-30, std::ios::end);
        f.write("\x01", 1);
    }
    const auto r = secretscan({"-v", "history"}, d.path());
    CHECK(r.err.find("secretscan: " + base + ": checksum mismatch (damaged or torn); the commits it holds and those of the 1 layer(s) above it "
                     "are read from the object database\n") != std::string::npos);
    CHECK(commit_graph_note(r.err).empty());
    CHECK(history_findings(d) == Locs{"conf/k.env:1:19:aws-access-key-id@late"});
}
