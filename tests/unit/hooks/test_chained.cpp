// Hooks that were there before secretscan's: found beside the shim and run as git would.

#include <secretscan/hooks/chained.hpp>
#include <secretscan/hooks/install.hpp>

#include "../../support.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

using namespace secretscan;

TEST_CASE("hooks: a repository shim chains NAME.secretscan-chained, run with $0 = the shim", "[hooks]")
{
    testing::TempDir d;
    const std::string shim = d / "pre-commit";
    testing::write_file(shim, "#!/bin/sh\n# secretscan-managed pre-commit hook\n");
    CHECK(is_secretscan_hook(shim));
    CHECK(chained_hook("pre-commit", "repo", shim, d.path()).empty());
    testing::write_file(shim + chained_suffix, "#!/bin/sh\necho \"$0 $1 $(cat)\" > \"$(dirname \"$0\")/ran\"\nexit 3\n");
    CHECK(chained_hook("pre-commit", "repo", shim, d.path()).empty()); // not executable: not run
    REQUIRE(chmod((shim + chained_suffix).c_str(), 0755) == 0);
    const std::string chained = chained_hook("pre-commit", "repo", shim, d.path());
    CHECK(chained == shim + chained_suffix);
    CHECK(run_chained_hook(chained, shim, {"arg1"}, "input") == 3);
    CHECK(testing::read_file(d / "ran") == shim + " arg1 input\n");
    CHECK_FALSE(is_secretscan_hook(chained));
}
