#include <secretscan/error.hpp>
#include <secretscan/rules/pack.hpp>
#include <secretscan/rules/selection.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace secretscan {

namespace {

/// The packs a --rules path names: the file, or a directory's *.yaml and *.yml in name order.
std::vector<std::string> pack_files(const std::string& path)
{
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
        if (!fs::exists(path, ec)) throw Error(ErrorKind::usage, path + ": no such rule pack (given with --rules)");
        return {path};
    }
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(path, ec))
        if (e.path().extension() == ".yaml" || e.path().extension() == ".yml") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

void check_unique_ids(const std::vector<Rule>& all)
{
    std::map<std::string, const Rule*> seen;
    for (const auto& r : all) {
        const auto [it, fresh] = seen.emplace(r.id, &r);
        if (fresh) continue;
        const bool builtin = it->second->origin == RuleOrigin::builtin;
        throw Error(ErrorKind::config, to_string(r.mark) + ": rule " + r.id + ": duplicate id, first defined at " + to_string(it->second->mark) +
                                           (builtin ? "; rename yours (or load only yours with --no-builtin)" : "; rename one of them"));
    }
}

/// Ids a gitleaks configuration disables: (its file, the id).
using DisabledIds = std::vector<std::pair<std::string, std::string>>;

/// A gitleaks configuration's rules into `all`; the ids it disables into `off`.
void add_gitleaks_config(const std::string& file, const std::string& inside, RegexBudget& budget, std::vector<Rule>& all, DisabledIds& off,
                         ForeignRules& foreign)
{
    GitleaksConfig cfg = load_gitleaks_config(file, inside, &budget);
    for (Rule& r : cfg.rules) all.push_back(std::move(r));
    for (auto& a : cfg.allowlists) foreign.allowlists.push_back(std::move(a));
    for (auto& n : cfg.notes) foreign.notes.push_back(std::move(n));
    for (auto& id : cfg.disabled) off.emplace_back(file, std::move(id));
}

/// The loaded rules whose ids start as `id` does up to its first '-' (gitleaks' aws-access-token:
/// secretscan's aws-...), at most 6: a hint for an id from another tool.
std::string same_provider(const std::string& id, const std::vector<Rule>& all)
{
    const std::string stem = id.substr(0, id.find('-') + 1);
    std::string list;
    int n = 0;
    for (const Rule& r : all)
        if (!stem.empty() && r.id.rfind(stem, 0) == 0 && n++ < 6) list += (list.empty() ? "" : ", ") + r.id;
    return list.empty() ? " (secretscan's ids: 'secretscan rules list')" : " (secretscan's rules of that name: " + list + ")";
}

/// Leaves out the rules a configuration's disabledRules name; an id that names no loaded rule is
/// noted, as gitleaks' ids differ from the built-in ones.
void apply_disabled_rules(const DisabledIds& off, std::vector<Rule>& all, ForeignRules& foreign)
{
    for (const auto& entry : off) {
        const std::string& file = entry.first;
        const std::string& id = entry.second; // a named variable: clang 14 cannot capture a structured binding
        const auto n = std::erase_if(all, [&id](const Rule& r) { return r.id == id; });
        if (n == 0)
            foreign.notes.push_back(file + ": [extend] disabledRules: " + id + " names no loaded rule" + same_provider(id, all) + "; ignored");
    }
}

} // namespace

std::vector<Rule> load_rules(const RuleSelection& selection, ForeignRules* foreign)
{
    std::vector<Rule> all = selection.builtin ? builtin_rules(selection.examples) : std::vector<Rule>{};
    RegexBudget budget; // the packs' regexes together (the shipped ones are checked at build time)
    ForeignRules local;
    ForeignRules& extra = foreign ? *foreign : local;
    DisabledIds config_disabled;
    for (const auto& path : selection.extra_packs) {
        const auto root = selection.pack_roots.find(path);
        const std::string inside = root == selection.pack_roots.end() ? "" : root->second;
        for (const auto& file : pack_files(path)) {
            if (is_gitleaks_config(file)) {
                add_gitleaks_config(file, inside, budget, all, config_disabled, extra);
                continue;
            }
            for (Rule& r : load_pack_file(file, inside, &budget)) all.push_back(std::move(r));
        }
    }
    check_unique_ids(all);
    apply_disabled_rules(config_disabled, all, extra);
    for (const auto& id : selection.disabled)
        if (std::none_of(all.begin(), all.end(), [&id](const Rule& r) { return r.id == id; }))
            throw Error(ErrorKind::usage, "--disable-rule " + id + ": no loaded rule has this id (see 'secretscan rules list')");
    const std::set<std::string> off(selection.disabled.begin(), selection.disabled.end());
    std::erase_if(all, [&off](const Rule& r) { return off.count(r.id) > 0; });
    return all;
}

} // namespace secretscan
