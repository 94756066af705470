// The assignment and login-call detectors, the value test and the extractors.

#include <secretscan/engine/detectors.hpp>
#include <secretscan/engine/extractors.hpp>
#include <secretscan/engine/value.hpp>

#include <catch2/catch.hpp>

using namespace secretscan;

namespace {

/// The secrets `detector` finds in `text` for a rule with `keywords`.
std::vector<std::string> found(const char* detector, std::vector<std::string> keywords, std::string_view text)
{
    Rule r;
    r.id = "t";
    r.keywords = std::move(keywords);
    std::vector<RawMatch> out;
    find_detector(detector)(r, 0, text, 0, text.size(), out);
    std::vector<std::string> secrets;
    for (const RawMatch& m : out) secrets.emplace_back(text.substr(m.secret_begin, m.secret_end - m.secret_begin));
    return secrets;
}

std::string one(std::string_view text)
{
    const auto s = found("assignment", {"password", "passwd", "pass", "secret", "token", "api_key"}, text);
    return s.size() == 1 ? s[0] : s.empty() ? "(none)" : "(several)";
}

} // namespace

TEST_CASE("assignment detector: the syntaxes of configuration files and code", "[detectors]")
{
    CHECK(one("DB_PASSWORD=Qx7#pLm2\n") == "Qx7#pLm2");                       // .env
    CHECK(one("export DB_PASSWORD=\"Qx7 pLm2\"\n") == "Qx7 pLm2");           // shell, quoted
    CHECK(one("  password: Qx7pLm2zz # prod\n") == "Qx7pLm2zz");             // YAML
    CHECK(one("{\"password\": \"Qx7pLm2zz\", \"user\": \"ops\"}") == "Qx7pLm2zz"); // JSON
    CHECK(one("<password>Qx7pLm2zz</password>") == "Qx7pLm2zz");               // XML element
    CHECK(one("<server id=\"x\" password=\"Qx7pLm2zz\"/>") == "Qx7pLm2zz");     // XML attribute
    CHECK(one("spring.datasource.password=Qx7pLm2zz") == "Qx7pLm2zz");         // .properties
    CHECK(one("db_password = \"Qx7pLm2zz\"") == "Qx7pLm2zz");                  // TOML, HCL
    CHECK(one("ENV API_KEY Qx7pLm2zz") == "Qx7pLm2zz");                        // Dockerfile
    CHECK(one("password Qx7pLm2zz") == "Qx7pLm2zz");                           // .msmtprc
    CHECK(one("Password: \"Qx7pLm2zz\",") == "Qx7pLm2zz");                     // Go struct literal
    CHECK(one("password := \"Qx7pLm2zz\"") == "Qx7pLm2zz");                    // Go
    CHECK(one(":password => 'Qx7pLm2zz'") == "Qx7pLm2zz");                     // Ruby
    CHECK(one("define('DB_PASSWORD', 'Qx7pLm2zz');") == "Qx7pLm2zz");          // PHP
    CHECK(one("os.environ.setdefault(\"SECRET_KEY\", \"Qx7pLm2zz\")") == "Qx7pLm2zz");
    CHECK(one("conn.setPassword(\"Qx7pLm2zz\");") == "Qx7pLm2zz");             // a setter
    CHECK(one("auth=(\"deploy\", \"Qx7pLm2zz\")") == "(none)");                // 'auth' is not a keyword here
    CHECK(found("assignment", {"auth"}, "requests.get(u, auth=(\"deploy\", \"Qx7pLm2zz\"))") == std::vector<std::string>{"Qx7pLm2zz"});
    CHECK(one("config['password'] = 'Qx7pLm2zz'") == "Qx7pLm2zz");
    CHECK(one("dbPassword = \"Qx7pLm2zz\"") == "Qx7pLm2zz");                   // compound word
    CHECK(one("<Environment name=\"api_token\" value=\"Qx7pLm2zz\" type=\"java.lang.String\"/>") == "Qx7pLm2zz"); // name/value pair
    CHECK(one("private readonly token: string = 'Qx7pLm2zz';") == "Qx7pLm2zz");  // TypeScript annotation
    CHECK(one("#define WIFI_PASSWORD \"Qx7pLm2zz\"") == "Qx7pLm2zz");           // C macro
    CHECK(one("url: https://h/send?user=ops&password=Qx7pLm2zz&to=%2B49") == "Qx7pLm2zz"); // query string
    CHECK(one("\"Server=db;User Id=sa;Password=Qx7pLm2zz;Encrypt=True\"") == "Qx7pLm2zz"); // connection string
    CHECK(one("spring.datasource.password=to[4MN_Lg:+w;c3]oSR") == "to[4MN_Lg:+w;c3]oSR"); // brackets in a password
    CHECK(one("SESSION_SECRET=<generate with: openssl rand -hex 32>") == "<generate with: openssl rand -hex 32>");
    CHECK(one("password = getpass.getpass(\"Password: \")") == "getpass.getpass");      // a call ends the value
    CHECK(one("'password' => Hash::make($data['password']),") == "Hash::make");
    CHECK(one("secret = vault.read('secret/data/app')['data']") == "vault.read");
    CHECK(one("\"Redis\": \"cache:6379,password=Qx7pLm2zz,ssl=False\"") == "Qx7pLm2zz"); // StackExchange.Redis
    CHECK(one("$last_update_token = \"\\\"$last_update_token\\\"\";") == "$last_update_token"); // escaped quotes
    CHECK(one("Unix-style value we get from $PWD (\"/d/foo\").") == "(none)");     // the working directory
    CHECK(one("# $pass = dlpreopen") == "(none)");                                 // a variable used
}

