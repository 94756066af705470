// ERE (git-secrets' patterns) to RE2. The expected translations were produced by the
// implementation before the pipeline refactor and pinned here.

#include <secretscan/compat/git_secrets/ere.hpp>
#include <secretscan/error.hpp>

#include <catch2/catch.hpp>

#include <utility>
#include <vector>

using namespace secretscan;

TEST_CASE("ERE to RE2: brackets, intervals, GNU escapes, literal specials", "[git-secrets][ere]")
{
    const std::vector<std::pair<std::string, std::string>> pins = {
        {R"(AKIA[A-Z0-9]{16})", R"(AKIA[A-Z0-9]{16})"},
        {R"((A3T[A-Z0-9]|AKIA|AGPA)[A-Z0-9]{16})", R"((A3T[A-Z0-9]|AKIA|AGPA)[A-Z0-9]{16})"},
        {R"([]a-]x)", R"([\]a\-]x)"},
        {R"([^[:space:]]+)", R"([^\n[:space:]]+)"},
        {R"(a{,3}b)", R"(a{0,3}b)"},
        {R"({1}x)", R"(\{1\}x)"},
        {R"(*lead)", R"(\*lead)"},
        {R"(a\<b\>)", R"(a\bb\b)"},
        {R"(\w+\W\s\S)", R"(\w+[^\w\n][\t\v\f\r ]\S)"},
        {R"(x(y|)z))", R"(x(y|)z\))"},
        {R"(pass(word)?\s*=)", R"(pass(word)?[\t\v\f\r ]*=)"},
        {R"([[=e=]])", R"([e])"},
        {R"(\`start end\')", R"(^start end$)"},
        {R"(a\db)", R"(adb)"},
        {R"(a\.b)", R"(a\.b)"},
        {R"(("|')?(AWS|aws|Aws)?_?(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)("|')?\s*(:|=>|=)\s*("|')?[A-Za-z0-9/\+=]{40}("|')?)", R"(("|')?(AWS|aws|Aws)?_?(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)("|')?[\t\v\f\r ]*(:|=>|=)[\t\v\f\r ]*("|')?[A-Za-z0-9/\\+=]{40}("|')?)"},
        {R"(a{2,x})", R"(a\{2,x\})"},
        {R"(}])", R"(\}\])"},
    };
    for (const auto& [ere, re2] : pins) {
        INFO(ere);
        CHECK(ere_to_re2(ere) == re2);
    }
}

TEST_CASE("ERE to RE2: what RE2 cannot express is an error naming the pattern", "[git-secrets][ere]")
{
    CHECK_THROWS_WITH(ere_to_re2("(a\\1)"), "pattern '(a\\1)': back-reference \\1 is not supported (RE2 has no back-references); rewrite "
                                          "the pattern without it");
    CHECK_THROWS_WITH(ere_to_re2("abc\\"), "pattern 'abc\\': trailing backslash");
    CHECK_THROWS_WITH(ere_to_re2("[abc"), "pattern '[abc': unclosed bracket expression '['");
    CHECK_THROWS_WITH(ere_to_re2("(ab"), "pattern '(ab': unmatched '('");
    // Issue 14, item 15: a count too large for stoul used to escape as std::out_of_range.
    CHECK_THROWS_WITH(ere_to_re2("a{99999999999999999999}"), "pattern 'a{99999999999999999999}': repetition count "
                                                             "{99999999999999999999} is larger than 1000 (RE2's limit); use a smaller count");
    CHECK_THROWS_WITH(ere_word_regex("x(ab){2,1001}"), "pattern 'x(ab){2,1001}': repetition count {2,1001} is larger than 1000 "
                                                       "(RE2's limit); use a smaller count");
    CHECK(ere_to_re2("a{1000}") == "a{1000}");
}

TEST_CASE("ERE required literals: alternations, optional groups, classes", "[git-secrets][ere]")
{
    CHECK(ere_required_literals("AKIA[A-Z0-9]{16}") == std::vector<std::string>{"akia"});
    CHECK(ere_required_literals("(A3T[A-Z0-9]|AKIA|AGPA)[A-Z0-9]{16}") == std::vector<std::string>{"a3t", "akia", "agpa"});
    CHECK(ere_required_literals("ab+c").empty());
    CHECK(ere_required_literals("x(foo|bar)?baz") == std::vector<std::string>{"baz"});
    CHECK(ere_required_literals("[abc]def") == std::vector<std::string>{"def"});
    CHECK(ere_required_literals("[[:alpha:]]xyz[^]q]") == std::vector<std::string>{"xyz"});
}
