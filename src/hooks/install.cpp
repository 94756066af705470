#include <secretscan/error.hpp>
#include <secretscan/hooks/install.hpp>

#include "git/config.hpp"
#include "hooks/shim.hpp"
#include "util/files.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace secretscan {

const char* hook_shim_template(); // generated from hooks/shim.sh.in

namespace {

constexpr std::string_view shim_marker = "# secretscan-managed ";
constexpr const char* previous_hooks_path_file = "previous-core.hooksPath";
// The pre-commit framework's `install` refuses while `git config core.hooksPath` prints anything
// (pre-commit 4.0.1, install_uninstall.py); an empty value given through git's environment
// configuration makes it install into .git/hooks, which the global shims run (docs/hooks.md).
constexpr const char* pre_commit_framework_hint =
    "pre-commit framework: `pre-commit install` refuses while core.hooksPath is set; run it as "
    "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0= pre-commit install "
    "(its hooks then run through these shims)";

std::string read_text(const fs::path& p)
{
    std::string text;
    read_whole_file(p.string(), text);
    return text;
}

void write_file(const fs::path& p, const std::string& text, mode_t mode)
{
    OutputFile out(p.string(), "hook", mode);
    out.stream() << text;
    out.commit();
}

void move(const fs::path& from, const fs::path& to)
{
    std::error_code ec;
    fs::rename(from, to, ec);
    if (ec) throw Error(ErrorKind::runtime, "cannot move " + from.string() + " to " + to.string() + ": " + ec.message());
}

std::string shim_text(const std::string& name, const std::string& scope, const std::string& binary)
{
    std::string t = hook_shim_template();
    auto put = [&t](const std::string& key, const std::string& value) {
        for (std::size_t at; (at = t.find(key)) != std::string::npos;) t.replace(at, key.size(), value);
    };
    std::string quoted = shell_quote(binary); // the template already has the outer quotes
    put("'@BINARY@'", quoted);
    put("@HOOK@", name);
    put("@SCOPE@", scope);
    return t;
}

void check_names(const std::vector<std::string>& names)
{
    for (const auto& n : names)
        if (std::find(all_hook_names.begin(), all_hook_names.end(), n) == all_hook_names.end())
            throw Error(ErrorKind::usage, "--hooks " + n + ": unknown hook (secretscan provides pre-commit, commit-msg, "
                                                           "prepare-commit-msg, pre-push)");
}

std::string expand_home(const std::string& p)
{
    if (p == "~" || p.rfind("~/", 0) == 0) return git::home_dir() + p.substr(1);
    return p;
}

fs::path global_hooks_dir()
{
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const fs::path base = (xdg && *xdg) ? fs::path(xdg) : fs::path(git::home_dir()) / ".config";
    return base / "secretscan" / "hooks";
}

/// The folder git runs this repository's hooks from, and whether core.hooksPath set it.
struct HooksDir {
    fs::path dir;
    bool from_hooks_path = false;
    bool global_setting = false; ///< core.hooksPath came from the global or system config
};

HooksDir repository_hooks_dir(git_repository* repo)
{
    HooksDir out;
    const git::Config cfg = git::repository_config(repo);
    git_config_entry* raw = nullptr;
    const int rc = git_config_get_entry(&raw, cfg.get(), "core.hooksPath");
    if (rc != GIT_ENOTFOUND) git::check(rc, "read git config", "core.hooksPath");
    const git::ConfigEntryHandle entry(raw);
    if (entry && entry->value && *entry->value) {
        fs::path p = expand_home(entry->value);
        out.global_setting = entry->level < GIT_CONFIG_LEVEL_LOCAL;
        if (p.is_relative()) {
            const auto top = git::workdir(repo);
            p = fs::path(top ? *top : git_repository_path(repo)) / p;
        }
        out.dir = p.lexically_normal();
        out.from_hooks_path = true;
    } else {
        out.dir = fs::path(git_repository_commondir(repo)) / "hooks";
    }
    return out;
}

void install_into(const fs::path& dir, const InstallOptions& o, const std::string& scope, InstallReport& report)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(ErrorKind::runtime, dir.string() + ": cannot create the hooks folder: " + ec.message());
    for (const auto& name : o.hooks) {
        const fs::path hook = dir / name;
        const std::string text = shim_text(name, scope, o.binary);
        const bool exists = fs::exists(fs::symlink_status(hook, ec));
        if (exists && is_secretscan_hook(hook.string())) {
            if (read_text(hook) == text) {
                report.actions.push_back(name + ": already installed");
                continue;
            }
            write_file(hook, text, 0755);
            report.actions.push_back(name + ": updated");
            continue;
        }
        if (exists) {
            const fs::path aside = hook.string() + (o.force ? backup_suffix : chained_suffix);
            if (fs::exists(fs::symlink_status(aside, ec)))
                throw Error(ErrorKind::runtime, aside.string() + " already exists: move it away, then install again");
            move(hook, aside);
            write_file(hook, text, 0755);
            report.actions.push_back(name + (o.force ? ": installed; the existing hook was moved to " + aside.filename().string() +
                                                           " (not run; uninstall restores it)"
                                                     : ": installed; the existing hook runs first (kept as " +
                                                           aside.filename().string() + ")"));
            continue;
        }
        write_file(hook, text, 0755);
        report.actions.push_back(name + ": installed");
    }
}

