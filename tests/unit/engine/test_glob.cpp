#include <secretscan/engine/glob.hpp>

#include <catch2/catch.hpp>

using secretscan::glob_match;

TEST_CASE("allowlist globs: segments, **, and names at any depth", "[config]")
{
    CHECK(glob_match("*.ini", "config/aws.ini"));          // no '/': a name at any depth
    CHECK(glob_match("testdata", "a/testdata/x/creds.env")); // a folder name covers its contents
    CHECK(glob_match("**/*.ini", "config/aws.ini"));
    CHECK(glob_match("**/*.ini", "aws.ini"));
    CHECK(glob_match("config/*.ini", "config/aws.ini"));
    CHECK_FALSE(glob_match("config/*.ini", "config/sub/aws.ini")); // * stays within a segment
    CHECK(glob_match("config/**", "config/sub/aws.ini"));
    CHECK(glob_match("config/", "config/sub/aws.ini"));
    CHECK(glob_match("config", "config/sub/aws.ini"));
    CHECK(glob_match("src/**/fixtures", "src/a/b/fixtures/key.pem"));
    CHECK_FALSE(glob_match("src/**/fixtures", "lib/fixtures/key.pem"));
    CHECK_FALSE(glob_match("*.ini", "config/aws.env"));
    CHECK(glob_match("key-[0-9].pem", "k/key-7.pem"));
    // The shapes matched without fnmatch agree with it: a literal name, and '*' then a suffix,
    // which (FNM_PERIOD) does not match a name starting with '.'.
    CHECK(glob_match(".npmrc", "home/ops/.npmrc"));
    CHECK_FALSE(glob_match(".npmrc", "home/ops/x.npmrc"));
    CHECK(glob_match("*.env", "deploy/prod.env"));
    CHECK_FALSE(glob_match("*.env", "deploy/.env"));
    CHECK(glob_match("*.env", "deploy/.env.d/x.env"));
    CHECK_FALSE(glob_match("*.yml", "yml"));
    CHECK(glob_match("*yml", "yml"));
}

TEST_CASE("glob_error: a reversed range, an unclosed bracket, a lone backslash and an empty glob are invalid", "[config][regression]")
{
    using secretscan::glob_error;
    CHECK(glob_error("[z-a]") == "the range 'z-a' is reversed (it can match nothing)");
    CHECK(glob_error("src/[!9-0]*.env") == "the range '9-0' is reversed (it can match nothing)");
    CHECK(glob_error("[abc") == "a '[' without a closing ']'");
    CHECK(glob_error("a\\") == "it ends in a lone '\\'");
    CHECK(glob_error("") == "an empty glob");
    CHECK(glob_error("[a-z]*.ini").empty());
    CHECK(glob_error("[]a]").empty());
    CHECK(glob_error("[!a-]x").empty());
    CHECK(glob_error("[[:digit:]-]").empty());
    CHECK(glob_error("\\[literal").empty());
    CHECK(glob_error("**/testdata/**").empty());
}
