// Denial-of-service regressions (hardening issue, items 10-12 and 16): inputs that took the old
// code minutes, or aborted it, end to end through the binary. Tagged [dos]: ctest runs them with
// a 30 s timeout (tests/CMakeLists.txt).
#include "../support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using testing::secretscan;
using testing::TempDir;
using testing::write_file;

namespace {
// Made-up values, assembled so this file holds none.
const std::string key_id = std::string("AKIA") + "IDVWTFKTANGPVYQE";
} // namespace

// Item 16: --threads 100000 started a thread per file until the system refused one, and the
// exception then destroyed running threads: "terminate called without an active exception"
// (here at 40,000 files; 5,000 were still fine).
TEST_CASE("a --threads beyond the maximum runs the maximum with a warning instead of aborting", "[cli][dos]")
{
    TempDir d;
    std::filesystem::create_directories(d / "many");
    for (int i = 0; i < 40000; ++i) std::ofstream(d / ("many/f" + std::to_string(i) + ".txt")) << "x = " << i << '\n';
    write_file(d / "many/key.txt", "key = " + key_id + "\n");
    const auto huge = secretscan({"--threads", "100000", "scan", "--format", "jsonl", "many"}, d.path());
    CHECK(huge.exit_code == 1);
    CHECK(huge.out.find(key_id.substr(0, 4)) != std::string::npos);
    CHECK(huge.err.find("secretscan: warning: --threads 100000 is more than the ") != std::string::npos);
    CHECK(huge.err.find("(4 per core, at most 256); using ") != std::string::npos);

    write_file(d / "few/key.txt", "key = " + key_id + "\n");
    const auto cores = secretscan({"--threads", "0", "scan", "few"}, d.path()); // 0: one per core, no warning
    CHECK(cores.exit_code == 1);
    CHECK(cores.err.find("warning") == std::string::npos);
    CHECK(secretscan({"--threads", "-1", "scan", "few"}, d.path()).exit_code == 2);
}

// Item 11: one 1.4 MB line holding 20,000 keys took 95 s and then printed nothing (the old code
// searched the whole line for an inline allow marker, counted its columns from its start, and
// copied every other finding's secret into each finding, once per match). Now about half a second.
TEST_CASE("a long line with 20,000 keys is scanned in linear time, markers and redaction included", "[cli][dos]")
{
    TempDir d;
    std::string line;
    std::vector<std::size_t> columns; // where each key starts, 1-based (the line is ASCII)
    for (int i = 0; i < 20000; ++i) {
        const std::string key = std::to_string(100000 + i);
        line += "aws_access_key_id_" + key + "=";
        columns.push_back(line.size() + 1);
        line += key_id + " padpadpadpadpadpadpadpad; ";
    }
    write_file(d / "long.txt", line + "\n");
    write_file(d / "allowed.txt", line + "# secretscan:allow\n");
    const auto found = secretscan({"scan", "--format", "jsonl", "-q", "long.txt"}, d.path());
    CHECK(found.exit_code == 1);
    std::vector<std::size_t> reported;
    for (std::size_t at = 0; (at = found.out.find("\"column\":", at)) != std::string::npos; at += 9)
        reported.push_back(std::stoul(found.out.substr(at + 9, 12)));
    CHECK(reported == columns);
    CHECK(found.out.find(key_id) == std::string::npos); // every line_text redacted
    const auto allowed = secretscan({"scan", "--format", "jsonl", "-q", "allowed.txt"}, d.path());
    CHECK(allowed.exit_code == 0);
    CHECK(allowed.out.empty());
}

// Item 12: a pack of 600 rules like k{i}x([\pL\pN]{1,250}) compiled for 66 s before the scan
// started; now the first is refused at once with exit 2, its file, line, rule and what to do.
TEST_CASE("a pack with regexes too large to compile stops the run at once with exit 2", "[cli][dos]")
{
    TempDir d;
    std::string pack = "rules:\n";
    for (int i = 0; i < 600; ++i) {
        const std::string k = "k" + std::to_string(i);
        pack += "  - id: " + k + "\n    keywords: [" + k + "x]\n    regex: '" + k + "x([\\pL\\pN]{1,250})'\n";
    }
    write_file(d / "big.yaml", pack);
    write_file(d / "t.txt", "k0x abc\n");
    const auto r = secretscan({"--rules", "big.yaml", "scan", "t.txt"}, d.path());
    CHECK(r.exit_code == 2);
    CHECK(r.err.starts_with("secretscan: error: big.yaml:4:12: rule k0: the regex is too large to compile"));
    CHECK(r.err.find("simplify the regex: a smaller counted repetition") != std::string::npos);
}

TEST_CASE("allowlist secret regexes count against the regex limits, one and all together", "[cli][dos][config]")
{
    // 200,000 regexes of 1,000 counted characters took minutes and ran out of memory.
    TempDir d;
    std::string cfg = "allowlist:\n  secrets:\n";
    for (int i = 0; i < 3000; ++i) cfg += "    - 'x[a-z]{1000}" + std::to_string(i) + "'\n";
    write_file(d / "cfg.yaml", cfg);
    write_file(d / "t.txt", "hello\n");
    const auto all = secretscan({"--config", "cfg.yaml", "scan", "t.txt"}, d.path());
    CHECK(all.exit_code == 2);
    CHECK(all.err == "secretscan: error: cfg.yaml:1986:7: allowlist secret regex 'x[a-z]{1000}1983': the allowlist's regexes compile to "
                     "2000746 RE2 instructions, more than the limit of 2000000; use fewer or simpler regexes\n");
    write_file(d / "one.yaml", "allowlist:\n  secrets: ['x[\\pL\\pN]{1,250}']\n");
    const auto one = secretscan({"--config", "one.yaml", "scan", "t.txt"}, d.path());
    CHECK(one.exit_code == 2);
    CHECK(one.err.starts_with("secretscan: error: one.yaml:2:13: allowlist secret regex 'x[\\pL\\pN]{1,250}': the regex"));
}
