// gitleaks and Betterleaks configurations (include/secretscan/config/gitleaks.hpp).

#include <secretscan/config/gitleaks.hpp>
#include <secretscan/error.hpp>

#include "util/files.hpp"
#include "util/regex.hpp"
#include "util/strings.hpp"

// toml++ compiled into this file alone (header-only mode), so the binary needs no shared library
// more at start-up (a hook runs it on every commit).
#define TOML_HEADER_ONLY 1
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace fs = std::filesystem;

namespace secretscan {

namespace {

constexpr int max_extend_depth = 4;

SourceMark mark_of(const std::string& file, const toml::node& n)
{
    return SourceMark{file, static_cast<std::size_t>(n.source().begin.line), static_cast<std::size_t>(n.source().begin.column)};
}

[[noreturn]] void fail(const SourceMark& m, const std::string& rule_id, const std::string& what)
{
    throw Error(ErrorKind::config, to_string(m) + ": " + (rule_id.empty() ? "" : "rule " + rule_id + ": ") + what);
}

/// A table's values, read with the file and the rule id for messages.
struct Reader {
    const std::string& file;
    const toml::table& table;
    std::string rule_id;

    const toml::node* get(std::string_view key) const { return table.get(key); }
    std::string string(std::string_view key) const
    {
        const toml::node* n = get(key);
        if (!n) return "";
        if (!n->is_string()) fail(mark_of(file, *n), rule_id, "'" + std::string(key) + "' must be a string");
        return **n->as_string();
    }
    std::vector<std::string> strings(std::string_view key) const
    {
        std::vector<std::string> out;
        const toml::node* n = get(key);
        if (!n) return out;
        const toml::array* a = n->as_array();
        if (!a) fail(mark_of(file, *n), rule_id, "'" + std::string(key) + "' must be an array of strings");
        for (const toml::node& item : *a) {
            if (!item.is_string()) fail(mark_of(file, item), rule_id, "'" + std::string(key) + "' must be an array of strings");
            out.push_back(**item.as_string());
        }
        return out;
    }
    template <typename T> T number(std::string_view key, T fallback) const
    {
        const toml::node* n = get(key);
        if (!n) return fallback;
        if (n->is_integer()) return static_cast<T>(**n->as_integer());
        if (n->is_floating_point()) return static_cast<T>(**n->as_floating_point());
        fail(mark_of(file, *n), rule_id, "'" + std::string(key) + "' must be a number");
    }
};

/// Go's regexp accepts `(?<name>` (Go 1.22); RE2 spells it `(?P<name>`. Nothing else differs in
/// the syntax both accept; what RE2 refuses is reported with the rule's place.
std::string from_go(std::string regex)
{
    for (std::size_t at = 0; (at = regex.find("(?<", at)) != std::string::npos; at += 4)
        if (at + 3 < regex.size() && regex[at + 3] != '=' && regex[at + 3] != '!' && (at == 0 || regex[at - 1] != '\\'))
            regex.replace(at, 3, "(?P<");
    return regex;
}

bool reaches_past_line(std::string_view regex)
{
    return regex.find("(?s") != std::string_view::npos || regex.find("\\n") != std::string_view::npos ||
           regex.find("\\s\\S") != std::string_view::npos || regex.find("\\S\\s") != std::string_view::npos;
}

/// An allowlist's array of regexes, read as RE2 (from_go) and each checked where it is written.
std::vector<std::string> regexes(const Reader& r, std::string_view key)
{
    std::vector<std::string> out = r.strings(key);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = from_go(out[i]);
        if (const RE2 re(out[i], re2_options(1 << 20)); !re.ok())
            fail(mark_of(r.file, *r.get(key)->as_array()->get(i)), r.rule_id, "allowlist '" + std::string(key) + "': invalid regex: " + re.error());
    }
    return out;
}

GitleaksAllowlist read_allowlist(const std::string& file, const toml::table& t, const std::string& rule_id)
{
    const Reader r{file, t, rule_id};
    GitleaksAllowlist a;
    a.mark = mark_of(file, t);
    a.description = r.string("description");
    const std::string condition = ascii_lower(r.string("condition"));
    if (condition != "" && condition != "or" && condition != "and")
        fail(mark_of(file, *t.get("condition")), rule_id, "'condition' must be \"OR\" or \"AND\", not '" + condition + "'");
    a.all = condition == "and";
    for (std::string c : r.strings("commits")) a.commits.push_back(ascii_lower(c));
    a.paths = regexes(r, "paths");
    a.regexes = regexes(r, "regexes");
    const std::string target = r.string("regexTarget");
    if (target == "match") a.target = GitleaksAllowlist::Target::match;
    else if (target == "line") a.target = GitleaksAllowlist::Target::line;
    else if (target != "" && target != "secret")
        fail(mark_of(file, *t.get("regexTarget")), rule_id, "'regexTarget' must be \"secret\", \"match\" or \"line\", not '" + target + "'");
    for (const std::string& w : r.strings("stopwords")) a.stopwords.push_back(ascii_lower(w));
    a.rules = rule_id.empty() ? r.strings("targetRules") : std::vector<std::string>{rule_id};
    return a;
}

/// The allowlist tables under `key`: an array of tables (`[[allowlists]]`) or, in older files,
/// one table (`[allowlist]`).
void read_allowlists(const std::string& file, const toml::table& t, std::string_view key, const std::string& rule_id,
                     std::vector<GitleaksAllowlist>& out)
{
    const toml::node* n = t.get(key);
    if (!n) return;
    if (const toml::table* one = n->as_table()) {
        out.push_back(read_allowlist(file, *one, rule_id));
        return;
    }
    const toml::array* many = n->as_array();
    if (!many) fail(mark_of(file, *n), rule_id, "'" + std::string(key) + "' must be a table or an array of tables");
    for (const toml::node& item : *many) {
        if (!item.is_table()) fail(mark_of(file, item), rule_id, "'" + std::string(key) + "' must be an array of tables");
        out.push_back(read_allowlist(file, *item.as_table(), rule_id));
    }
}

const std::set<std::string_view> rule_keys = {"id", "description", "regex", "secretGroup", "entropy", "keywords", "path", "tags", "allowlist", "allowlists"};

/// One `[[rules]]` table: the rule, or nullopt (with a note) when it cannot run here.
std::optional<Rule> read_rule(const std::string& file, const toml::table& t, RegexBudget* budget, GitleaksConfig& out)
{
    Reader r{file, t, ""};
    Rule rule;
    rule.mark = mark_of(file, t);
    rule.id = r.string("id");
    if (rule.id.empty()) fail(rule.mark, "", "a rule without an 'id'");
    r.rule_id = rule.id;
    for (const auto& [key, value] : t)
        if (!rule_keys.count(key.str()))
            out.notes.push_back(to_string(mark_of(file, value)) + ": rule " + rule.id + ": the key '" + std::string(key.str()) +
                                "' is not supported by secretscan and is ignored");
    rule.name = r.string("description");
    if (rule.name.empty()) rule.name = rule.id;
    const std::string path = r.string("path");
    read_allowlists(file, t, "allowlist", rule.id, out.allowlists);
    read_allowlists(file, t, "allowlists", rule.id, out.allowlists);
    const std::string regex = r.string("regex");
    if (regex.empty() && path.empty()) fail(rule.mark, rule.id, "a rule needs a 'regex' (or, reporting a file by its name alone, a 'path')");
    if (regex.empty()) {
        out.notes.push_back(to_string(rule.mark) + ": rule " + rule.id +
                            ": a rule without a regex (one that reports a file by its path alone) is not supported by secretscan; not loaded");
        return std::nullopt;
    }
    rule.regex = from_go(regex);
    rule.regex_mark = mark_of(file, *t.get("regex"));
    rule.secret_group = r.number<int>("secretGroup", first_nonempty_group);
    if (t.get("secretGroup") && rule.secret_group < 0) fail(mark_of(file, *t.get("secretGroup")), rule.id, "'secretGroup' must be 0 or more");
    rule.entropy = r.number<double>("entropy", 0.0);
    for (const std::string& k : r.strings("keywords")) rule.keywords.push_back(ascii_lower(k));
    if (!path.empty()) rule.path_regex = from_go(path);
    rule.tags = r.strings("tags");
    rule.multiline = reaches_past_line(rule.regex);
    rule.shared_filter = false; // gitleaks' rules say what they drop in their own allowlists
    rule.origin = RuleOrigin::pack;
    check_rule_regex(rule, budget);
    return rule;
}

void read_extend(const std::string& file, const toml::table& root, GitleaksConfig& out, std::string& extends)
{
    const toml::node* n = root.get("extend");
    if (!n) return;
    const toml::table* t = n->as_table();
    if (!t) fail(mark_of(file, *n), "", "'extend' must be a table");
    const Reader r{file, *t, ""};
    if (const toml::node* d = t->get("useDefault")) {
        if (!d->is_boolean()) fail(mark_of(file, *d), "", "'useDefault' must be true or false");
        out.use_default = **d->as_boolean();
    }
    out.disabled = r.strings("disabledRules");
    extends = r.string("path");
    if (!r.string("url").empty())
        out.notes.push_back(to_string(mark_of(file, *t->get("url"))) + ": [extend] url is not read (secretscan does not download); ignored");
}

GitleaksConfig parse_with_extends(std::string_view text, const std::string& name, RegexBudget* budget, std::string& extends)
{
    toml::table root;
    try {
        root = toml::parse(text, name);
    } catch (const toml::parse_error& e) {
        fail(SourceMark{name, static_cast<std::size_t>(e.source().begin.line), static_cast<std::size_t>(e.source().begin.column)}, "",
             "not valid TOML: " + std::string(e.description()));
    }
    GitleaksConfig out;
    read_extend(name, root, out, extends);
    read_allowlists(name, root, "allowlist", "", out.allowlists);
    read_allowlists(name, root, "allowlists", "", out.allowlists);
    const toml::node* rules = root.get("rules");
    if (rules && !rules->is_array_of_tables()) fail(mark_of(name, *rules), "", "'rules' must be an array of tables ([[rules]])");
    std::map<std::string, SourceMark> seen;
    if (rules)
        for (const toml::node& item : *rules->as_array())
            if (auto rule = read_rule(name, *item.as_table(), budget, out)) {
                if (const auto [it, fresh] = seen.emplace(rule->id, rule->mark); !fresh)
                    fail(rule->mark, rule->id, "duplicate id, first defined at " + to_string(it->second));
                out.rules.push_back(std::move(*rule));
            }
    // As in gitleaks, a generic rule gives way to any other rule that matches the same secret:
    // among equal rules the one loaded first is reported (FilterChain::preferred).
    std::stable_partition(out.rules.begin(), out.rules.end(), [](const Rule& r) { return !r.id.starts_with("generic"); });
    return out;
}

/// `base` (an extended file) overlaid by `top`: top's rules replace base's of the same id.
GitleaksConfig overlay(GitleaksConfig base, GitleaksConfig top)
{
    std::erase_if(base.rules, [&top](const Rule& b) {
        return std::any_of(top.rules.begin(), top.rules.end(), [&b](const Rule& t) { return t.id == b.id; });
    });
    for (Rule& r : top.rules) base.rules.push_back(std::move(r));
    for (auto& a : top.allowlists) base.allowlists.push_back(std::move(a));
    for (auto& d : top.disabled) base.disabled.push_back(std::move(d));
    for (auto& n : top.notes) base.notes.push_back(std::move(n));
    base.use_default = base.use_default || top.use_default;
    return base;
}

GitleaksConfig load_level(const std::string& path, const std::string& inside, RegexBudget* budget, std::vector<std::string>& chain)
{
    std::error_code ec;
    const std::string key = fs::weakly_canonical(path, ec).string();
    if (std::find(chain.begin(), chain.end(), key) != chain.end())
        throw Error(ErrorKind::config, path + ": [extend] path leads back to this file (a cycle); remove one of the extends");
    if (static_cast<int>(chain.size()) >= max_extend_depth)
        throw Error(ErrorKind::config, path + ": [extend] path goes more than " + std::to_string(max_extend_depth) + " files deep");
    chain.push_back(key);
    const std::string text = read_input_file(path, "gitleaks configuration", inside);
    std::string extends;
    GitleaksConfig here = parse_with_extends(text, path, budget, extends);
    if (extends.empty()) return here;
    const fs::path next = fs::path(extends).is_absolute() ? fs::path(extends) : fs::path(path).parent_path() / extends;
    return overlay(load_level(next.string(), inside, budget, chain), std::move(here));
}

/// One allowlist compiled: which of its kinds of check cover a finding.
struct CompiledAllowlist {
    const GitleaksAllowlist* spec;
    std::vector<std::unique_ptr<RE2>> paths, regexes;

