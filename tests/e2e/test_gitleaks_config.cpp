// gitleaks and Betterleaks configurations as they are (issue 12, item 3): --rules file.toml, a
// repository's .gitleaks.toml / .betterleaks.toml, and .gitleaksignore.
#include "../support.hpp"

#include <catch2/catch.hpp>

using namespace testing;
using Locs = std::vector<std::string>;

namespace {
const std::string aws_key = std::string("AKIA") + "IDVWTFKTANGPVYQE";

const std::string config = R"([extend]
useDefault = true
disabledRules = ["generic-api-key"]

[[rules]]
id = "corp-token"
description = "Corp token"
regex = '''\b(corp_[a-z0-9]{16})\b'''
keywords = ["corp_"]
[[rules.allowlists]]
stopwords = ["q7m2"]

[[allowlists]]
description = "fixtures"
paths = ['''^fixtures/''']
)";

void write_tree(const TempDir& d)
{
    write_file(d / "app.env", "CORP=corp_a8x2k9w4m7p3z6r1\n");
    write_file(d / "fixtures/t.env", "CORP=corp_b8x2k9w4m7p3z6r2\n"); // the global allowlist's path
    write_file(d / "other.env", "CORP=corp_q7m2x9k4p8w3z6r1\n");      // the rule's stopword
    write_file(d / "k.env", "AWS_KEY=" + aws_key + "\n");              // a built-in rule still runs
}
} // namespace

TEST_CASE("gitleaks config: a repository's .gitleaks.toml is read with its rules and allowlists", "[gitleaks]")
{
    TempDir d;
    git_init(d.path());
    write_tree(d);
    write_file(d / ".gitleaks.toml", config);
    const Locs expected{"app.env:1:6:corp-token", "k.env:1:9:aws-access-key-id"};
    const auto run = secretscan({"scan", "--format", "json", "."}, d.path());
    CHECK(run.exit_code == 1);
    CHECK(locations(nlohmann::json::parse(run.out)) == expected);
    CHECK(run.err.find(d / ".gitleaks.toml: [extend] disabledRules: generic-api-key names no loaded rule (secretscan's rules of that name: generic-secret-assignment); ignored") !=
          std::string::npos);
    sh("git add . && git commit -qm init", d.path());
    CHECK(locations(scan_json({"history"}, d.path())) == expected);
    // .betterleaks.toml is read the same way (and before .gitleaks.toml).
    sh("git mv .gitleaks.toml .betterleaks.toml", d.path());
    CHECK(locations(scan_json({"scan", "."}, d.path())) == expected);
}

TEST_CASE("gitleaks config: --rules FILE.toml loads it and --no-builtin leaves only its rules", "[gitleaks]")
{
    TempDir d;
    write_tree(d);
    write_file(d / "corp.toml", config);
    CHECK(locations(scan_json({"scan", "--rules", "corp.toml", "."}, d.path())) == Locs{"app.env:1:6:corp-token", "k.env:1:9:aws-access-key-id"});
    CHECK(locations(scan_json({"scan", "--no-builtin", "--rules", "corp.toml", "."}, d.path())) == Locs{"app.env:1:6:corp-token"});
    // A regex RE2 does not accept stops the run: file, line, column, rule id.
    write_file(d / "bad.toml", "[[rules]]\nid = \"look-ahead\"\nregex = '''tok(?=[0-9])'''\n");
    const auto bad = secretscan({"scan", "--rules", "bad.toml", "."}, d.path());
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("bad.toml:3:9: rule look-ahead: invalid regex: invalid perl operator: (?=; fix the 'regex' (RE2 syntax)") != std::string::npos);
}

TEST_CASE("gitleaks config: .gitleaksignore fingerprints drop their findings, in history and in files", "[gitleaks]")
{
    TempDir d;
    git_init(d.path());
    write_tree(d);
    write_file(d / ".gitleaks.toml", config);
    sh("git add . && git commit -qm init", d.path());
    const std::string head = testing::git({"rev-parse", "HEAD"}, d.path()).out.substr(0, 40);
    write_file(d / ".gitleaksignore", "# accepted\n" + head + ":app.env:corp-token:1\nk.env:aws-access-key-id:1\nk.env:aws-access-token:1\n");
    // In history both forms count, as in gitleaks; elsewhere only path:rule:line.
    CHECK(locations(scan_json({"history"}, d.path(), 0)) == Locs{});
    const auto files = secretscan({"scan", "--format", "json", "."}, d.path());
    CHECK(locations(nlohmann::json::parse(files.out)) == Locs{"app.env:1:6:corp-token"});
    // gitleaks' own rule id (aws-access-token) is not secretscan's: said, not silently dropped.
    CHECK(files.err.find(d / ".gitleaksignore:4: rule 'aws-access-token' is not loaded, so this entry drops nothing "
                             "(secretscan's ids: 'secretscan rules list')") != std::string::npos);
}
