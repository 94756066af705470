#include "git/config.hpp"

#include "util/process.hpp"
#include "util/regex.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>
#include <filesystem>

namespace secretscan::git {

namespace {

/// Whether $HOME/.gitconfig cannot be looked at for want of permission.
bool home_config_unreadable()
{
    const char* h = std::getenv("HOME");
    if (!h || !*h) return false;
    struct stat st {};
    return ::stat((std::string(h) + "/.gitconfig").c_str(), &st) != 0 && errno == EACCES;
}

} // namespace

Config repository_config(git_repository* repo)
{
    const char* global = std::getenv("GIT_CONFIG_GLOBAL");
    const char* nosystem = std::getenv("GIT_CONFIG_NOSYSTEM");
    git_config* raw = nullptr;
    if (!global && !nosystem) {
        // libgit2 fails on a ~/.gitconfig it may not read (HOME of another user, as with sudo or
        // setpriv); git warns and goes on. Then the files are added one by one, below.
        if ((repo ? git_repository_config(&raw, repo) : git_config_open_default(&raw)) == 0) return Config(raw);
        if (!home_config_unreadable()) check(-1, "read git config");
    }
    check(git_config_new(&raw), "read git config");
    Config cfg(raw);
    auto add = [&](const std::string& path, git_config_level_t level) {
        if (path.empty() || path == "/dev/null") return;
        if (::access(path.c_str(), R_OK) != 0 && errno == EACCES) {
            std::cerr << "secretscan: warning: unable to access '" << printable(path) << "': Permission denied (as git, going on without it)\n";
            return;
        }
        const int rc = git_config_add_file_ondisk(cfg.get(), path.c_str(), level, repo, 0);
        if (rc != GIT_ENOTFOUND) check(rc, "read git config", path);
    };
    auto found = [](int (*find)(git_buf*)) {
        Buf buf;
        return find(&buf.value) == 0 ? std::string(buf.value.ptr, buf.value.size) : std::string();
    };
    const bool system = !nosystem || !*nosystem || std::string(nosystem) == "0" || std::string(nosystem) == "false";
    if (system) add(found(git_config_find_system), GIT_CONFIG_LEVEL_SYSTEM);
    if (global) {
        add(global, GIT_CONFIG_LEVEL_GLOBAL);
    } else {
        add(found(git_config_find_xdg), GIT_CONFIG_LEVEL_XDG);
        const std::string home_file = found(git_config_find_global);
        add(home_file.empty() && home_config_unreadable() ? home_dir() + "/.gitconfig" : home_file, GIT_CONFIG_LEVEL_GLOBAL);
    }
    if (repo) add(std::string(git_repository_commondir(repo)) + "config", GIT_CONFIG_LEVEL_LOCAL);
    return cfg;
}

std::optional<std::string> config_string(git_config* cfg, const char* key)
{
    git_config_entry* raw = nullptr;
    const int rc = git_config_get_entry(&raw, cfg, key);
    if (rc == GIT_ENOTFOUND) return std::nullopt;
    check(rc, "read git config", key);
    const ConfigEntryHandle entry(raw);
    return std::string(entry->value ? entry->value : "");
}

std::string home_dir()
{
    const char* h = std::getenv("HOME");
    if (!h || !*h) throw Error(ErrorKind::usage, "HOME is not set: cannot find the user's configuration");
    return h;
}

std::string global_config_path()
{
    if (const char* env = std::getenv("GIT_CONFIG_GLOBAL"); env && *env) return env;
    const std::string dot = home_dir() + "/.gitconfig";
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const std::string xdg_file = ((xdg && *xdg) ? std::string(xdg) : home_dir() + "/.config") + "/git/config";
    std::error_code ec;
    if (!std::filesystem::exists(dot, ec) && std::filesystem::exists(xdg_file, ec)) return xdg_file;
    return dot;
}

Config open_global_config()
{
    init();
    const std::string file = global_config_path();
    if (file == "/dev/null") throw Error(ErrorKind::usage, "GIT_CONFIG_GLOBAL=/dev/null: there is no global git config to write");
    git_config* raw = nullptr;
    check(git_config_open_ondisk(&raw, file.c_str()), "open global git config", file);
    return Config(raw);
}

namespace {

constexpr int command_line_level = 7; // above every file scope, like git's "command" scope

/// Section and variable names are case-insensitive; a subsection (between dots) is not.
std::string lower_key(std::string k)
{
    const auto first = k.find('.'), last = k.rfind('.');
    for (std::size_t i = 0; i < k.size(); ++i)
        if (i <= first || i > last) k[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(k[i])));
    return k;
}

/// The shell single-quoted words of GIT_CONFIG_PARAMETERS, each with whether '=' follows it.
std::vector<std::pair<std::string, bool>> quoted_words(const std::string& p)
{
    std::vector<std::pair<std::string, bool>> words;
    for (std::size_t i = 0; i < p.size();) {
        if (p[i] != '\'') {
            ++i;
            continue;
        }
        std::string w;
        for (++i; i < p.size();) {
            if (p.compare(i, 4, "'\\''") == 0) {
                w += '\'';
                i += 4;
            } else if (p[i] == '\'') {
                ++i;
                break;
            } else {
                w += p[i++];
            }
        }
        const bool eq = i < p.size() && p[i] == '=';
        if (eq) ++i;
        words.emplace_back(w, eq);
    }
    return words;
}

/// Settings given on the command line (`git -c key=value`, passed to hooks and subcommands in
/// GIT_CONFIG_PARAMETERS as 'key'='value' since git 2.31, or 'key=value') and in
/// GIT_CONFIG_COUNT/GIT_CONFIG_KEY_n/GIT_CONFIG_VALUE_n: git's highest-priority scope, which
/// libgit2 1.5 does not read.
std::vector<ConfigEntry> command_line_config()
{
    std::vector<ConfigEntry> out;
    if (const char* params = std::getenv("GIT_CONFIG_PARAMETERS")) {
        const auto words = quoted_words(params);
        for (std::size_t i = 0; i < words.size(); ++i) {
            if (words[i].second && i + 1 < words.size()) {
                out.push_back({lower_key(words[i].first), words[i + 1].first, command_line_level});
                ++i;
            } else if (const auto eq = words[i].first.find('='); eq != std::string::npos) {
                out.push_back({lower_key(words[i].first.substr(0, eq)), words[i].first.substr(eq + 1), command_line_level});
            }
        }
    }
    if (const char* count = std::getenv("GIT_CONFIG_COUNT")) {
        const long n = std::strtol(count, nullptr, 10);
        for (long i = 0; i < n; ++i) {
            const char* k = std::getenv(("GIT_CONFIG_KEY_" + std::to_string(i)).c_str());
            const char* v = std::getenv(("GIT_CONFIG_VALUE_" + std::to_string(i)).c_str());
            if (k && v) out.push_back({lower_key(k), v, command_line_level});
        }
    }
    return out;
}

int collect_entry(const git_config_entry* e, void* payload)
{
    static_cast<std::vector<ConfigEntry>*>(payload)->push_back({e->name, e->value ? e->value : "", static_cast<int>(e->level)});
    return 0;
}

void by_scope(std::vector<ConfigEntry>& entries)
{
    std::stable_sort(entries.begin(), entries.end(), [](const ConfigEntry& a, const ConfigEntry& b) { return a.level < b.level; });
}

} // namespace

