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

TEST_CASE("history --shard with a revision range and with --all-objects: merged = single run", "[shard]")
{
    TempDir d;
    const std::string repo = d / "repo";
    make_history(repo);
    // A range: what a parent outside it holds is not reported, whichever shard holds the parent's path.
    write_file(repo + "/tagged.txt", "STRIPE=" + stripe + "\n");
    const std::string blob = git({"hash-object", "-w", "tagged.txt"}, repo).out.substr(0, 40);
    sh("git tag blobtag " + blob + " && rm tagged.txt", repo);
    write_file(repo + "/loose.txt", "key " + aws3 + "\n");
    sh("git hash-object -w loose.txt >/dev/null && rm loose.txt", repo);
    for (const std::vector<std::string>& scan : {std::vector<std::string>{"history", "main~1..side"}, std::vector<std::string>{"history", "--all-objects"}})
        for (const std::string format : {"jsonl", "sarif"}) {
            std::vector<std::string> args = scan;
            args.insert(args.end(), {"--format", format});
            const auto one = secretscan(args, repo);
            REQUIRE(one.exit_code == 1);
            for (unsigned n = 2; n <= 3; ++n) {
                INFO(scan.back() << " " << format << " with " << n << " shards");
                std::vector<std::string> files;
                for (unsigned i = 0; i < n; ++i) {
                    files.push_back(d / ("s" + std::to_string(i)));
                    std::vector<std::string> shard = args;
                    shard.insert(shard.end(), {"--shard", std::to_string(i) + "/" + std::to_string(n), "-o", files.back()});
                    CHECK(secretscan(shard, repo).exit_code <= 1);
                }
                CHECK(merged(files, repo) == one.out);
            }
        }
    const auto all = scan_json({"history", "--all-objects"}, repo);
    CHECK(locations(all).size() == 10); // the tagged blob, the unreachable one and the 8 of the history
}

TEST_CASE("history --shard and report merge: what they refuse", "[shard]")
{
    TempDir d;
    const std::string repo = d / "repo";
    make_history(repo);
    const auto bad = secretscan({"history", "--shard", "3/3", "--format", "jsonl"}, repo);
    CHECK(bad.exit_code == 2);
    CHECK(bad.err == "secretscan: error: history --shard 3/3: expected I/N with I below N, shards counted from 0 (0/3, 1/3 and 2/3 are "
                     "the shards of 3)\n");
    const auto text = secretscan({"history", "--shard", "0/2"}, repo);
    CHECK(text.exit_code == 2);
    CHECK(text.err == "secretscan: error: history --shard: give --format jsonl, json or sarif (the formats report merge combines)\n");
    const auto jsonl = run_shards(d, 2, "jsonl");
    const auto sarif = run_shards(d, 3, "sarif");
    const auto refused = [&repo](const std::vector<std::string>& files, const std::string& error) {
        std::vector<std::string> args{"report", "merge"};
        args.insert(args.end(), files.begin(), files.end());
        const auto r = secretscan(args, repo);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        CHECK(r.err == "secretscan: error: report merge: " + error + "\n");
    };
    refused({jsonl[0]}, "shard 1/2 is missing (2 reports are needed, one per shard)");
    refused({}, "no reports given (give every shard's report)");
    refused({jsonl[0], jsonl[1], jsonl[0]}, jsonl[0] + ": given twice: give each shard's report once");
    refused({jsonl[0], sarif[1]}, sarif[1] + ": a sarif report, and " + jsonl[0] + " a jsonl one: merge reports of one format");
    sh("cp shard-0.jsonl two.jsonl", d.path());
    const auto three = run_shards(d, 3, "jsonl");
    refused({d / "two.jsonl", three[1], three[2]}, three[1] + ": shard 1/3, and " + d / "two.jsonl" + " is shard 0/2: merge the shards of one run");
    CHECK(secretscan({"history", "--format", "jsonl", "-o", d / "plain.jsonl"}, repo).exit_code == 1);
    refused({d / "plain.jsonl"}, d / "plain.jsonl" +
                                     ": no shard record as its last line: not written by history --shard, or cut short (did the scan finish?)");
    CHECK(secretscan({"history", "--format", "json", "-o", d / "plain.json"}, repo).exit_code == 1);
    refused({d / "plain.json"}, d / "plain.json" + ": not the report of a history --shard I/N scan in jsonl, json or sarif");
    refused({d / "none.jsonl"}, d / "none.jsonl" + ": cannot read it: No such file or directory");
    // A shard of the history as it was before another commit.
    sh("git commit -q --allow-empty -m later", repo);
    CHECK(secretscan({"history", "--shard", "2/3", "--format", "jsonl", "-o", d / "later.jsonl"}, repo).exit_code <= 1);
    refused({three[0], three[1], d / "later.jsonl"}, d / "later.jsonl" + ": another history (commits, tags or refs) than " + three[0] +
                                                         "'s: the shards must scan the same repository, at the same commits, with the same rules and options");
    CHECK(secretscan({"history", "--shard", "1/3", "--format", "jsonl", "-o", d / "other.jsonl", "--disable-rule", "stripe-secret-key"},
                     repo).exit_code <= 1);
    refused({d / "later.jsonl", d / "other.jsonl"}, d / "other.jsonl" + ": another rule set than " + d / "later.jsonl" +
                                                        "'s: the shards must scan the same repository, at the same commits, with the same rules and options");
    // A shard written with other redaction (secrets in clear beside redacted ones).
    CHECK(secretscan({"--no-redact", "history", "--shard", "1/3", "--format", "jsonl", "-o", d / "clear.jsonl"}, repo).exit_code <= 1);
    refused({d / "later.jsonl", d / "clear.jsonl"}, d / "clear.jsonl" + ": another redaction (--redact, --no-redact) than " + d / "later.jsonl" +
                                                        "'s: the shards must scan the same repository, at the same commits, with the same rules and options");
    // Shards that keep other findings: another --min-confidence, --max-file-size or baseline.
    REQUIRE(secretscan({"baseline", "create", d / "baseline.jsonl", "history"}, repo).exit_code == 0);
    for (const std::vector<std::string>& extra :
         {std::vector<std::string>{"--min-confidence", "high"}, {"--max-file-size", "10"}, {"--baseline", d / "baseline.jsonl"}}) {
        std::vector<std::string> args{"history", "--shard", "1/3", "--format", "jsonl", "-o", d / "options.jsonl"};
        args.insert(args.end(), extra.begin(), extra.end());
        CHECK(secretscan(args, repo).exit_code <= 1);
        refused({d / "later.jsonl", d / "options.jsonl"},
                d / "options.jsonl" + ": another set of finding options (allowlists, baselines, --min-confidence, --max-file-size) than " +
                    d / "later.jsonl" + "'s: the shards must scan the same repository, at the same commits, with the same rules and options");
    }
    const auto wrong = secretscan({"--format", "sarif", "report", "merge", three[0], three[1], three[2]}, repo);
    CHECK(wrong.exit_code == 2);
    CHECK(wrong.err == "secretscan: error: report merge: --format sarif, but the shards' reports are jsonl (the merged report has their format)\n");
}

