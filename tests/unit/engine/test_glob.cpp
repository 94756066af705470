#include <secretscan/engine/glob.hpp>

#include <catch2/catch.hpp>

#include <fnmatch.h>

#include <string>
#include <vector>

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

namespace {

/// The recursive reading of a glob that glob_match replaced (exponential in the number of "**"),
/// kept as the reference its answers must agree with on small inputs.
bool reference_segments(const std::vector<std::string>& g, std::size_t gi, const std::vector<std::string>& p, std::size_t pi)
{
    if (gi == g.size()) return pi == p.size();
    if (g[gi] == "**") {
        for (std::size_t k = pi; k <= p.size(); ++k)
            if (reference_segments(g, gi + 1, p, k)) return true;
        return false;
    }
    return pi < p.size() && fnmatch(g[gi].c_str(), p[pi].c_str(), FNM_PERIOD) == 0 && reference_segments(g, gi + 1, p, pi + 1);
}

bool reference_match(const std::vector<std::string>& g, const std::vector<std::string>& p)
{
    if (reference_segments(g, 0, p, 0)) return true;
    std::vector<std::string> folder = g;
    folder.push_back("**");
    return reference_segments(folder, 0, p, 0);
}

std::string joined(const std::vector<std::string>& parts)
{
    std::string out;
    for (const auto& s : parts) out += (out.empty() ? "" : "/") + s;
    return out;
}

} // namespace

TEST_CASE("allowlist globs agree with the recursive reading on every small glob and path", "[config]")
{
    // Every glob of 2 to 4 segments from these, against every path of 0 to 4 segments.
    const std::vector<std::string> glob_parts{"**", "*", "a", "?b", "a*"};
    const std::vector<std::string> path_parts{"a", "ab", "bb", ".a"};
    std::size_t compared = 0;
    std::vector<std::vector<std::string>> globs{{}}, paths{{}};
    for (int len = 1; len <= 4; ++len) {
        std::vector<std::vector<std::string>> longer;
        for (const auto& g : globs)
            if (g.size() + 1 == static_cast<std::size_t>(len))
                for (const auto& s : glob_parts) longer.push_back(g), longer.back().push_back(s);
        globs.insert(globs.end(), longer.begin(), longer.end());
        longer.clear();
        for (const auto& p : paths)
            if (p.size() + 1 == static_cast<std::size_t>(len))
                for (const auto& s : path_parts) longer.push_back(p), longer.back().push_back(s);
        paths.insert(paths.end(), longer.begin(), longer.end());
    }
    for (const auto& g : globs) {
        if (g.size() < 2) continue; // a glob with a '/'
        for (const auto& p : paths) {
            INFO("glob " << joined(g) << ", path " << joined(p));
            CHECK(glob_match(joined(g), joined(p)) == reference_match(g, p));
            ++compared;
        }
    }
    CHECK(compared == 775 * 341);
}

// Hardening issue, item 10: each "**" multiplied the work of the recursive search; eight of them
// against a path 80 folders deep took hours (20 s at 40 folders). Registered with a 30 s timeout.
TEST_CASE("allowlist globs with many ** match in linear time", "[config][dos]")
{
    std::string deep;
    for (int i = 0; i < 80; ++i) deep += "d/";
    CHECK_FALSE(glob_match("**/**/**/**/**/**/**/**/key.pem", deep + "key.txt"));
    CHECK(glob_match("**/**/**/**/**/**/**/**/key.pem", deep + "key.pem"));
    CHECK_FALSE(glob_match("**/d/**/d/**/d/**/d/**/d/**/d/**/d/**/e", deep + "key.txt"));
    CHECK(glob_match("**/d/**/d/**/d/**/d/**/d/**/d/**/d/**/key.txt", deep + "key.txt"));
}
