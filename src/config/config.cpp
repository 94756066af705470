#include <secretscan/config/config.hpp>
#include <secretscan/error.hpp>

#include "git/repository.hpp"
#include "util/files.hpp"
#include "util/regex.hpp"
#include "util/strings.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace secretscan {

namespace {

std::string mark_text(const std::string& file, const YAML::Mark& m)
{
    return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

[[noreturn]] void fail(const std::string& file, const YAML::Mark& m, const std::string& what)
{
    throw Error(ErrorKind::config, (m.line >= 0 ? mark_text(file, m) : file) + ": " + what);
}

std::vector<std::string> strings(const std::string& file, const YAML::Node& n, const std::string& key)
{
    if (!n.IsSequence()) fail(file, n.Mark(), "'" + key + "' must be a list of strings");
    std::vector<std::string> out;
    for (const auto& item : n) {
        if (!item.IsScalar()) fail(file, item.Mark(), "'" + key + "' must be a list of strings");
        out.push_back(item.Scalar());
    }
    return out;
}

/// One configuration file being read into a Config.
struct Reader {
    const std::string& path;
    fs::path base; ///< relative names in the file are relative to its folder
    Config& into;

    void rules(const YAML::Node& v)
    {
        const auto packs = strings(path, v, "rules");
        for (std::size_t i = 0; i < packs.size(); ++i) {
            const std::string full = (base / packs[i]).lexically_normal().string();
            into.rule_packs.push_back(full);
            into.origin[full] = mark_text(path, v[i].Mark());
        }
    }

    void disable(const YAML::Node& v)
    {
        const auto ids = strings(path, v, "disable");
        for (std::size_t i = 0; i < ids.size(); ++i) {
            into.disabled.push_back(ids[i]);
            into.origin[ids[i]] = mark_text(path, v[i].Mark());
        }
    }

    void baseline(const YAML::Node& v)
    {
        if (!v.IsScalar()) fail(path, v.Mark(), "'baseline' must be a file name");
        const std::string full = (base / v.Scalar()).lexically_normal().string();
        into.baselines.push_back(full);
        into.origin[full] = mark_text(path, v.Mark());
    }

    void allowlist(const YAML::Node& v)
    {
        if (!v.IsMap()) fail(path, v.Mark(), "'allowlist' must be a mapping (paths, secrets, stopwords)");
        for (const auto& a : v) {
            const std::string k = a.first.Scalar();
            const auto values = k == "paths" || k == "secrets" || k == "stopwords" ? strings(path, a.second, k) : std::vector<std::string>{};
            if (k == "paths") {
                into.allowlist.paths.insert(into.allowlist.paths.end(), values.begin(), values.end());
            } else if (k == "secrets") {
                for (std::size_t i = 0; i < values.size(); ++i) {
                    const RE2 re(values[i], re2_options());
                    if (!re.ok()) fail(path, a.second[i].Mark(), "allowlist secret regex '" + values[i] + "': " + re.error());
                    into.allowlist.secrets.push_back(values[i]);
                }
            } else if (k == "stopwords") {
                for (const auto& w : values) into.allowlist.stopwords.push_back(ascii_lower(w));
            } else {
                fail(path, a.first.Mark(), "unknown allowlist key '" + k + "' (expected paths, secrets, stopwords)");
            }
        }
    }
};

} // namespace

void load_config_file(const std::string& path, Config& into)
{
    std::string text;
    if (!read_whole_file(path, text)) throw Error(ErrorKind::usage, path + ": cannot read the configuration file: " + errno_message());
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        fail(path, e.mark, "invalid YAML: " + e.msg);
    }
    into.files.push_back(path);
    if (root.IsNull()) return; // an empty file
    if (!root.IsMap()) fail(path, root.Mark(), "a configuration file is a mapping (rules, disable, allowlist, baseline)");
    Reader r{path, fs::absolute(path).parent_path(), into};
    std::set<std::string> seen_keys;
    for (const auto& kv : root) {
        const std::string key = kv.first.Scalar();
        if (!seen_keys.insert(key).second) fail(path, kv.first.Mark(), "'" + key + "' is given twice");
        if (key == "rules") r.rules(kv.second);
        else if (key == "disable") r.disable(kv.second);
        else if (key == "baseline") r.baseline(kv.second);
        else if (key == "allowlist") r.allowlist(kv.second);
        else fail(path, kv.first.Mark(), "unknown key '" + key + "' (expected rules, disable, allowlist, baseline)");
    }
}

Config load_config(const std::string& dir, const std::string& explicit_file)
{
    Config c;
    std::error_code ec;
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    fs::path user;
    if (xdg && *xdg) user = fs::path(xdg) / "secretscan" / "config.yaml";
    else if (home && *home) user = fs::path(home) / ".config" / "secretscan" / "config.yaml";
    if (!user.empty() && fs::exists(user, ec)) load_config_file(user.string(), c);
    if (const git::Repository repo = git::try_open(dir))
        if (const auto top = git::workdir(repo.get())) {
            const fs::path repo_config = fs::path(*top) / ".secretscan.yaml";
            if (fs::exists(repo_config, ec)) load_config_file(repo_config.string(), c);
        }
    if (!explicit_file.empty()) load_config_file(explicit_file, c);
    return c;
}

} // namespace secretscan
