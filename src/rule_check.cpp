#include <secretscan/rule_check.hpp>
#include <secretscan/scanner.hpp>

#include "util.hpp"

#include <re2/re2.h>

#include <algorithm>

namespace secretscan {

std::vector<RuleProblem> check_rules(const Matcher& matcher, std::size_t& examples_checked)
{
    matcher.compile_all();
    const Scanner scanner(matcher);
    std::vector<RuleProblem> problems;
    examples_checked = 0;
    auto mark = [](const std::vector<SourceMark>& marks, std::size_t i, const Rule& r) { return i < marks.size() ? marks[i] : r.mark; };
    auto has_finding = [&scanner](const Rule& r, const std::string& text) {
        const auto found = scanner.scan_text(text, Provenance{SourceKind::file, "example", ""});
        return std::any_of(found.begin(), found.end(), [&r](const Finding& f) { return f.rule_id == r.id; });
    };
    for (const Rule& r : matcher.rules()) {
        if (r.examples.empty()) problems.push_back({r.id, r.mark, "has no examples"});
        if (r.negative_examples.empty()) problems.push_back({r.id, r.mark, "has no negative_examples"});
        for (std::size_t i = 0; i < r.examples.size(); ++i) {
            ++examples_checked;
            if (!has_finding(r, r.examples[i]))
                problems.push_back({r.id, mark(r.example_marks, i, r), "example produces no finding: " + r.examples[i]});
        }
        for (std::size_t i = 0; i < r.negative_examples.size(); ++i) {
            ++examples_checked;
            if (has_finding(r, r.negative_examples[i]))
                problems.push_back({r.id, mark(r.negative_example_marks, i, r), "negative example produces a finding: " + r.negative_examples[i]});
        }
        RE2::Options o;
        o.set_log_errors(false);
        const RE2 re(r.regex, o);
        if (re.ok() && RE2::PartialMatch("", re))
            problems.push_back({r.id, r.regex_mark.line ? r.regex_mark : r.mark, "the regex can match the empty string"});
        for (const std::string& kw : r.keywords) {
            const bool used = std::any_of(r.examples.begin(), r.examples.end(),
                                          [&kw](const std::string& ex) { return ascii_lower(ex).find(kw) != std::string::npos; });
            if (!used && !r.examples.empty())
                problems.push_back({r.id, r.mark, "keyword '" + kw + "' occurs in none of its examples (add an example that uses it)"});
        }
    }
    return problems;
}

} // namespace secretscan
