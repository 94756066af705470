// The constant tables packgen compiles into the binary hold exactly what the YAML packs say.

#include <secretscan/rules/pack.hpp>

#include "../../support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

using namespace secretscan;

namespace {

void check_same(const Rule& built, const Rule& parsed)
{
    INFO("rule " << parsed.id);
    CHECK(built.name == parsed.name);
    CHECK(built.regex == parsed.regex);
    CHECK(built.boundary == parsed.boundary);
    CHECK(built.secret_group == parsed.secret_group);
    CHECK(built.keywords == parsed.keywords);
    CHECK(built.detector == parsed.detector);
    CHECK(built.extract == parsed.extract);
    CHECK(built.paths == parsed.paths);
    CHECK(built.entropy == parsed.entropy);
    CHECK(built.multiline == parsed.multiline);
    CHECK(built.shared_filter == parsed.shared_filter);
    CHECK(built.validate == parsed.validate);
    CHECK(built.confidence == parsed.confidence);
    CHECK(built.kind == parsed.kind);
    CHECK(built.family == parsed.family);
    CHECK(built.tags == parsed.tags);
    CHECK(built.references == parsed.references);
    CHECK(built.remediation == parsed.remediation);
    CHECK(built.impact == parsed.impact);
    CHECK(built.allowlist.stopwords == parsed.allowlist.stopwords);
    CHECK(built.examples == parsed.examples);
    CHECK(built.negative_examples == parsed.negative_examples);
    CHECK(built.example_marks.size() == parsed.example_marks.size());
    CHECK(built.negative_example_marks.size() == parsed.negative_example_marks.size());
    CHECK(to_string(built.mark) == to_string(parsed.mark));
    CHECK(to_string(built.regex_mark) == to_string(parsed.regex_mark));
    CHECK(built.origin == RuleOrigin::builtin);
}

} // namespace

TEST_CASE("the built-in tables are the packs, field by field, in file-name order", "[packs]")
{
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(fs::path(SECRETSCAN_SOURCE_DIR) / "patterns"))
        if (e.path().extension() == ".yaml") files.push_back(e.path().filename().string());
    std::sort(files.begin(), files.end());
    std::vector<Rule> parsed;
    for (const auto& f : files)
        for (Rule& r : parse_pack(testing::read_file(std::string(SECRETSCAN_SOURCE_DIR) + "/patterns/" + f), "patterns/" + f, true, true))
            parsed.push_back(std::move(r));
    const std::vector<Rule> built = builtin_rules();
    REQUIRE(built.size() == parsed.size());
    for (std::size_t i = 0; i < built.size(); ++i) {
        REQUIRE(built[i].id == parsed[i].id);
        check_same(built[i], parsed[i]);
    }
}
