#include <secretscan/engine/filters.hpp>
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

TEST_CASE("shared filter: templates and placeholders, for every rule", "[filters]")
{
    for (const char* s : {"${DB_PASSWORD}", "{{ secrets.API_KEY }}", "$(vault read x)", "%(password)s", "#{token}", "<%= key %>",
                          "{% secret %}", "$DB_PASSWORD", "%API_KEY%", "@db.password@", "<your-api-key>"})
        CHECK(classify_secret(s, false) == FilterClass::template_);
    for (const char* s : {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                          "changeme", "your_token_here", "REDACTED", "sk_live_000000abc", "123456789012", "abcdefQ9", "****"})
        CHECK(classify_secret(s, false) == FilterClass::placeholder);
    CHECK(classify_secret("ATBB<app-password>", false) == FilterClass::template_);
    // Documentation values: jwt.io's example token, the test key in Stripe's API reference.
    CHECK(classify_secret("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
                          "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
                          false) == FilterClass::placeholder);
    CHECK(classify_secret("sk_test_4eC39HqLyjWDarjtT1zdp7dc", false) == FilterClass::placeholder);
    // A run counts only when it is a quarter of the value: an OpenSSH key body's zero bytes
    // ("AAAAAA") do not make it a placeholder, typed filler does.
    CHECK(classify_secret("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACCjdet", false) ==
          FilterClass::none);
    CHECK(classify_secret("sk_live_000000000abc", false) == FilterClass::placeholder);
    CHECK(classify_secret("Xq2ZrP8kLm4N7vB1abcdefT9yW3eH6uJ0aS5dF2gK8pQr", false) == FilterClass::none);
    CHECK(classify_secret("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", false) == FilterClass::none);
    CHECK(classify_secret("N3bq7Xv2Lk9q", true) == FilterClass::none);
    CHECK(to_string(FilterClass::template_) == "template");
}

TEST_CASE("shared filter: hashes and UUIDs only for generic rules", "[filters]")
{
    const std::string sha1 = "3f786850e387550fdab836ed7e6dc881de23001b";
    const std::string uuid = "9b2f6c1e-4d7a-4f3b-8e21-6a5c0d9e7f12";
    CHECK(classify_secret(sha1, true) == FilterClass::hash);
    CHECK(classify_secret(sha1, false) == FilterClass::none); // a provider key may be 40 hex digits
    CHECK(classify_secret(uuid, true) == FilterClass::uuid);
    CHECK(classify_secret(uuid, false) == FilterClass::none); // Heroku's legacy API keys are UUIDs
    CHECK(classify_secret("sha512-7Q9UWZ3BnAKuRKuNy5TCZVV4kVsLk1iJt7Ub8qdAqUQvQWh4Ha6vQzj7m2pT9fGm0aN1pLrSXkTz6Iv2sB4dQw==", true) ==
          FilterClass::hash);
    CHECK(classify_secret("h1:Vq3fKXcDnvVtDRMqg2mSPbSxw8lWk7Xk2lPSbzPfrzE=", true) == FilterClass::hash);
    CHECK(classify_secret("sha256:" + std::string(64, 'a').replace(0, 8, "3f786850"), true) != FilterClass::none);
    CHECK(classify_secret(sha1.substr(0, 39), true) == FilterClass::none); // not a digest length
}

TEST_CASE("shared filter: test and weak passwords only for generic rules", "[filters]")
{
    for (const char* s : {"password123", "P4ssw0rd!", "mock_password", "testing", "s3cr3t-value", "hunter2", "foobar99"})
        CHECK(classify_secret(s, true) == FilterClass::fixture);
    CHECK(classify_secret("P4ssw0rd!", false) == FilterClass::none);
    CHECK(classify_secret("guest", true) == FilterClass::fixture); // amqp://guest:guest@localhost
    CHECK(classify_secret("Root", true) == FilterClass::fixture);
    CHECK(classify_secret("rootbeer77", true) == FilterClass::none);
    CHECK(classify_secret("Qm7!vL2#pX9zR4tw", true) == FilterClass::none);
}

TEST_CASE("shared filter: reserved example domains and short values", "[filters]")
{
    for (const char* h : {"example.com", "EXAMPLE.org", "repo.example.net", "pypi.corp.example", "staging.test", "x.invalid", "example.com."})
        CHECK(is_example_host(h));
    for (const char* h : {"example.co", "myexample.com", "example.com.evil.io", "test.io", "localhost", "10.0.0.1"}) CHECK_FALSE(is_example_host(h));
    CHECK(classify_secret("pwd", true) == FilterClass::fixture);   // https://user:pwd@...
    CHECK(classify_secret("%42", true) == FilterClass::fixture);
    CHECK(classify_secret("store-pass", true) == FilterClass::fixture);
    CHECK(classify_secret("Zq8vN2", true) == FilterClass::none);
    CHECK(to_string(FilterClass::example_host) == "example-host");
}

TEST_CASE("shared filter: says what put a value in its class", "[filters]")
{
    CHECK(explain_secret("zork_example_Kq8Wm3", false).reason == "contains 'example'");
    CHECK(explain_secret("Kq8Wm3000000Lp2", false).reason == "has the run '000000', a quarter of it or more");
    CHECK(explain_secret("${API_KEY}", false).reason == "contains the template marker '${'");
    CHECK(explain_secret("ATBB<app-password>", false).reason == "contains the placeholder '<app-password>'");
    CHECK(explain_secret("P4ssw0rd!", true).reason == "spells the test word 'pass'");
    CHECK(explain_secret("guest", true).reason == "is shorter than 6 characters");
    CHECK(explain_secret("postgres", true).reason == "is a documented default credential");
    CHECK(explain_secret("9b2f6c1e-4d7a-4f3b-8e21-6a5c0d9e7f12", true).reason == "is a UUID");
    // jwt.io's current example token and Stripe's older documented test key.
    CHECK(explain_secret("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYWRtaW4iOnRydWUsImlhdCI6MTUx"
                         "NjIzOTAyMn0.KMUFsIDTnFmyG3nMiGM6H9FNFUROf3wh7SmqJp-QV30",
                         false)
              .reason == "is a value published in documentation");
    CHECK(explain_secret("sk_test_BQokikJOvBiI2HlWgH4olfQ2", false).cls == FilterClass::placeholder);
    CHECK(explain_secret("Qm7vL2pX9zR4tw", true).cls == FilterClass::none);
}

TEST_CASE("shared filter: lockfiles by file name", "[filters]")
{
    for (const char* p : {"package-lock.json", "web/yarn.lock", "a/b/Cargo.lock", "go.sum", "poetry.lock", "Gemfile.lock", "pnpm-lock.yaml"})
        CHECK(is_lockfile(p));
    for (const char* p : {"package.json", "yarn.lock.bak", "src/go.sum.go", "lock"}) CHECK_FALSE(is_lockfile(p));
}