    CompiledAllowlist(const GitleaksAllowlist& a) : spec(&a)
    {
        const auto compile = [&a](const std::vector<std::string>& from, std::vector<std::unique_ptr<RE2>>& into) {
            for (const std::string& x : from) {
                into.push_back(std::make_unique<RE2>(x, re2_options()));
                if (!into.back()->ok()) fail(a.mark, a.rules.size() == 1 ? a.rules[0] : "", "allowlist regex '" + x + "': " + into.back()->error());
            }
        };
        compile(a.paths, paths);
        compile(a.regexes, regexes);
    }

    static bool any(const std::vector<std::unique_ptr<RE2>>& res, std::string_view text)
    {
        return std::any_of(res.begin(), res.end(), [text](const auto& re) { return RE2::PartialMatch(text, *re); });
    }

    bool covers(const Finding& f) const
    {
        const GitleaksAllowlist& a = *spec;
        if (!a.rules.empty() && std::find(a.rules.begin(), a.rules.end(), f.rule_id) == a.rules.end()) return false;
        const std::vector<std::string> held = f.commits.empty() && !f.commit.empty() ? std::vector<std::string>{f.commit} : f.commits;
        const auto listed = [&a](const std::string& c) { return std::find(a.commits.begin(), a.commits.end(), c) != a.commits.end(); };
        const std::string lower = ascii_lower(f.secret);
        const std::string_view target = a.target == GitleaksAllowlist::Target::secret  ? std::string_view(f.secret)
                                        : a.target == GitleaksAllowlist::Target::match ? std::string_view(f.match)
                                                                                       : std::string_view(f.line_text);
        std::vector<bool> hits; // one per kind of check the table gives
        if (!a.commits.empty()) hits.push_back(!held.empty() && std::all_of(held.begin(), held.end(), listed));
        if (!paths.empty()) hits.push_back(any(paths, f.path));
        if (!regexes.empty()) hits.push_back(any(regexes, target));
        if (!a.stopwords.empty())
            hits.push_back(std::any_of(a.stopwords.begin(), a.stopwords.end(), [&lower](const std::string& w) { return lower.find(w) != std::string::npos; }));
        if (hits.empty()) return false;
        return a.all ? std::all_of(hits.begin(), hits.end(), [](bool h) { return h; }) : std::any_of(hits.begin(), hits.end(), [](bool h) { return h; });
    }
};

} // namespace

