#include <secretscan/engine/detectors.hpp>
#include <secretscan/engine/extractors.hpp>
#include <secretscan/engine/glob.hpp>
#include <secretscan/engine/validators.hpp>
#include <secretscan/error.hpp>
#include <secretscan/rules/pack.hpp>

#include "util/files.hpp"
#include "util/regex.hpp"
#include "util/strings.hpp"
#include "util/yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>

namespace secretscan {

namespace {

SourceMark mark_of(const std::string& file, const YAML::Mark& m)
{
    // yaml-cpp marks are 0-based; -1 when unknown.
    SourceMark s;
    s.file = file;
    s.line = m.line >= 0 ? static_cast<std::size_t>(m.line) + 1 : 0;
    s.column = m.column >= 0 ? static_cast<std::size_t>(m.column) + 1 : 0;
    return s;
}

[[noreturn]] void fail(const SourceMark& m, const std::string& rule_id, const std::string& what)
{
    std::string msg = to_string(m) + ": ";
    if (!rule_id.empty()) msg += "rule " + rule_id + ": ";
    throw Error(ErrorKind::config, msg + what);
}

/// One value of a rule mapping, with what error messages need.
struct Field {
    const YAML::Node& value;
    const std::string& key;
    const std::string& file;
    Rule& rule;

    SourceMark at() const { return mark_of(file, value.Mark()); }
    [[noreturn]] void fail(const std::string& what) const { secretscan::fail(at(), rule.id, what); }

