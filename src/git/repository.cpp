#include "git/repository.hpp"
#include "util/process.hpp"

#include <algorithm>
#include <cctype>

#include <re2/re2.h>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <mutex>

namespace secretscan::git {

void init()
{
    static std::once_flag once;
    std::call_once(once, [] {
        git_libgit2_init();
        // Reading an object re-hashes it by default (SHA-1 with collision detection), which
        // costs more than inflating it. git itself does not re-hash on read (cat-file, log -p);
        // corruption still surfaces as an inflate or delta error.
        git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
        // The parsed-object cache (commits, trees) defaults to 256 MiB per process; a history
        // walk touches each tree about once, so a small cache costs no speed and bounds memory.
        git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, static_cast<ssize_t>(32) << 20);
        // libgit2 1.5 refuses repositories with extensions.worktreeConfig (set by
        // `git sparse-checkout` and per-worktree config). Its only effect is an extra
        // config.worktree file, which secretscan does not need to read objects or the index;
        // declaring it supported lets such repositories open. Index extensions libgit2 cannot
        // read (split or sparse index) are handled by falling back to git's plumbing.
        const char* extensions[] = {"worktreeconfig"};
        git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, extensions, std::size(extensions));
    });
}

int check(int rc, std::string_view operation, std::string_view path, ErrorKind kind)
{
    if (rc >= 0) return rc;
    const git_error* e = git_error_last();
    std::string msg(operation);
    if (!path.empty()) msg += " " + std::string(path);
    msg += ": ";
    msg += (e && e->message) ? e->message : "libgit2 error " + std::to_string(rc);
    throw Error(kind, msg);
}

Repository open(const std::string& path)
{
    init();
    git_repository* raw = nullptr;
    const int rc = git_repository_open_ext(&raw, path.c_str(), 0, nullptr);
    if (rc == GIT_ENOTFOUND)
        throw Error(ErrorKind::usage, path + ": not a git repository (or any parent up to /); run this inside a "
                                             "repository or pass -C DIR");
    check(rc, "open repository", path, ErrorKind::usage);
    return Repository(raw);
}

