#include <secretscan/engine/validators.hpp>

#include <catch2/catch.hpp>

using namespace secretscan;

namespace {

Validation run(std::string_view name, std::string_view secret)
{
    const ValidatorFn fn = find_validator(name);
    REQUIRE(fn != nullptr);
    return fn(secret);
}

} // namespace

TEST_CASE("validators: every documented name resolves, an unknown one does not", "[validators]")
{
    CHECK(validator_names() == std::vector<std::string_view>{"github-crc32", "npm-crc32", "aws-key-id", "jwt", "pem"});
    for (std::string_view n : validator_names()) CHECK(find_validator(n) != nullptr);
    CHECK(find_validator("luhn") == nullptr);
}

TEST_CASE("validators: GitHub and npm CRC-32 check digits", "[validators]")
{
    // Made-up tokens whose last 6 characters are base62(crc32(the 30 before them)).
    const auto ok = run("github-crc32", "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");
    CHECK(ok.passed);
    CHECK(ok.note == "CRC-32 check digits valid");
    const auto bad = run("github-crc32", "ghp_kj13tGix6cbm6AJM7J9S38VBp7xVMm1r14JX");
    CHECK_FALSE(bad.passed);
    CHECK(bad.note == "GitHub check digits 1r14JX do not match the CRC-32 1r14JW");
    CHECK_FALSE(run("github-crc32", "ghp_kj13tGix6cbm6AJM7J9S38VBp7xVMm1r14J").passed); // 35 characters
    CHECK_FALSE(run("github-crc32", "ghp_kj13tGix6cbm6AJM7J9S38VBp7xVMm1r14J-").passed);
    // A checksum below 62^5 is left-padded with '0'.
    CHECK(run("npm-crc32", "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").passed);
    CHECK_FALSE(run("npm-crc32", "npm_xgLVapsY7JOcqYWMMgLpL2JOXQ8ZGpSqptA1").passed);
}

TEST_CASE("validators: the AWS account ID decoded from an access key ID", "[validators]")
{
    // The published example of the decoding (Tal Be'ery, "A short note on AWS KEY ID", 2023).
    const auto v = run("aws-key-id", "ASIAY34FZKBOKMUTVV7A");
    CHECK(v.passed);
    CHECK(v.note == "AWS account 609629065308");
    // Older key IDs (fifth character A-P) carry no account ID: valid, nothing decoded.
    const auto old = run("aws-key-id", "AKIAIDVWTFKTANGPVYQE");
    CHECK(old.passed);
    CHECK(old.note.empty());
    // Not base32: 0, 1, 8 and 9 never occur in a key ID.
    const auto bad = run("aws-key-id", "AKIAIDVWTFKTANGPVY10");
    CHECK_FALSE(bad.passed);
    CHECK(bad.note == "character '1' is not base32 (A-Z, 2-7)");
}

TEST_CASE("validators: a JWT's header is JSON with alg, its payload JSON", "[validators]")
{
    // {"alg":"HS256","typ":"JWT"} . {"sub":"1234567890"} . made-up signature
    const auto ok = run("jwt", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.Qm9vX2tKb3pXc1hYd2E");
    CHECK(ok.passed);
    CHECK(ok.note == "alg HS256");
    // {"not":"a JWT"}
    CHECK(run("jwt", "eyJub3QiOiJhIEpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.Qm9vX2tKb3pXc1hYd2E").note == "header has no \"alg\"");
    CHECK(run("jwt", "eyJhbGciOiJIUzI1NiJ9.eyJub3QganNvbg.Qm9v").note == "payload is not JSON");
    CHECK(run("jwt", "eyJhbGci*iJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.Qm9v").note == "header is not base64url");
    CHECK(run("jwt", "eyJhbGciOiJIUzI1NiJ9").note == "not three dot-separated segments");
}

TEST_CASE("validators: a PEM body is base64 of at least 48 bytes", "[validators]")
{
    const std::string line = "PeLccCw9fZsN5pYv59zpLpd9JfPfQ7ht9Wx5jdjNTkbijb94fwAjqFCzPuObG9/q"; // 64 chars, 48 bytes
    CHECK(run("pem", "-----BEGIN PRIVATE KEY-----\n" + line + "\n-----END PRIVATE KEY-----").passed);
    // JSON-escaped line breaks and RFC 1421 headers are not part of the body.
    CHECK(run("pem", "-----BEGIN RSA PRIVATE KEY-----\\nProc-Type: 4,ENCRYPTED\\nDEK-Info: AES-128-CBC,2F1A\\n\\n" + line +
                         "\\n-----END RSA PRIVATE KEY-----")
              .passed);
    CHECK(run("pem", "-----BEGIN PRIVATE KEY-----\n" + line.substr(0, 60) + "\n-----END PRIVATE KEY-----").note ==
          "body decodes to 45 bytes, fewer than any private key");
    CHECK(run("pem", "-----BEGIN PRIVATE KEY-----\n" + line.substr(0, 63) + "!\n-----END PRIVATE KEY-----").note == "body is not base64");
    CHECK(run("pem", "-----BEGIN PRIVATE KEY-----\n" + line.substr(0, 62) + "==\n" + line + "\n-----END PRIVATE KEY-----").note ==
          "body is not base64"); // padding in the middle
}