TEST_CASE("history --shard and report merge: exit codes follow each one's own findings", "[shard]")
{
    TempDir d;
    const std::string repo = d / "repo";
    git_init(repo);
    write_file(repo + "/a.env", "AWS_KEY=" + aws1 + "\n");
    sh("git add -A && git commit -qm init", repo);
    // The only finding is a.env's, in shard 1 of 2 (FNV-1a of "a.env" is odd): shard 0 finds nothing.
    const auto s0 = secretscan({"history", "--shard", "0/2", "--format", "jsonl", "-o", d / "0.jsonl"}, repo);
    const auto s1 = secretscan({"history", "--shard", "1/2", "--format", "jsonl", "-o", d / "1.jsonl"}, repo);
    CHECK(s0.exit_code == 0);
    CHECK(s1.exit_code == 1);
    const auto m = secretscan({"report", "merge", d / "1.jsonl", d / "0.jsonl"}, repo);
    CHECK(m.exit_code == 1);
    CHECK(m.err == "secretscan report merge: 1 finding\n");
    CHECK(nlohmann::json::parse(m.out)["path"] == "a.env");
    CHECK(secretscan({"--exit-zero", "report", "merge", d / "1.jsonl", d / "0.jsonl"}, repo).exit_code == 0);
    const auto clean = secretscan({"report", "merge", d / "0.jsonl"}, repo); // shard 0 of 2 alone
    CHECK(clean.exit_code == 2);
}

TEST_CASE("history --shard with one cache for every shard: each caches and replays only its own blobs", "[shard]")
{
    TempDir d;
    const std::string repo = d / "repo";
    make_history(repo);
    const std::string cache = d / "cache";
    const auto one = secretscan({"history", "--no-cache", "--format", "json"}, repo);
    REQUIRE(one.exit_code == 1);
    const auto shards = [&](const std::string& prefix) {
        std::vector<std::string> files;
        for (unsigned i = 0; i < 3; ++i) {
            files.push_back(d / (prefix + std::to_string(i) + ".json"));
            const auto r = secretscan({"history", "--cache", cache, "--shard", std::to_string(i) + "/3", "--format", "json", "-o", files.back()}, repo);
            INFO(r.err);
            CHECK((r.exit_code == 0 || r.exit_code == 1));
        }
        return without_seconds(merged(files, repo));
    };
    // Shards on a cold cache, then a single run on what they left: nothing another shard owns
    // was stored as scanned (a shard once stored them with no findings, and later runs lost them).
    CHECK(shards("cold-") == without_seconds(one.out));
    CHECK(without_seconds(secretscan({"history", "--cache", cache, "--format", "json"}, repo).out) == without_seconds(one.out));
    // Shards on the cache a single run warmed: each replays its own items only (a shard once
    // replayed every item, counting every blob in every shard).
    CHECK(shards("warm-") == without_seconds(one.out));
}