void uninstall_from(const fs::path& dir, const std::vector<std::string>& names, InstallReport& report)
{
    std::error_code ec;
    for (const auto& name : names) {
        const fs::path hook = dir / name;
        const bool exists = fs::exists(fs::symlink_status(hook, ec));
        if (exists && !is_secretscan_hook(hook.string())) {
            report.actions.push_back(name + ": left alone (not installed by secretscan)");
            continue;
        }
        if (exists) fs::remove(hook, ec);
        std::string what = exists ? "removed" : "not installed";
        for (const char* suffix : {chained_suffix, backup_suffix}) {
            const fs::path aside = hook.string() + suffix;
            if (fs::exists(fs::symlink_status(aside, ec)) && !fs::exists(fs::symlink_status(hook, ec))) {
                move(aside, hook);
                what += "; restored the previous hook";
            }
        }
        report.actions.push_back(name + ": " + what);
    }
}

/// Whether git tracks any file in `dir` (a hooks folder committed to the repository).
bool tracked_folder(git_repository* repo, const fs::path& dir)
{
    const auto top = git::workdir(repo);
    if (!top) return false;
    const std::string rel = dir.lexically_relative(fs::path(*top)).generic_string();
    if (rel.empty() || rel.rfind("..", 0) == 0 || rel == ".") return false;
    git_index* raw = nullptr;
    if (git_repository_index(&raw, repo) != 0) return false;
    const git::Index index(raw);
    const std::string prefix = rel + "/";
    for (std::size_t i = 0, n = git_index_entrycount(index.get()); i < n; ++i)
        if (std::string_view(git_index_get_byindex(index.get(), i)->path).rfind(prefix, 0) == 0) return true;
    return false;
}

} // namespace

bool is_secretscan_hook(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::string first, second;
    std::getline(in, first);
    std::getline(in, second);
    return second.rfind(shim_marker, 0) == 0;
}