std::function<std::string(const Finding&)> gitleaks_allow_check(const std::vector<GitleaksAllowlist>& allowlists)
{
    if (allowlists.empty()) return nullptr;
    auto owned = std::make_shared<std::vector<GitleaksAllowlist>>(allowlists);
    auto compiled = std::make_shared<std::vector<CompiledAllowlist>>();
    for (const GitleaksAllowlist& a : *owned) compiled->emplace_back(a);
    return [owned, compiled](const Finding& f) {
        for (const CompiledAllowlist& c : *compiled)
            if (c.covers(f)) return "the gitleaks allowlist at " + to_string(c.spec->mark) + " covers it";
        return std::string();
    };
}

std::string gitleaks_fingerprint(const Finding& f)
{
    const std::string tail = f.path + ":" + f.rule_id + ":" + std::to_string(f.line);
    return f.commit.empty() ? tail : f.commit + ":" + tail;
}

std::function<std::string(const Finding&)> gitleaks_ignore_check(const std::string& path, const std::vector<Rule>& rules,
                                                                 std::vector<std::string>& notes)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::config, path + ": cannot read the file (" + errno_message() + ")");
    auto listed = std::make_shared<std::set<std::string>>();
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        listed->insert(line);
        const std::size_t last = line.rfind(':'), before = last == std::string::npos || last == 0 ? std::string::npos : line.rfind(':', last - 1);
        const std::string rule = before == std::string::npos ? "" : line.substr(before + 1, last - before - 1);
        if (std::none_of(rules.begin(), rules.end(), [&rule](const Rule& r) { return r.id == rule; }))
            notes.push_back(path + ":" + std::to_string(n) + ": rule '" + rule + "' is not loaded, so this entry drops nothing (secretscan's ids: 'secretscan rules list')");
    }
    if (listed->empty()) return nullptr;
    return [listed, path](const Finding& f) {
        const std::string global = f.path + ":" + f.rule_id + ":" + std::to_string(f.line); // gitleaks matches this form in history too
        return listed->count(gitleaks_fingerprint(f)) || listed->count(global) ? "its gitleaks fingerprint is listed in " + path : std::string();
    };
}

bool is_gitleaks_config(std::string_view path) noexcept
{
    return path.size() > 5 && path.substr(path.size() - 5) == ".toml";
}

GitleaksConfig parse_gitleaks_config(std::string_view toml_text, const std::string& name, RegexBudget* budget)
{
    std::string extends;
    GitleaksConfig out = parse_with_extends(toml_text, name, budget, extends);
    if (!extends.empty()) out.notes.push_back(name + ": [extend] path is read only from a file (load_gitleaks_config)");
    return out;
}

GitleaksConfig load_gitleaks_config(const std::string& path, const std::string& inside, RegexBudget* budget)
{
    std::vector<std::string> chain;
    return load_level(path, inside, budget, chain);
}

} // namespace secretscan