Config repository_config(git_repository* repo)
{
    const char* global = std::getenv("GIT_CONFIG_GLOBAL");
    const char* nosystem = std::getenv("GIT_CONFIG_NOSYSTEM");
    git_config* raw = nullptr;
    if (!global && !nosystem) {
        if (repo) check(git_repository_config(&raw, repo), "read git config");
        else check(git_config_open_default(&raw), "read git config");
        return Config(raw);
    }
    check(git_config_new(&raw), "read git config");
    Config cfg(raw);
    auto add = [&](const std::string& path, git_config_level_t level) {
        if (path.empty() || path == "/dev/null") return;
        const int rc = git_config_add_file_ondisk(cfg.get(), path.c_str(), level, repo, 0);
        if (rc != GIT_ENOTFOUND) check(rc, "read git config", path);
    };
    auto found = [](int (*find)(git_buf*)) {
        git_buf buf = GIT_BUF_INIT;
        std::string path;
        if (find(&buf) == 0) path.assign(buf.ptr, buf.size);
        git_buf_dispose(&buf);
        return path;
    };
    const bool system = !nosystem || !*nosystem || std::string(nosystem) == "0" || std::string(nosystem) == "false";
    if (system) add(found(git_config_find_system), GIT_CONFIG_LEVEL_SYSTEM);
    if (global) {
        add(global, GIT_CONFIG_LEVEL_GLOBAL);
    } else {
        add(found(git_config_find_xdg), GIT_CONFIG_LEVEL_XDG);
        add(found(git_config_find_global), GIT_CONFIG_LEVEL_GLOBAL);
    }
    if (repo) add(std::string(git_repository_commondir(repo)) + "config", GIT_CONFIG_LEVEL_LOCAL);
    return cfg;
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

/// Settings given on the command line (`git -c key=value`, passed to hooks and subcommands in
/// GIT_CONFIG_PARAMETERS) and in GIT_CONFIG_COUNT/GIT_CONFIG_KEY_n/GIT_CONFIG_VALUE_n: git's
/// highest-priority scope, which libgit2 1.5 does not read.
std::vector<ConfigEntry> command_line_config()
{
    std::vector<ConfigEntry> out;
    auto lower_key = [](std::string k) {
        // Section and variable names are case-insensitive; a subsection (between dots) is not.
        const auto first = k.find('.'), last = k.rfind('.');
        for (std::size_t i = 0; i < k.size(); ++i)
            if (i <= first || i > last) k[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(k[i])));
        return k;
    };
    if (const char* params = std::getenv("GIT_CONFIG_PARAMETERS")) {
        // Shell single-quoted words: 'key'='value' (git >= 2.31) or 'key=value'.
        const std::string p = params;
        std::vector<std::pair<std::string, bool>> words; // text, followed directly by '='
        for (std::size_t i = 0; i < p.size();) {
            if (p[i] != '\'') {
                ++i;
                continue;
            }
            std::string w;
            ++i;
            while (i < p.size()) {
                if (p[i] == '\'' && p.compare(i, 4, "'\\''") == 0) {
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
        for (std::size_t i = 0; i < words.size(); ++i) {
            if (words[i].second && i + 1 < words.size()) {
                out.push_back({lower_key(words[i].first), words[i + 1].first, 7});
                ++i;
            } else {
                const auto eq = words[i].first.find('=');
                if (eq != std::string::npos) out.push_back({lower_key(words[i].first.substr(0, eq)), words[i].first.substr(eq + 1), 7});
            }
        }
    }
    if (const char* count = std::getenv("GIT_CONFIG_COUNT")) {
        const long n = std::strtol(count, nullptr, 10);
        for (long i = 0; i < n; ++i) {
            const char* k = std::getenv(("GIT_CONFIG_KEY_" + std::to_string(i)).c_str());
            const char* v = std::getenv(("GIT_CONFIG_VALUE_" + std::to_string(i)).c_str());
            if (k && v) out.push_back({lower_key(k), v, 7});
        }
    }
    return out;
}

} // namespace

std::vector<std::string> config_values(git_config* cfg, const std::string& name)
{
    std::vector<ConfigEntry> entries;
    auto collect = [](const git_config_entry* e, void* payload) -> int {
        static_cast<std::vector<ConfigEntry>*>(payload)->push_back({e->name, e->value ? e->value : "", static_cast<int>(e->level)});
        return 0;
    };
    const int rc = git_config_get_multivar_foreach(cfg, name.c_str(), nullptr, collect, &entries);
    if (rc != GIT_ENOTFOUND) check(rc, "read git config", name);
    for (const auto& e : command_line_config())
        if (e.name == name) entries.push_back(e);
    std::stable_sort(entries.begin(), entries.end(), [](const ConfigEntry& a, const ConfigEntry& b) { return a.level < b.level; });
    std::vector<std::string> out;
    for (auto& e : entries) out.push_back(std::move(e.value));
    return out;
}

std::vector<ConfigEntry> config_entries(git_config* cfg, const std::string& name_regex)
{
    std::vector<ConfigEntry> entries;
    auto collect = [](const git_config_entry* e, void* payload) -> int {
        static_cast<std::vector<ConfigEntry>*>(payload)->push_back({e->name, e->value ? e->value : "", static_cast<int>(e->level)});
        return 0;
    };
    check(git_config_foreach_match(cfg, name_regex.c_str(), collect, &entries), "read git config");
    const RE2 pattern(name_regex);
    for (const auto& e : command_line_config())
        if (RE2::PartialMatch(e.name, pattern)) entries.push_back(e);
    std::stable_sort(entries.begin(), entries.end(), [](const ConfigEntry& a, const ConfigEntry& b) { return a.level < b.level; });
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

std::optional<std::string> workdir(git_repository* repo)
{
    const char* w = git_repository_workdir(repo);
    if (!w) return std::nullopt;
    return std::string(w);
}

std::string to_hex(const git_oid& oid)
{
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, &oid);
    return buf;
}

Tree head_tree(git_repository* repo)
{
    git_object* obj = nullptr;
    const int rc = git_revparse_single(&obj, repo, "HEAD^{tree}");
    if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) return nullptr;
    check(rc, "read HEAD");
    return Tree(reinterpret_cast<git_tree*>(obj));
}

Blob blob_at(git_repository* repo, git_tree* tree, const std::string& path)
{
    if (!tree) return nullptr;
    git_tree_entry* raw = nullptr;
    const int rc = git_tree_entry_bypath(&raw, tree, path.c_str());
    if (rc == GIT_ENOTFOUND) return nullptr;
    check(rc, "look up", path);
    TreeEntry entry(raw);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) return nullptr;
    git_blob* blob = nullptr;
    check(git_blob_lookup(&blob, repo, git_tree_entry_id(entry.get())), "read blob of", path);
    return Blob(blob);
}

} // namespace secretscan::git
