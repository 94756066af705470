// History scans read packs themselves (src/git/pack.cpp, issue 16 item 1): the same findings
// from loose objects (read through libgit2), from packs with offset deltas, with id deltas and
// deep chains, and from packs and loose objects together; a damaged pack is an error.
#include "../support.hpp"

#include <catch2/catch.hpp>

#include <fstream>
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
