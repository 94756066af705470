// history --shard I/N and report merge (issue 16, item 4): the shards' reports, merged, are the
// report of a single process, byte for byte.
#include "../support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace testing;
using Locs = std::vector<std::string>;

namespace {
const std::string aws1 = std::string("AKIA") + "IDVWTFKTANGPVYQE";
const std::string aws2 = std::string("AKIA") + "R4TZWN7KXQ2PLMV3";
const std::string aws3 = std::string("AKIA") + "H6QXJ3MZ2TPWKN5B";
const std::string stripe = std::string("sk_live_") + "51Hq7LmZ2xV9rT4wN8kP3sQ1aB6cD9eF2gH5jK8mN0pR3tU6wX9zA2bC5dE8fG1hJ4kL7mN0pQ3rS6";

/// Several secrets under several paths, one copied to a second path, some still at HEAD, one
/// only on a side branch, one in a commit message and one in an annotated tag's message.
void make_history(const std::string& dir)
{
    git_init(dir);
    write_file(dir + "/a.env", "AWS_KEY=" + aws1 + "\n");
    write_file(dir + "/svc/config.yml", "stripe: " + stripe + "\n");
    write_file(dir + "/notes.txt", "nothing here\n");
    sh("git add -A && git commit -qm init", dir);
    write_file(dir + "/b/copy.env", "AWS_KEY=" + aws1 + "\n"); // the same blob under a second path
    write_file(dir + "/c.txt", "key = " + aws2 + "\n");
    write_file(dir + "/docs/setup.md", "Use AWS_KEY=" + aws2 + " to start\n");
    sh("git add -A && git commit -qm 'add c, key " + aws3 + "'", dir); // a secret in a message
    write_file(dir + "/a.env", "AWS_KEY=\n"); // gone from a.env, still in b/copy.env
    write_file(dir + "/c.txt", "first\nkey = " + aws2 + "\n");
    // HEAD holds a.env's secret only in this other blob, at a path of another shard (N = 2, 3, 4).
    write_file(dir + "/b/copy.env", "# moved\nAWS_KEY=" + aws1 + "\n");
    write_file(dir + "/logo.bin", std::string("PNG\0\0\1binary", 12)); // skipped as binary: listed once
    sh("git add -A && git commit -qm 'move the key'", dir);
    sh("git tag -a v1 -m 'release; stripe " + stripe + "'", dir); // a secret in a tag message
    sh("git checkout -qb side && printf 'AWS_KEY=%s\\n' " + aws3 + " > side.env && git add side.env && git commit -qm side && git checkout -q main",
       dir);
}

/// `history --shard I/N` for every I, each written to a file; returns the files.
std::vector<std::string> run_shards(const TempDir& d, unsigned n, const std::string& format)
{
    std::vector<std::string> files;
    for (unsigned i = 0; i < n; ++i) {
        files.push_back(d / ("shard-" + std::to_string(i) + "." + format));
        const auto r = secretscan({"history", "--shard", std::to_string(i) + "/" + std::to_string(n), "--format", format, "-o", files.back()},
                                  d.path() + "/repo");
        INFO(r.err);
        CHECK((r.exit_code == 0 || r.exit_code == 1));
    }
    return files;
}

std::string merged(const std::vector<std::string>& files, const std::string& cwd, int expected_exit = 1)
{
    std::vector<std::string> args{"report", "merge"};
    args.insert(args.end(), files.begin(), files.end());
    const auto r = secretscan(args, cwd);
    INFO(r.err);
    CHECK(r.exit_code == expected_exit);
    return r.out;
}

/// json's one run-dependent field, the seconds the scan took, set to 0.
std::string without_seconds(const std::string& report)
{
    auto j = nlohmann::json::parse(report);
    j["stats"]["seconds"] = 0;
    return j.dump(2);
}
} // namespace

TEST_CASE("history --shard I/N: the merged reports of N shards are a single run's report, byte for byte", "[shard]")
{
    TempDir d;
    const std::string repo = d / "repo";
    make_history(repo);
    // What a single run reports: the secrets where they first appeared, the copy as an
    // occurrence, the message's and the tag's secrets.
    const auto single = scan_json({"history"}, repo);
    const std::string message_commit = git({"rev-parse", "--short=12", "main~1"}, repo).out.substr(0, 12);
    CHECK(locations(single) == Locs{"a.env:1:9:aws-access-key-id", "b/copy.env:2:9:aws-access-key-id", "c.txt:1:7:aws-access-key-id",
                                    "commit " + message_commit + " message:1:12:aws-access-key-id", "docs/setup.md:1:13:aws-access-key-id",
                                    "side.env:1:9:aws-access-key-id", "svc/config.yml:1:9:stripe-secret-key",
                                    "tag v1 message:1:17:stripe-secret-key"});
    const auto& a_env = single["findings"][0];
    CHECK(a_env["occurrences"] == 2); // and b/copy.env, which HEAD still holds
    CHECK(a_env["present_at_head"] == true);
    CHECK(single["findings"][2]["occurrences"] == 2); // c.txt, changed
    CHECK(single["findings"][5]["present_at_head"] == false); // side.env: not at HEAD
    REQUIRE(single["stats"]["skipped"].size() == 1);
    CHECK(single["stats"]["skipped"][0]["reason"] == "binary (NUL byte in the first 8000 bytes)");
    // Three shards split this history: no shard holds every finding.
    for (const std::string& file : run_shards(d, 3, "jsonl")) {
        const std::string text = read_file(file);
        CHECK(std::count(text.begin(), text.end(), '\n') < 9); // 8 findings and the shard's record
    }
    for (const std::string format : {"jsonl", "sarif", "json"}) {
        const auto one = secretscan({"history", "--format", format}, repo);
        REQUIRE(one.exit_code == 1);
        for (unsigned n = 1; n <= 4; ++n) {
            INFO(format << " with " << n << " shards");
            const std::string out = merged(run_shards(d, n, format), repo);
            if (format == "json") CHECK(without_seconds(out) == without_seconds(one.out));
            else CHECK(out == one.out);
        }
    }
}