    std::string scalar() const
    {
        if (!value.IsScalar()) fail("'" + key + "' must be a string");
        return value.Scalar();
    }
    std::vector<std::string> list() const
    {
        if (!value.IsSequence()) fail("'" + key + "' must be a list of strings");
        std::vector<std::string> v;
        for (const auto& item : value) {
            if (!item.IsScalar()) fail("'" + key + "' must be a list of strings");
            v.push_back(item.Scalar());
        }
        return v;
    }
    std::vector<SourceMark> item_marks() const
    {
        std::vector<SourceMark> marks;
        for (const auto& item : value) marks.push_back(mark_of(file, item.Mark()));
        return marks;
    }
    template <typename T>
    T as(const char* what) const
    {
        try {
            return value.as<T>();
        } catch (const YAML::Exception&) {
            fail("'" + key + "' must be " + what);
        }
    }
    /// The value as one of `names` (mapped to their enumerators).
    template <typename E>
    E choice(const std::vector<std::pair<std::string, E>>& names) const
    {
        const std::string v = scalar();
        std::string known;
        for (const auto& [name, e] : names) {
            if (name == v) return e;
            known += (known.empty() ? "" : ", ") + name;
        }
        fail("'" + key + "' is one of " + known + " (got " + quoted_if_printable(v, "something else") + ")");
    }
};

void read_keywords(const Field& f)
{
    for (auto& k : f.list()) {
        if (k.empty()) f.fail("a keyword cannot be empty");
        f.rule.keywords.push_back(ascii_lower(k));
    }
}

void read_validator(const Field& f)
{
    f.rule.validate = f.scalar();
    if (find_validator(f.rule.validate)) return;
    std::string known;
    for (std::string_view n : validator_names()) known += (known.empty() ? "" : ", ") + std::string(n);
    f.fail("unknown validator " + quoted_if_printable(f.rule.validate, "name") + " (known: " + known + ")");
}

void read_allowlist(const Field& f)
{
    if (!f.value.IsMap()) f.fail("'allowlist' must be a mapping");
    check_keys(f.value, [&f](const YAML::Mark& m, const std::string& what) { fail(mark_of(f.file, m), f.rule.id, what); });
    for (const auto& kv : f.value) {
        const std::string key = kv.first.Scalar();
        if (key != "stopwords")
            fail(mark_of(f.file, kv.first.Mark()), f.rule.id, unknown_key(key, "allowlist key") + " (expected: stopwords)");
        for (auto& s : Field{kv.second, key, f.file, f.rule}.list()) f.rule.allowlist.stopwords.push_back(ascii_lower(s));
    }
}

using KeyReader = std::function<void(const Field&)>;

/// `paths`: globs, each checked (a glob that can match nothing is an error at its place).
void read_paths(const Field& f)
{
    f.rule.paths = f.list();
    for (std::size_t i = 0; i < f.rule.paths.size(); ++i)
        if (const std::string why = glob_error(f.rule.paths[i]); !why.empty())
            secretscan::fail(mark_of(f.file, f.value[i].Mark()), f.rule.id, "path glob " + quoted_if_printable(f.rule.paths[i], "(not printable)") + ": " + why);
}

/// Every key a rule may have, and how it is read (docs/rules.md, "Rule pack schema").
const std::map<std::string, KeyReader>& key_readers()
{
    static const std::map<std::string, KeyReader> readers = {
        {"id", [](const Field&) {}}, // read first, by read_rule
        {"name", [](const Field& f) { f.rule.name = f.scalar(); }},
        {"regex", [](const Field& f) { f.rule.regex = f.scalar(), f.rule.regex_mark = f.at(); }},
        {"boundary", [](const Field& f) {
             f.rule.boundary = f.choice<Boundary>({{"token", Boundary::token}, {"word", Boundary::word}, {"none", Boundary::none}});
         }},
        {"secret_group", [](const Field& f) {
             f.rule.secret_group = f.as<int>("an integer");
             if (f.rule.secret_group < 0) f.fail("'secret_group' must be 0 or a capture group number");
         }},
        {"keywords", read_keywords},
        {"multiline", [](const Field& f) { f.rule.multiline = f.as<bool>("true or false"); }},
        {"shared_filter", [](const Field& f) { f.rule.shared_filter = f.as<bool>("true or false"); }},
        {"entropy", [](const Field& f) {
             f.rule.entropy = f.as<double>("a number");
             if (f.rule.entropy < 0 || f.rule.entropy > 8) f.fail("'entropy' is bits per byte, between 0 and 8");
         }},
        {"validate", read_validator},
        {"detector", [](const Field& f) {
             f.rule.detector = f.scalar();
             if (find_detector(f.rule.detector)) return;
             std::string known;
             for (std::string_view n : detector_names()) known += (known.empty() ? "" : ", ") + std::string(n);
             f.fail("unknown detector " + quoted_if_printable(f.rule.detector, "name") + " (known: " + known + ")");
         }},
        {"extract", [](const Field& f) {
             f.rule.extract = f.scalar();
             if (find_extractor(f.rule.extract)) return;
             std::string known;
             for (std::string_view n : extractor_names()) known += (known.empty() ? "" : ", ") + std::string(n);
             f.fail("unknown extractor " + quoted_if_printable(f.rule.extract, "name") + " (known: " + known + ")");
         }},
        {"paths", read_paths},
        {"confidence", [](const Field& f) {
             f.rule.confidence = f.choice<Confidence>({{"high", Confidence::high}, {"medium", Confidence::medium}, {"low", Confidence::low}});
         }},
        {"kind", [](const Field& f) {
             f.rule.kind = f.choice<RuleKind>({{"token", RuleKind::token}, {"generic", RuleKind::generic}, {"url", RuleKind::url}});
         }},
        {"family", [](const Field& f) {
             std::vector<std::pair<std::string, std::string>> names;
             for (std::string_view fam : rule_families()) names.emplace_back(fam, fam);
             f.rule.family = f.choice<std::string>(names);
         }},
        {"tags", [](const Field& f) { f.rule.tags = f.list(); }},
        {"references", [](const Field& f) { f.rule.references = f.list(); }},
        {"remediation", [](const Field& f) { f.rule.remediation = f.scalar(); }},
        {"impact", [](const Field& f) { f.rule.impact = f.scalar(); }},
        {"examples", [](const Field& f) { f.rule.examples = f.list(), f.rule.example_marks = f.item_marks(); }},
        {"negative_examples", [](const Field& f) {
             f.rule.negative_examples = f.list(), f.rule.negative_example_marks = f.item_marks();
         }},
        {"allowlist", read_allowlist},
    };
    return readers;
}

} // namespace

void check_rule_regex(const Rule& r, RegexBudget* budget)
{
    int size = 0;
    if (std::string why = regex_size_problem(r.regex, size); !why.empty()) fail(r.regex_mark, r.id, why);
    if (budget && (budget->used += size) > max_total_program_size)
        fail(r.regex_mark, r.id,
             "the regexes of the packs loaded so far compile to " + std::to_string(budget->used) + " RE2 instructions, more than the limit of " +
                 std::to_string(max_total_program_size) + " for all packs together; simplify the largest regexes (smaller counted "
                 "repetitions, ASCII classes) or load fewer rules");
    const RE2 re(r.regex, re2_options());
    if (!re.ok()) fail(r.regex_mark, r.id, "invalid regex: " + re.error() + "; fix the 'regex' (RE2 syntax)");
    if (r.secret_group > re.NumberOfCapturingGroups()) {
        const int groups = re.NumberOfCapturingGroups();
        const char* key = r.mark.file.ends_with(".toml") ? "secretGroup" : "secret_group"; // a gitleaks configuration's name for it
        fail(r.regex_mark, r.id, "'" + std::string(key) + "' " + std::to_string(r.secret_group) + " but the regex has only " + std::to_string(groups) +
                                     (groups == 1 ? " capture group" : " capture groups"));
    }
}

namespace {

Rule read_rule(const YAML::Node& node, const std::string& file, bool check, RegexBudget* budget)
{
    const SourceMark at = mark_of(file, node.Mark());
    if (!node.IsMap()) fail(at, "", "each rule must be a mapping");
    Rule r;
    r.mark = at;
    if (const auto id = node["id"]) r.id = Field{id, "id", file, r}.scalar();
    if (r.id.empty()) fail(at, "", "rule without an 'id'");
    if (!is_kebab_case(r.id))
        fail(at, quoted_if_printable(r.id, "").empty() ? "" : r.id, "an id is lowercase kebab-case ([a-z0-9-], starting with a letter)");
    check_keys(node, [&](const YAML::Mark& m, const std::string& what) { fail(mark_of(file, m), r.id, what); });
    for (const auto& kv : node) {
        const std::string key = kv.first.Scalar();
        const auto reader = key_readers().find(key);
        if (reader == key_readers().end())
            fail(mark_of(file, kv.first.Mark()), r.id, unknown_key(key));
        reader->second(Field{kv.second, key, file, r});
    }
    if (r.name.empty()) r.name = r.id;
    if (r.regex.empty() == r.detector.empty()) fail(at, r.id, "a rule has either a 'regex' or a 'detector'");
    if (!r.detector.empty() && r.boundary != Boundary::none) fail(at, r.id, "'boundary' goes with a 'regex', not a 'detector'");
    if (r.keywords.empty() && r.paths.empty())
        fail(at, r.id, "rule without 'keywords': every rule needs a literal prefilter (or 'paths' naming the files it reads whole)");
    if (r.regex.empty()) return r;
    r.regex = apply_boundary(r.regex, r.boundary);
    if (check) check_rule_regex(r, budget);
    return r;
}

} // namespace

std::vector<Rule> parse_pack(std::string_view yaml_text, const std::string& name, bool check_regex, bool shipped, RegexBudget* budget)
{
    if (yaml_text.size() > max_input_file_size)
        throw Error(ErrorKind::config, name + ": larger than 16 MiB (the limit for rule packs); split it into several packs");
    YAML::Node root = load_untrusted_yaml(std::string(yaml_text), name, shipped);
    if (!root.IsMap()) fail(mark_of(name, root.Mark()), "", "a rule pack is a mapping with a 'rules' list");
    check_keys(root, [&name](const YAML::Mark& m, const std::string& what) { fail(mark_of(name, m), "", what); });
    for (const auto& kv : root) {
        const std::string key = kv.first.Scalar();
        if (key != "rules") fail(mark_of(name, kv.first.Mark()), "", unknown_key(key, "top-level key") + " (expected 'rules')");
    }
    const YAML::Node rules = root["rules"];
    if (!rules || !rules.IsSequence()) fail(mark_of(name, root.Mark()), "", "'rules' must be a list of rules");
    std::vector<Rule> out;
    for (const auto& node : rules) out.push_back(read_rule(node, name, check_regex, budget));
    return out;
}

std::vector<Rule> load_pack_file(const std::string& path, const std::string& inside, RegexBudget* budget)
{
    return parse_pack(read_input_file(path, "rule pack", inside), path, true, false, budget);
}

} // namespace secretscan
