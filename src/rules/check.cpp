#include <secretscan/engine/filters.hpp>
#include <secretscan/rules/check.hpp>
#include <secretscan/engine/validators.hpp>
#include <secretscan/engine/scanner.hpp>

#include "util/strings.hpp"

#include <re2/re2.h>

#include <algorithm>

namespace secretscan {
namespace {

/// Why `example` gives no finding of `r`: the first step of the engine that drops it.
std::string why_no_finding(const Rule& r, bool generic, bool url, const std::string& example)
{
    RE2::Options o;
    o.set_log_errors(false);
    const RE2 re(r.regex, o);
    if (!re.ok()) return "the regex does not compile";
    const int groups = re.NumberOfCapturingGroups();
    const int g = r.secret_group >= 0 ? r.secret_group : (groups > 0 ? 1 : 0);
    std::vector<re2::StringPiece> sub(static_cast<std::size_t>(groups) + 1);
    if (!re.Match(example, 0, example.size(), RE2::UNANCHORED, sub.data(), groups + 1)) {
        const std::string lower = ascii_lower(example);
        const bool keyword = std::any_of(r.keywords.begin(), r.keywords.end(), [&lower](const std::string& k) { return lower.find(k) != std::string::npos; });
        return keyword ? "the regex does not match" : "no keyword occurs in it, and the regex does not match";
    }
    const std::string_view secret(sub[static_cast<std::size_t>(g)].data(), sub[static_cast<std::size_t>(g)].size());
    if (r.entropy > 0 && shannon_entropy(secret) < r.entropy)
        return "the secret's entropy " + std::to_string(shannon_entropy(secret)).substr(0, 4) + " is below the floor " +
               std::to_string(r.entropy).substr(0, 4);
    const std::string lower = ascii_lower(secret);
    for (const std::string& w : r.allowlist.stopwords)
        if (lower.find(w) != std::string::npos) return "the secret contains the stopword '" + w + "'";
    if (r.shared_filter)
        if (const FilterVerdict v = explain_secret(secret, generic); v.cls != FilterClass::none)
            return "the shared filter drops the secret as " + std::string(to_string(v.cls)) + ": it " + v.reason +
                   " (docs/rules.md, \"Shared filter\")";
    if (r.shared_filter && url && credentials_for_example_host(example, static_cast<std::size_t>(secret.data() - example.data()) + secret.size()))
        return "the shared filter drops credentials for a reserved example domain (docs/rules.md, \"Shared filter\")";
    if (const ValidatorFn v = r.validate.empty() ? nullptr : find_validator(r.validate))
        if (const Validation res = v(secret); !res.passed) return "the " + r.validate + " validator fails: " + res.note;
    return "another rule reports the same secret (one finding per secret), or an inline allow marker";
}

} // namespace

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
    for (std::size_t ri = 0; ri < matcher.rules().size(); ++ri) {
        const Rule& r = matcher.rules()[ri];
        if (r.examples.empty()) problems.push_back({r.id, r.mark, "has no examples"});
        if (r.negative_examples.empty()) problems.push_back({r.id, r.mark, "has no negative_examples"});
        for (std::size_t i = 0; i < r.examples.size(); ++i) {
            ++examples_checked;
            if (!has_finding(r, r.examples[i]))
                problems.push_back({r.id, mark(r.example_marks, i, r),
                                    "example produces no finding (" + why_no_finding(r, matcher.is_generic(ri), matcher.is_url(ri), r.examples[i]) +
                                        "): " + r.examples[i]});
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
