// history --all-objects and the refs a full history scan walks by default (issue 16, item 3).
#include "../support.hpp"

#include <catch2/catch.hpp>

using namespace testing;
using Locs = std::vector<std::string>;

namespace {
const std::string aws_key = std::string("AKIA") + "IDVWTFKTANGPVYQE";
const std::string stripe_key = std::string("sk_live_") + "51Hq7LmZ2xV9rT4wN8kP3sQ1aB6cD9eF2gH5jK8mN0pR3tU6wX9zA2bC5dE8fG1hJ4kL7mN0pQ3rS6";

/// A repository with one commit (a.txt), in `d`.
void one_commit(const TempDir& d)
{
    git_init(d.path());
    write_file(d / "a.txt", "hello\n");
    sh("git add a.txt && git commit -qm init", d.path());
}
} // namespace

TEST_CASE("history: refs/stash and refs/notes are scanned by default, as git log --all walks them", "[all-objects]")
{
    TempDir d;
    one_commit(d);
    write_file(d / "a.txt", "AWS_KEY=" + aws_key + "\n");
    sh("git stash -q && git notes add -m 'STRIPE=" + stripe_key + "' HEAD", d.path());
    const std::string head = git({"rev-parse", "HEAD"}, d.path()).out.substr(0, 40);
    const auto found = scan_json({"history"}, d.path());
    // A note is a blob named after the commit it annotates, in the notes ref's tree. Reports
    // sort by path, and the commit id may sort before or after a.txt.
    const bool note_first = head < "a.txt";
    const auto& note = found["findings"][note_first ? 0 : 1];
    const auto& stash = found["findings"][note_first ? 1 : 0];
    REQUIRE(found["findings"].size() == 2);
    CHECK(std::string(note["path"]) + ":" + std::string(note["rule_id"]) == head + ":stripe-secret-key");
    CHECK(note["refs"] == nlohmann::json::array({"refs/notes/commits"}));
    CHECK(std::string(stash["path"]) + ":" + std::string(stash["rule_id"]) == "a.txt:aws-access-key-id");
    CHECK(stash["refs"] == nlohmann::json::array({"refs/stash"}));
}

TEST_CASE("history --all-objects: a secret only a dangling commit or an unreachable blob holds is found", "[all-objects]")
{
    TempDir d;
    one_commit(d);
    write_file(d / "k.env", "AWS_KEY=" + aws_key + "\n");
    sh("git add k.env && git commit -qm key && git reset -q --hard HEAD~1", d.path()); // only the reflog holds it
    write_file(d / "loose.txt", "STRIPE=" + stripe_key + "\n");
    const std::string blob = git({"hash-object", "-w", "loose.txt"}, d.path()).out.substr(0, 40);
    sh("rm loose.txt", d.path());
    // By default neither is reported: no ref reaches them.
    CHECK(locations(scan_json({"history"}, d.path(), 0)) == Locs{});
    const auto all = secretscan({"history", "--all-objects", "--format", "json", "-v"}, d.path());
    CHECK(all.exit_code == 1);
    const auto report = nlohmann::json::parse(all.out);
    CHECK(locations(report) == Locs{"(unreachable)/" + blob + ":1:8:stripe-secret-key", "k.env:1:9:aws-access-key-id"});
    CHECK(report["findings"][1]["refs"] == nlohmann::json::array()); // no ref reaches the commit
    CHECK(report["findings"][0]["refs"] == nlohmann::json::array());
    CHECK(report["findings"][0]["commits"] == nlohmann::json::array());
    // Once a tag names the blob, a plain history scan reads it, and the tag is what holds it.
    sh("git tag blobtag " + blob, d.path());
    const auto tagged = scan_json({"history"}, d.path());
    CHECK(locations(tagged) == Locs{"refs/tags/blobtag:1:8:stripe-secret-key"});
    CHECK(tagged["findings"][0]["refs"] == nlohmann::json::array({"refs/tags/blobtag"}));
    CHECK(all.err.find("secretscan: --all-objects: 1 commits no ref reaches\n") != std::string::npos);
    CHECK(all.err.find("secretscan: --all-objects: 1 blobs no commit or ref names\n") != std::string::npos);
    // It scans everything: a range with it is a usage error.
    const auto ranged = secretscan({"history", "--all-objects", "HEAD"}, d.path());
    CHECK(ranged.exit_code == 2);
    CHECK(ranged.err.find("history --all-objects scans every object: give no revision range or --log-opts with it") != std::string::npos);
}