std::vector<std::string> config_values(git_config* cfg, const std::string& name)
{
    std::vector<ConfigEntry> entries;
    const int rc = git_config_get_multivar_foreach(cfg, name.c_str(), nullptr, collect_entry, &entries);
    if (rc != GIT_ENOTFOUND) check(rc, "read git config", name);
    for (const auto& e : command_line_config())
        if (e.name == name) entries.push_back(e);
    by_scope(entries);
    std::vector<std::string> out;
    for (auto& e : entries) out.push_back(std::move(e.value));
    return out;
}

std::vector<ConfigEntry> config_entries(git_config* cfg, const std::string& name_regex)
{
    std::vector<ConfigEntry> entries;
    check(git_config_foreach_match(cfg, name_regex.c_str(), collect_entry, &entries), "read git config");
    const RE2 pattern(name_regex, re2_options());
    for (const auto& e : command_line_config())
        if (RE2::PartialMatch(e.name, pattern)) entries.push_back(e);
    by_scope(entries);
    return entries;
}

void write_config(ConfigScope scope, const std::string& repo_dir, ConfigOp op, const std::string& key, const std::string& value)
{
    std::vector<std::string> argv{"git", "-C", repo_dir, "config", scope == ConfigScope::global ? "--global" : "--local"};
    switch (op) {
    case ConfigOp::add: argv.insert(argv.end(), {"--add", key, value}); break;
    case ConfigOp::set: argv.insert(argv.end(), {"--replace-all", key, value}); break;
    case ConfigOp::unset: argv.insert(argv.end(), {"--unset-all", key}); break;
    }
    const int rc = run_process(argv, "", nullptr);
    // git config exits 5 when --unset-all finds nothing to remove.
    if (rc != 0 && !(op == ConfigOp::unset && rc == 5))
        throw Error(ErrorKind::runtime, "git config " + key + " failed (exit code " + std::to_string(rc) + ")");
}

} // namespace secretscan::git
