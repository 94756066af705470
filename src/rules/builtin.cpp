#include <secretscan/rules/pack.hpp>

#include "rules/builtin_table.hpp"

namespace secretscan {

namespace {

std::vector<std::string> strings(std::span<const std::string_view> list)
{
    return {list.begin(), list.end()};
}

std::vector<SourceMark> marks(std::string_view file, std::span<const builtin::Mark> list)
{
    std::vector<SourceMark> out;
    for (const builtin::Mark& m : list) out.push_back({std::string(file), m.line, m.column});
    return out;
}

Rule to_rule(std::string_view file, const builtin::RuleRecord& t, bool with_examples)
{
    Rule r;
    r.id = t.id, r.name = t.name, r.regex = t.regex, r.boundary = t.boundary, r.secret_group = t.secret_group;
    r.keywords = strings(t.keywords);
    r.detector = t.detector, r.extract = t.extract, r.paths = strings(t.paths);
    r.entropy = t.entropy, r.multiline = t.multiline, r.shared_filter = t.shared_filter;
    r.validate = t.validate, r.confidence = t.confidence, r.kind = t.kind, r.family = t.family;
    r.tags = strings(t.tags), r.references = strings(t.references);
    r.remediation = t.remediation, r.impact = t.impact;
    r.allowlist.stopwords = strings(t.stopwords);
    if (with_examples) {
        r.examples = strings(t.examples), r.negative_examples = strings(t.negative_examples);
        r.example_marks = marks(file, t.example_marks), r.negative_example_marks = marks(file, t.negative_example_marks);
    }
    r.mark = {std::string(file), t.mark.line, t.mark.column};
    if (t.regex_mark.line) r.regex_mark = {std::string(file), t.regex_mark.line, t.regex_mark.column}; // none for a detector
    r.origin = RuleOrigin::builtin;
    return r;
}

} // namespace

std::vector<Rule> builtin_rules(bool with_examples)
{
    std::vector<Rule> rules;
    std::size_t n = 0;
    for (const builtin::PackTable* pack : builtin::pack_tables()) n += pack->rules.size();
    rules.reserve(n);
    for (const builtin::PackTable* pack : builtin::pack_tables())
        for (const builtin::RuleRecord& t : pack->rules) rules.push_back(to_rule(pack->file, t, with_examples));
    return rules;
}

} // namespace secretscan
