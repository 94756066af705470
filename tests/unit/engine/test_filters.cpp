#include <secretscan/engine/filters.hpp>

#include <catch2/catch.hpp>

using namespace secretscan;

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
    // Openers a password holds by chance need their closer and a name; short <xy> is no placeholder.
    CHECK(classify_secret("UFb4k{{DzV^36nZ3CU/z@A/", true) == FilterClass::none);
    CHECK(classify_secret("A*8S?>*/Z#4y4X<kP>Y[d", true) == FilterClass::none);
    CHECK(classify_secret("+hp^%1jf4=_h)h(f9s#offz&$(py", true) == FilterClass::none);
    CHECK(classify_secret("${POSTGRES_PASSWORD:?set", true) == FilterClass::template_);  // cut at white space
    for (const char* s : {"%{lookup('vault_app_token')}", "%env(APP_SECRET)%", "$env:AZURE_DEVOPS_PAT", "$dir/private/cakey.pem", "$insta::secret"})
        CHECK(classify_secret(s, true) == FilterClass::template_);
    CHECK(explain_secret("$dir/private/cakey.pem", true).reason == "is a variable reference"); // OpenSSL's openssl.cnf
    CHECK(explain_secret("2YotnFZFEjr1zCsicMWpAA", true).reason == "is a value published in documentation"); // RFC 6749's access token
    // A weak word is a fixture; with four or more digits someone chose, a deployed password.
    CHECK(classify_secret("Password123", true) == FilterClass::fixture);
    CHECK(classify_secret("qwerty1234", true) == FilterClass::fixture);
    CHECK(classify_secret("Qwerty.74055442", true) == FilterClass::none);
    CHECK(classify_secret("Adm1n1997!", true) == FilterClass::none);
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
    for (const char* s : {"password123", "P4ssw0rd!", "mock_password", "testing", "s3cr3t-value", "hunter2", "foobar99", "testpass",
                          "mysecret", "SuperSecret1!"}) {
        INFO(s);
        CHECK(classify_secret(s, true) == FilterClass::fixture);
    }
    // Passwords someone chose around such words are not fixtures (the issue's examples).
    for (const char* s : {"S3cr3tPassw0rd", "bria@pass135!", "Summer2024!x"}) {
        INFO(s);
        CHECK(classify_secret(s, true) == FilterClass::none);
    }
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
    CHECK(classify_secret("store-pass", true) == FilterClass::none); // a name: the value test drops it (test_detectors.cpp)
    CHECK(classify_secret("Zq8vN2", true) == FilterClass::none);
    CHECK(to_string(FilterClass::example_host) == "example-host");
}

TEST_CASE("shared filter: says what put a value in its class", "[filters]")
{
    CHECK(explain_secret("zork_example_Kq8Wm3", false).reason == "contains 'example'");
    CHECK(explain_secret("Kq8Wm3000000Lp2", false).reason == "has the run '000000', a quarter of it or more");
    CHECK(explain_secret("${API_KEY}", false).reason == "contains the template marker '${'");
    CHECK(explain_secret("ATBB<app-password>", false).reason == "contains the placeholder '<app-password>'");
    CHECK(explain_secret("P4ssw0rd!", true).reason == "spells the test word 'password'");
    CHECK(explain_secret("mock_password", true).reason == "spells the test word 'mock'");
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