TEST_CASE("assignment detector: keys that name something about a secret are not secrets", "[detectors]")
{
    CHECK(one("PASSWORD_MIN_LENGTH=12") == "(none)");
    CHECK(one("token_url: https://auth.internal/token") == "(none)");
    CHECK(one("bypass = true") == "(none)");
    CHECK(one("tokenizer = BertTokenizer()") == "(none)");
    CHECK(one("if password == other:") == "(none)");
    CHECK(one("password:\n  from: vault") == "(none)");
    CHECK(one("fun saveToken(token: String) = prefs.edit()") == "(none)");      // a parameter's type
    CHECK(one("prefs.putString(\"auth_token\", token)") == "(none)");          // a variable passed on
    // A pair is ("KEY", "value"): a set or list of names is not ({'AccessTokenView', 'B'}, pg_hba.conf's
    // comment listing methods).
    CHECK(one("COCOA = {'AAAttribution', 'ABAccessTokenView', 'ABPersonView'}") == "(none)");
    CHECK(one("# METHOD can be \"trust\", \"md5\", \"password\", \"scram-sha-256\"") == "(none)");
    CHECK(one("define('AUTH_SECRET', 'Qx7pLm2zz');") == "Qx7pLm2zz");
    CHECK(one("DB_PASSWORD_PROD=Qx7pLm2zz") == "Qx7pLm2zz");
    CHECK(one("SECRET_KEY_BASE=Qx7pLm2zz") == "Qx7pLm2zz");
}

TEST_CASE("login-call detector: the last of two or more arguments, a string literal", "[detectors]")
{
    const std::vector<std::string> kw{"login", "authenticate"};
    CHECK(found("login-call", kw, "client.login(user, \"S3cr3t!x\")") == std::vector<std::string>{"S3cr3t!x"});
    CHECK(found("login-call", kw, "ftp.login('deploy', 'S3cr3t!x')") == std::vector<std::string>{"S3cr3t!x"});
    CHECK(found("login-call", kw, "login(\"alice\")").empty());
    CHECK(found("login-call", kw, "authenticate(user, password)").empty());
}

TEST_CASE("kubernetes-secret detector: every value of a Secret's data map, in its own YAML document", "[detectors]")
{
    const std::vector<std::string> kw{"kind: secret"};
    CHECK(found("kubernetes-secret", kw, "kind: Secret\ndata:\n  user: dQ==\n  # note\n  pass: \"cA==\"\nmetadata:\n  name: x\n") ==
          std::vector<std::string>{"dQ==", "cA=="});
    CHECK(found("kubernetes-secret", kw, "apiVersion: v1\ndata:\n  tls.key: aw==\nkind: Secret\n") == std::vector<std::string>{"aw=="});
    CHECK(found("kubernetes-secret", kw, "kind: ConfigMap\ndata:\n  a: YQ==\n---\nkind: Secret\ndata:\n  b: Yg==\n---\ndata:\n  c: Yw==\n") ==
          std::vector<std::string>{"Yg=="});
    CHECK(found("kubernetes-secret", kw, "  kind: Secret\ndata:\n  a: YQ==\n").empty()); // not a manifest's top level
}

