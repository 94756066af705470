#include <secretscan/engine/finding.hpp>

#include <catch2/catch.hpp>

using namespace secretscan;

TEST_CASE("fingerprint is SHA-256 of rule id, NUL, secret", "[finding]")
{
    // printf 'aws-access-key-id\0AKIAIDVWTFKTANGPVYQE' | sha256sum
    CHECK(fingerprint("aws-access-key-id", "AKIAIDVWTFKTANGPVYQE") ==
          "2fa2365f67b20a87d6315a318a663c6ac625bd3cfc57acae443f48d9f972d69e");
}

TEST_CASE("redaction keeps the first four code points", "[finding]")
{
    CHECK(redact("AKIAIDVWTFKTANGPVYQE") == "AKIA\u2026");
    CHECK(redact("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9xyz") == "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\u2026");
    CHECK(redact_in("a=SECRETVALUE b=SECRETVALUE", "SECRETVALUE") == "a=SECR\u2026 b=SECR\u2026");
}

TEST_CASE("redaction by percentage hides that share of the code points, as gitleaks' --redact=N", "[finding]")
{
    CHECK(redact("AKIAIDVWTFKTANGPVYQE", 50) == "AKIAIDVWTF\u2026");  // 20 code points: 10 kept
    CHECK(redact("AKIAIDVWTFKTANGPVYQE", 33) == "AKIAIDVWTFKTA\u2026"); // floor(20 * 67 / 100) = 13
    CHECK(redact("AKIAIDVWTFKTANGPVYQE", 100) == "\u2026");
    CHECK(redact("AKIAIDVWTFKTANGPVYQE", 0) == "AKIAIDVWTFKTANGPVYQE");
    CHECK(redact("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 50) == "\xC3\xA9\xC3\xA9\u2026"); // code points, not bytes
    CHECK(redact_in("a=SECRETVALUE b=SECRETVALUE", "SECRETVALUE", 90) == "a=S\u2026 b=S\u2026");
}

TEST_CASE("findings sort by location, line, column, rule", "[finding]")
{
    std::vector<Finding> v(3);
    v[0].path = "b.txt"; v[0].line = 1;
    v[1].path = "a.txt"; v[1].line = 9;
    v[2].path = "a.txt"; v[2].line = 2;
    sort_findings(v);
    CHECK(v[0].line == 2);
    CHECK(v[1].line == 9);
    CHECK(v[2].path == "b.txt");
}
