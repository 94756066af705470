#include <secretscan/error.hpp>
#include <secretscan/sources/history.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

using namespace secretscan;

namespace {
// 2026-12-06T12:00:00Z
constexpr std::int64_t now = 1796558400;

std::string usage_error(const std::string& opts)
{
    try {
        parse_log_opts(opts, now);
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        return e.what();
    }
    FAIL("no error for: " << opts);
    return {};
}
} // namespace

TEST_CASE("log opts: revisions and ref sets become ranges, split as a shell splits words", "[log-opts]")
{
    CHECK(parse_log_opts("main..topic ^v1.0 --branches --tags --remotes", now).ranges ==
          std::vector<std::string>{"main..topic", "^v1.0", "--branches", "--tags", "--remotes"});
    CHECK(parse_log_opts("'a b' \"c\\\"d\" e\\ f", now).ranges == std::vector<std::string>{"a b", "c\"d", "e f"});
    // --all alone is the default scan (every ref, tags' messages, loose blobs): no range at all.
    CHECK(parse_log_opts("--all", now).ranges.empty());
    CHECK(parse_log_opts("--all ^old", now).ranges == std::vector<std::string>{"--all", "^old"});
}

TEST_CASE("log opts: --since and --until read ISO dates, @seconds and 'N units ago'", "[log-opts]")
{
    CHECK(parse_log_opts("--since=2024-01-01T00:00:00Z", now).since == 1704067200);
    CHECK(parse_log_opts("--after '2024-01-01 02:00 +02:00'", now).since == 1704067200);
    CHECK(parse_log_opts("--until=2024-01-01T01:00:00-0100", now).until == 1704074400);
    CHECK(parse_log_opts("--before @1704067200", now).until == 1704067200);
    CHECK(parse_log_opts("--since='2 weeks ago'", now).since == now - 14 * 86400);
    CHECK(parse_log_opts("--since=\"3 hours ago\"", now).since == now - 3 * 3600);
    // Without a zone, local time, as git: TZ decides.
    setenv("TZ", "UTC", 1);
    tzset();
    CHECK(parse_log_opts("--since=2024-01-01", now).since == 1704067200);
    CHECK(parse_log_opts("--since='1 year ago'", now).since == now - 365 * 86400);
    unsetenv("TZ");
    tzset();
}

TEST_CASE("log opts: what the scan cannot honour is an error that names it", "[log-opts]")
{
    CHECK(usage_error("--all -n 5") ==
          "--log-opts: -n is not supported (the history scan honours revisions and ranges (A..B, A...B, ^A, B), --all, "
          "--branches, --tags, --remotes, --since/--after and --until/--before)");
    CHECK(usage_error("--author=me").find("--log-opts: --author=me is not supported") == 0);
    CHECK(usage_error("HEAD -- src/").find("--log-opts: -- is not supported") == 0);
    CHECK(usage_error("--since=yesterday") ==
          "--log-opts: --since yesterday: not a date this scan reads (YYYY-MM-DD[ HH:MM[:SS]][Z|+HH:MM], @SECONDS or "
          "'N days ago'; git's other date forms are not read)");
    CHECK(usage_error("--until") == "--log-opts: --until needs a date");
    CHECK(usage_error("'main") == "--log-opts: unterminated ' in: 'main");
    CHECK(usage_error("--since=2024-13-01").find("not a date") != std::string::npos);
}
