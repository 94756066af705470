#include <secretscan/config/config.hpp>
#include <secretscan/engine/glob.hpp>
#include <secretscan/error.hpp>

#include "git/repository.hpp"
#include "util/files.hpp"
#include "util/regex.hpp"
#include "util/strings.hpp"
#include "util/yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace secretscan {

namespace {

std::string mark_text(const std::string& file, const YAML::Mark& m)
{
    return yaml_place(file, m);
}

[[noreturn]] void fail(const std::string& file, const YAML::Mark& m, const std::string& what)
{
    throw Error(ErrorKind::config, yaml_place(file, m) + ": " + what);
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
    const std::string& inside; ///< the repository top files named here must stay in, or ""

    /// `name` made absolute, checked to stay inside the repository when it must, and recorded.
    std::string file_named(const std::string& key, const std::string& name, const YAML::Node& at)
    {
        const std::string full = (base / name).lexically_normal().string();
        if (!inside.empty() && !resolves_inside(full, inside))
            fail(path, at.Mark(), key + ": " + full + " is outside the repository " + inside +
                                      " (symbolic links resolved); a repository's .secretscan.yaml may name only files inside it: "
                                      "name it with --" + (key == "rules" ? "rules" : "baseline") + ", --config or the user configuration");
        if (!inside.empty()) into.inside[full] = inside;
        into.origin[full] = mark_text(path, at.Mark());
        return full;
    }

    void rules(const YAML::Node& v)
    {
        const auto packs = strings(path, v, "rules");
        for (std::size_t i = 0; i < packs.size(); ++i) into.rule_packs.push_back(file_named("rules", packs[i], v[i]));
    }

    void disable(const YAML::Node& v)
    {
        const auto ids = strings(path, v, "disable");
        for (std::size_t i = 0; i < ids.size(); ++i) {
            into.disabled.push_back(ids[i]);
            into.origin[ids[i]] = mark_text(path, v[i].Mark());
        }
    }

    void max_file_size(const YAML::Node& v)
    {
        std::uint64_t bytes = 0;
        if (!v.IsScalar() || !parse_size(v.Scalar(), bytes))
            fail(path, v.Mark(), "'max_file_size' is a size: bytes, or a number with K, M or G (100M)");
        into.max_file_size = bytes;
    }

    void baseline(const YAML::Node& v)
    {
        if (!v.IsScalar()) fail(path, v.Mark(), "'baseline' must be a file name");
        into.baselines.push_back(file_named("baseline", v.Scalar(), v));
    }

    void paths(const YAML::Node& v)
    {
        const auto globs = strings(path, v, "paths");
        for (std::size_t i = 0; i < globs.size(); ++i) {
            const std::string why = glob_error(globs[i]);
            if (!why.empty()) fail(path, v[i].Mark(), "allowlist path glob " + quoted_if_printable(globs[i], "(not printable)") + ": " + why);
            into.allowlist.paths.push_back(globs[i]);
        }
    }

    /// An allowlist secret regex: it must compile, and its size counts against the limits for
    /// rule regexes (one regex, and all the configuration's together), so a small file cannot
    /// make the run compile for minutes or fill memory.
    void secret_regex(const std::string& value, const YAML::Node& at)
    {
        const std::string shown = "allowlist secret regex " + quoted_if_printable(value, "(not printable)");
        int size = 0;
        if (const std::string why = regex_size_problem(value, size); !why.empty()) fail(path, at.Mark(), shown + ": " + why);
        if ((into.allowlist_program_size += size) > max_total_program_size)
            fail(path, at.Mark(), shown + ": the allowlist's regexes compile to " + std::to_string(into.allowlist_program_size) +
                                      " RE2 instructions, more than the limit of " + std::to_string(max_total_program_size) +
                                      "; use fewer or simpler regexes");
        const RE2 re(value, re2_options());
        if (!re.ok()) fail(path, at.Mark(), shown + ": " + re.error());
        into.allowlist.secrets.push_back(value);
    }

    void allowlist(const YAML::Node& v)
    {
        if (!v.IsMap()) fail(path, v.Mark(), "'allowlist' must be a mapping (paths, secrets, stopwords)");
        check_keys(v, [this](const YAML::Mark& m, const std::string& what) { fail(path, m, what); });
        for (const auto& a : v) {
            const std::string k = a.first.Scalar();
            const auto values = k == "secrets" || k == "stopwords" ? strings(path, a.second, k) : std::vector<std::string>{};
            if (k == "paths") {
                paths(a.second);
            } else if (k == "secrets") {
                for (std::size_t i = 0; i < values.size(); ++i) secret_regex(values[i], a.second[i]);
            } else if (k == "stopwords") {
                for (const auto& w : values) into.allowlist.stopwords.push_back(ascii_lower(w));
            } else {
                fail(path, a.first.Mark(), unknown_key(k, "allowlist key") + " (expected paths, secrets, stopwords)");
            }
        }
    }
};

} // namespace

void load_config_file(const std::string& path, Config& into, const std::string& inside)
{
    const YAML::Node root = load_untrusted_yaml(read_input_file(path, "configuration file", inside), path);
    into.files.push_back(path);
    if (root.IsNull()) return; // an empty file
    if (!root.IsMap()) fail(path, root.Mark(), "a configuration file is a mapping (rules, disable, allowlist, baseline, max_file_size)");
    Reader r{path, fs::absolute(path).parent_path(), into, inside};
    check_keys(root, [&path](const YAML::Mark& m, const std::string& what) { fail(path, m, what); });
    for (const auto& kv : root) {
        const std::string key = kv.first.Scalar();
        if (key == "rules") r.rules(kv.second);
        else if (key == "disable") r.disable(kv.second);
        else if (key == "baseline") r.baseline(kv.second);
        else if (key == "allowlist") r.allowlist(kv.second);
        else if (key == "max_file_size") r.max_file_size(kv.second);
        else fail(path, kv.first.Mark(), unknown_key(key) + " (expected rules, disable, allowlist, baseline, max_file_size)");
    }
}

namespace {

/// The gitleaks files a repository's top holds, as gitleaks and Betterleaks read them.
void add_gitleaks_files(const fs::path& top, const std::string& inside, Config& c)
{
    std::error_code ec;
    for (const char* name : {".betterleaks.toml", ".gitleaks.toml"}) {
        const std::string file = (top / name).string();
        if (!fs::exists(fs::symlink_status(file, ec))) continue;
        c.rule_packs.push_back(file);
        c.origin[file] = file;
        c.inside[file] = inside;
        break;
    }
    if (const fs::path ignore = top / ".gitleaksignore"; fs::is_regular_file(ignore, ec)) c.gitleaks_ignore = ignore.string();
}

} // namespace

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
            std::string inside = *top; // libgit2 ends it with '/'
            while (inside.size() > 1 && inside.back() == '/') inside.pop_back();
            if (fs::exists(fs::symlink_status(repo_config, ec))) load_config_file(repo_config.string(), c, inside);
            add_gitleaks_files(*top, inside, c);
        }
    if (!explicit_file.empty()) load_config_file(explicit_file, c);
    return c;
}

} // namespace secretscan
