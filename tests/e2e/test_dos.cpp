// Denial-of-service regressions (hardening issue, items 10-12 and 16): inputs that took the old
// code minutes, or aborted it, end to end through the binary. Tagged [dos]: ctest runs them with
// a 30 s timeout (tests/CMakeLists.txt).
#include "../support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

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