InstallReport install_hooks(const std::string& repo_dir, const InstallOptions& o)
{
    check_names(o.hooks);
    InstallReport report;
    if (o.global) {
        const fs::path dir = global_hooks_dir();
        git::Config cfg = git::open_global_config();
        const auto current = git::config_string(cfg.get(), "core.hooksPath");
        if (current && fs::path(expand_home(*current)).lexically_normal() != dir.lexically_normal()) {
            if (!o.force)
                throw Error(ErrorKind::usage, "the global core.hooksPath is already " + *current +
                                                  " (another hook manager?): install --global --force replaces it "
                                                  "(uninstall --global restores it), or install per repository");
            // Recorded before anything changes, in a folder that exists: uninstall restores it.
            std::error_code ec;
            fs::create_directories(dir, ec);
            if (ec) throw Error(ErrorKind::runtime, dir.string() + ": cannot create the hooks folder: " + ec.message());
            write_file(dir / previous_hooks_path_file, *current, 0600);
        }
        install_into(dir, o, "global", report);
        // Pass-through shims: the repository's own hooks of every other kind keep running.
        InstallOptions pass = o;
        pass.hooks = passthrough_hook_names;
        InstallReport quiet;
        install_into(dir, pass, "global", quiet);
        report.actions.push_back("other hooks (post-checkout, post-merge, ...): pass through to each repository's own hooks");
        git::write_config(git::ConfigScope::global, ".", git::ConfigOp::set, "core.hooksPath", dir.string());
        report.hooks_dir = dir.string();
        report.actions.push_back("global core.hooksPath = " + dir.string() + " (" + git::global_config_path() + ")");
        report.actions.push_back(pre_commit_framework_hint);
        return report;
    }
    git::Repository repo = git::open(repo_dir);
    const HooksDir where = repository_hooks_dir(repo.get());
    report.hooks_dir = where.dir.string();
    InstallOptions local = o;
    if (where.global_setting && where.dir.lexically_normal() == global_hooks_dir().lexically_normal()) {
        report.actions.push_back("secretscan is installed globally (core.hooksPath=" + where.dir.string() +
                                 "): nothing to do here; this repository's own hooks run through it");
        const auto top = git::workdir(repo.get());
        if (top && fs::exists(fs::path(*top) / ".pre-commit-config.yaml")) report.actions.push_back(pre_commit_framework_hint);
        return report;
    }
    install_into(where.dir, local, "repo", report);
    if (where.from_hooks_path) report.actions.push_back("(core.hooksPath is set: git runs hooks from " + where.dir.string() + ")");
    if (tracked_folder(repo.get(), where.dir))
        report.actions.push_back("note: " + where.dir.string() + " is tracked by git, so these files show as changes. Commit "
                                 "them only if everyone who clones has secretscan installed; otherwise run "
                                 "`secretscan uninstall` and call secretscan from your team's own hook instead.");
    return report;
}

InstallReport uninstall_hooks(const std::string& repo_dir, const InstallOptions& o)
{
    check_names(o.hooks);
    InstallReport report;
    if (o.global) {
        const fs::path dir = global_hooks_dir();
        report.hooks_dir = dir.string();
        uninstall_from(dir, o.hooks, report);
        InstallReport quiet;
        uninstall_from(dir, passthrough_hook_names, quiet);
        git::Config cfg = git::open_global_config();
        const auto current = git::config_string(cfg.get(), "core.hooksPath");
        if (current && fs::path(expand_home(*current)).lexically_normal() == dir.lexically_normal()) {
            const fs::path prev = dir / previous_hooks_path_file;
            std::error_code ec;
            if (fs::exists(prev, ec)) {
                const std::string old = read_text(prev);
                git::write_config(git::ConfigScope::global, ".", git::ConfigOp::set, "core.hooksPath", old);
                fs::remove(prev, ec);
                report.actions.push_back("global core.hooksPath restored to " + old);
            } else {
                git::write_config(git::ConfigScope::global, ".", git::ConfigOp::unset, "core.hooksPath");
                report.actions.push_back("global core.hooksPath unset");
            }
        }
        return report;
    }
    git::Repository repo = git::open(repo_dir);
    const HooksDir where = repository_hooks_dir(repo.get());
    report.hooks_dir = where.dir.string();
    uninstall_from(where.dir, o.hooks, report);
    return report;
}

} // namespace secretscan
