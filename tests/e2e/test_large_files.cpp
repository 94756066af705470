// Large files (the "no silent pass" issue): a file larger than a segment is read piece by piece
// and every secret in it is found once, at its line; hooks check large staged files too.
#include "../support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using testing::TempDir;

namespace {

const std::string aws_key = std::string("AKIA") + "IDVWTFKTANGPVYQE";

std::string filler(std::size_t n)
{
    return "2026-12-06T20:00:00Z INFO request " + std::to_string(n) + " served in 12ms path=/api/v1/items status=200 ok\n";
}

std::string pem_block()
{
    std::string der;
    for (int i = 0; i < 1200; ++i) der += static_cast<char>((i * 37 + 11) % 256);
    const std::string body = testing::base64_of(der);
    std::string pem = "-----BEGIN PRIVATE KEY-----\n";
    for (std::size_t at = 0; at < body.size(); at += 64) pem += body.substr(at, 64) + "\n";
    return pem + "-----END PRIVATE KEY-----\n";
}

/// A log of about `size` bytes with an AWS key every `every` lines, a private key whose block
/// starts 700 bytes before 8 MiB and a key just after 8 MiB (where the first segment's own
/// lines end), and a key on its last line, which has no newline. `expected`: "LINE:RULE" each.
std::string big_log(std::size_t size, std::size_t every, std::vector<std::string>& expected)
{
    std::string text;
    std::size_t line = 0, n = 0;
    const auto add = [&](const std::string& s, const std::string& rule) {
        if (!rule.empty()) expected.push_back(std::to_string(line + 1) + ":" + rule);
        text += s;
        line += static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
    };
    bool pem_done = false, after_done = false;
    while (text.size() < size) {
        if (!pem_done && text.size() > (8u << 20) - 800) add(pem_block(), "private-key"), pem_done = true;
        else if (pem_done && !after_done && text.size() > (8u << 20) + 100) add("aws_access_key_id = " + aws_key + "\n", "aws-access-key-id"), after_done = true;
        else if (++n % every == 0) add("aws_access_key_id = " + aws_key + "\n", "aws-access-key-id");
        else add(filler(n), "");
    }
    add("aws_access_key_id = " + aws_key, "aws-access-key-id");
    return text;
}

std::vector<std::string> lines_and_rules(const nlohmann::json& report)
{
    std::vector<std::string> out;
    for (const auto& f : report["findings"]) out.push_back(std::to_string(f["line"].get<int>()) + ":" + f["rule_id"].get<std::string>());
    return out;
}

} // namespace

TEST_CASE("large files: a file read in segments gives every finding once, at its line", "[large][files]")
{
    TempDir d;
    std::vector<std::string> expected;
    testing::write_file(d / "big.log", big_log(20u << 20, 5000, expected));
    REQUIRE(expected.size() > 40);
    const auto report = testing::scan_json({"scan", "big.log"}, d.path());
    CHECK(lines_and_rules(report) == expected);
    CHECK(report["findings"][0]["column"] == 21);
    // The private key that runs past the first segment's own lines is reported whole.
    for (const auto& f : report["findings"])
        if (f["rule_id"] == "private-key") CHECK(f["end_line"].get<int>() - f["line"].get<int>() == 26);
    // Over --max-file-size it is skipped and named (with -v), never read.
    const auto small = testing::secretscan({"-v", "--max-file-size", "1M", "scan", "big.log"}, d.path());
    CHECK(small.exit_code == 0);
    CHECK(small.err.find("secretscan: skipped big.log: larger than --max-file-size (") != std::string::npos);
    CHECK(small.err.find(" bytes; the limit is 1048576)\n") != std::string::npos);
}

TEST_CASE("large files: max_file_size in the configuration, and the command line over it", "[large][config]")
{
    TempDir d;
    testing::write_file(d / "a.log", std::string(3000, 'x') + "\nk=" + aws_key + "\n");
    testing::write_file(d / "cfg.yaml", "max_file_size: 2K\n");
    const auto skipped = testing::secretscan({"--config", "cfg.yaml", "-v", "scan", "a.log"}, d.path());
    CHECK(skipped.exit_code == 0);
    CHECK(skipped.err.find("secretscan: skipped a.log: larger than --max-file-size (3024 bytes; the limit is 2048)\n") != std::string::npos);
    CHECK(testing::secretscan({"--config", "cfg.yaml", "--max-file-size", "1M", "scan", "a.log"}, d.path()).exit_code == 1);
    testing::write_file(d / "bad.yaml", "max_file_size: lots\n");
    const auto bad = testing::secretscan({"--config", "bad.yaml", "scan", "a.log"}, d.path());
    CHECK(bad.exit_code == 2);
    CHECK(bad.err == "secretscan: error: bad.yaml:1:16: 'max_file_size' is a size: bytes, or a number with K, M or G (100M)\n");
}

TEST_CASE("large files: a 14 MB log with a key on its last line is blocked at commit and at push", "[large][hooks]")
{
    TempDir d;
    testing::sh("git init -q --bare remote.git", d.path());
    const std::string work = d / "work";
    testing::git_init_with_hooks(work);
    testing::sh("git remote add origin ../remote.git && echo a > a && git add a && git commit -qm one && git push -q origin main", work);
    REQUIRE(testing::secretscan({"install"}, work).exit_code == 0);
    std::string log;
    for (std::size_t n = 1; log.size() < 14'000'000; ++n) log += filler(n);
    const std::size_t last = static_cast<std::size_t>(std::count(log.begin(), log.end(), '\n')) + 1;
    testing::write_file(work + "/app.log", log + "aws_access_key_id = " + aws_key + "\n");
    testing::sh("git add app.log", work);
    const auto commit = testing::git({"commit", "-m", "logs"}, work);
    CHECK(commit.exit_code != 0);
    CHECK(commit.err.find("app.log:" + std::to_string(last) + ":21: aws-access-key-id: AKIA\u2026") != std::string::npos);
    testing::sh("git commit -q --no-verify -m logs", work);
    const auto push = testing::git({"push", "origin", "main"}, work);
    CHECK(push.exit_code != 0);
    CHECK(push.err.find("app.log:" + std::to_string(last) + ":21: aws-access-key-id: AKIA\u2026") != std::string::npos);
}