TEST_CASE("value test: people's passwords and random tokens are secrets, names, paths and prose are not", "[detectors]")
{
    for (const char* secret : {"S3cr3tPassw0rd", "bria@pass135!", "Summer2024!x", "Welcome1", "kxjwqpzmvbntqr", "aB3xK9pQzT7mW2nL",
                               "9394db292ef57006", "dGhpcyBpcyBhIHRlc3Qgb2Yg"}) {
        INFO(secret);
        CHECK(judge_value(secret).secret);
    }
    CHECK(judge_value("user_password_field").reason == "reads as words or an identifier");
    CHECK(judge_value("getPassword").reason == "reads as words or an identifier");
    CHECK(judge_value("production").reason == "reads as words or an identifier");
    CHECK(judge_value("store-pass").reason == "reads as words or an identifier");
    CHECK(judge_value("/etc/ssl/private/key.pem").reason == "is a file path");
    CHECK(judge_value("config/secrets.yml").reason == "is a file path");
    CHECK(judge_value("process.env.DB_PASS").reason == "is code or a reference to a value held elsewhere");
    CHECK(judge_value("getpass()").reason == "is code or a reference to a value held elsewhere");
    CHECK(judge_value("Enter your password").reason == "holds white space (prose)");
    CHECK(judge_value("8080").reason == "is a number, date or version");
    CHECK(judge_value("2024-01-31").reason == "is a number, date or version");
    CHECK(judge_value("false").reason == "is a boolean or null");
    CHECK(judge_value("https://vault.internal/v1/db").reason == "is a URL");
    CHECK(judge_value("postgres://app:Kx8mQ2zLw9@db/app").secret); // a URL with a password
    CHECK(judge_value("String!").reason == "reads as words or an identifier"); // a GraphQL type, unquoted in code
    // What documentation, style sheets and highlighted samples put after a secret's name.
    CHECK(judge_value("#f8f8f2").reason == "is a colour");
    CHECK(judge_value("&#x3C;string>[,").reason == "is an HTML-escaped <placeholder>");
    CHECK(judge_value("alice.<span").reason == "holds HTML markup");
    CHECK(judge_value("{string").reason == "is a type in braces (API documentation)");
    CHECK(judge_value("{KeyObject}").reason == "is a type in braces (API documentation)");
    CHECK(judge_value("[^\\W\\d]\\w*").reason == "is a regular expression");
    CHECK(judge_value("#Kx8mQ2zLw9").secret); // '#' and a password, no colour
    // A literal (quoted, or in a configuration file): words with digits or symbols are a password
    // someone chose; words alone, and short names with a version, are not.
    for (const char* secret : {"river_dallas_lightning_617", "Lumon.1989", "AnchorWizard476", "cedar.9mar", "Puppy-34"}) {
        INFO(secret);
        CHECK(judge_value(secret, {true}).secret);
        CHECK(!judge_value(secret, {false}).secret);
    }
    CHECK(judge_value("user_password", {true}).reason == "reads as words or an identifier");
    CHECK(judge_value("Kennwort", {true}).reason == "reads as words or an identifier");
    CHECK(judge_value("sha256", {true}).reason == "reads as words or an identifier");
    CHECK(judge_value("XOAUTH2", {true}).reason == "reads as words or an identifier");   // a constant
    CHECK(judge_value("*|--autho=*|--author=*", {true}).reason == "is a case pattern");
    CHECK(judge_value("__interceptor_malloc--do_xmalloc--remote_default_branch--cmd_main--__libc_start_main@GLIBC_2.2.5", {true}).reason ==
          "reads as a chain of names");
    CHECK(code_file("src/app/config.py"));
    CHECK(code_file("schema.graphql"));
    CHECK(code_file("include/c++/12/bits/regex_scanner.tcc")); // C++ template bodies
    CHECK(code_file("llvm/IR/Intrinsics.td"));                  // LLVM TableGen
    CHECK(!code_file(".env"));
    CHECK(!code_file("conf/app.properties"));
    CHECK(!code_file("scripts/deploy.sh"));
    CHECK(letter_cost("abc") == -1);
    CHECK(letter_cost("password") < 3.5);
    CHECK(letter_cost("kxjwqpzmvbnt") > 6.0);
}

TEST_CASE("extractors: base64, user:password inside base64, percent-encoding", "[detectors]")
{
    CHECK(find_extractor("base64")("UzNjcjN0IXg=").secret == "S3cr3t!x");
    CHECK(find_extractor("base64")("UzNjcjN0IXg").secret == "S3cr3t!x"); // padding optional
    CHECK(find_extractor("base64")("////").why == "its base64 does not decode to text");
    CHECK(find_extractor("base64-userpass")("ZGVwbG95OlMzY3IzdCF4").secret == "S3cr3t!x"); // deploy:S3cr3t!x
    CHECK(find_extractor("base64-userpass")("UzNjcjN0IXg=").why == "its base64 is not user:password");
    CHECK(find_extractor("percent")("D1fficultP%40ssw0rd").secret == "D1fficultP@ssw0rd");
    CHECK(find_extractor("percent")("50%").why == "not percent-encoded text");
    CHECK(find_extractor("rot13") == nullptr);
}
