#include <secretscan/engine/scanner.hpp>
#include <secretscan/rules/check.hpp>

#include "util/regex.hpp"
#include "util/strings.hpp"

#include <algorithm>

namespace secretscan {

namespace {

SourceMark mark_of(const std::vector<SourceMark>& marks, std::size_t i, const Rule& r)
{
    return i < marks.size() ? marks[i] : r.mark;
}

/// Lints of the rule's text: an empty-matching regex, a keyword no example uses.
void lint(const Rule& r, std::vector<RuleProblem>& problems)
{
    const RE2 re(r.regex, re2_options());
    if (!r.regex.empty() && re.ok() && RE2::PartialMatch("", re))
        problems.push_back({r.id, r.regex_mark.line ? r.regex_mark : r.mark, "the regex can match the empty string"});
    for (const std::string& kw : r.keywords) {
        const bool used = std::any_of(r.examples.begin(), r.examples.end(),
                                      [&kw](const std::string& ex) { return ascii_lower(ex).find(kw) != std::string::npos; });
        if (!used && !r.examples.empty())
            problems.push_back({r.id, r.mark, "keyword '" + kw + "' occurs in none of its examples (add an example that uses it)"});
    }
}

} // namespace

std::vector<RuleProblem> check_rules(const Matcher& matcher, std::size_t& examples_checked)
{
    matcher.compile_all();
    const FilterChain chain(matcher.rules());
    const Scanner scanner(matcher, chain, standard_decoders());
    std::vector<RuleProblem> problems;
    examples_checked = 0;
    for (std::size_t ri = 0; ri < matcher.rules().size(); ++ri) {
        const Rule& r = matcher.rules()[ri];
        if (r.examples.empty()) problems.push_back({r.id, r.mark, "has no examples"});
        if (r.negative_examples.empty()) problems.push_back({r.id, r.mark, "has no negative_examples"});
        for (std::size_t i = 0; i < r.examples.size(); ++i, ++examples_checked)
            if (const auto why = scanner.explain_miss(ri, r.examples[i]))
                problems.push_back({r.id, mark_of(r.example_marks, i, r), "example produces no finding (" + *why + "): " + r.examples[i]});
        for (std::size_t i = 0; i < r.negative_examples.size(); ++i, ++examples_checked)
            if (!scanner.explain_miss(ri, r.negative_examples[i]))
                problems.push_back({r.id, mark_of(r.negative_example_marks, i, r), "negative example produces a finding: " + r.negative_examples[i]});
        lint(r, problems);
    }
    return problems;
}

} // namespace secretscan
