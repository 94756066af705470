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

} // namespace

std::vector<Rule> load_rules(const RuleSelection& selection)
{
    std::vector<Rule> all = selection.builtin ? builtin_rules() : std::vector<Rule>{};
    RegexBudget budget; // the packs' regexes together (the shipped ones are checked at build time)
    for (const auto& path : selection.extra_packs) {
        const auto root = selection.pack_roots.find(path);
        const std::string inside = root == selection.pack_roots.end() ? "" : root->second;
        for (const auto& file : pack_files(path))
            for (Rule& r : load_pack_file(file, inside, &budget)) all.push_back(std::move(r));
    }
    check_unique_ids(all);
    for (const auto& id : selection.disabled)
        if (std::none_of(all.begin(), all.end(), [&id](const Rule& r) { return r.id == id; }))
            throw Error(ErrorKind::usage, "--disable-rule " + id + ": no loaded rule has this id (see 'secretscan rules list')");
    const std::set<std::string> off(selection.disabled.begin(), selection.disabled.end());
    std::erase_if(all, [&off](const Rule& r) { return off.count(r.id) > 0; });
    return all;
}

} // namespace secretscan
