#include <secretscan/error.hpp>
#include <secretscan/rules/rule.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace secretscan {

namespace {

std::string where(const SourceMark& m)
{
    if (m.line == 0) return m.file;
    return m.file + ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
}

} // namespace

std::vector<Rule> load_rules(const RuleSelection& selection)
{
    std::vector<Rule> all;
    auto append = [&all](std::vector<Rule> rules) {
        for (auto& r : rules) all.push_back(std::move(r));
    };
    if (selection.builtin) append(builtin_rules());
    for (const auto& path : selection.extra_packs) {
        namespace fs = std::filesystem;
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            std::vector<std::string> files;
            for (const auto& e : fs::directory_iterator(path, ec))
                if (e.path().extension() == ".yaml" || e.path().extension() == ".yml") files.push_back(e.path().string());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) append(load_pack_file(f));
        } else if (fs::exists(path, ec)) {
            append(load_pack_file(path));
        } else {
            throw Error(ErrorKind::usage, path + ": no such rule pack (given with --rules)");
        }
    }
    std::map<std::string, const Rule*> seen;
    for (const auto& r : all) {
        auto [it, fresh] = seen.emplace(r.id, &r);
        if (!fresh)
            throw Error(ErrorKind::config, where(r.mark) + ": rule " + r.id + ": duplicate id, first defined at " +
                                               where(it->second->mark) +
                                               (it->second->mark.file.starts_with("patterns/") ? "; rename yours (or load only yours with --no-builtin)"
                                                                                                : "; rename one of them"));
    }
    for (const auto& id : selection.disabled)
        if (!seen.count(id)) throw Error(ErrorKind::usage, "--disable-rule " + id + ": no loaded rule has this id (see 'secretscan rules list')");
    std::set<std::string> off(selection.disabled.begin(), selection.disabled.end());
    std::erase_if(all, [&off](const Rule& r) { return off.count(r.id) > 0; });
    return all;
}

} // namespace secretscan
