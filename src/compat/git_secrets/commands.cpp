// git-secrets' configuration commands: --install, --list, --add, --add-provider, --register-aws.

#include "compat/git_secrets/mode.hpp"
#include "git/config.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace secretscan::git_secrets {

namespace {

/// Adds value to key unless it is already there (exactly); returns false for a duplicate.
bool add_config(const std::string& key, const std::string& value, bool global)
{
    // Duplicates are judged within the scopes git reads, as upstream does with --get-all. The
    // repository outlives its config: libgit2 keeps it for conditional includes.
    const git::Repository repo = global ? nullptr : git::open(".");
    const git::Config cfg = global ? git::open_global_config() : git::repository_config(repo.get());
    for (const auto& v : git::config_values(cfg.get(), key))
        if (v == value) return false;
    git::write_config(global ? git::ConfigScope::global : git::ConfigScope::local, ".", git::ConfigOp::add, key, value);
    return true;
}

} // namespace

int install(const Parsed& p)
{
    fs::path dir;
    if (p.args.empty()) {
        const git::Repository repo = git::try_open(".");
        if (!repo) throw Die{"Not in a Git repository"};
        dir = git_repository_path(repo.get());
        // Shown relative to the current folder, as `git rev-parse --git-dir` gives it.
        const fs::path rel = fs::path(dir).lexically_relative(fs::current_path());
        if (!rel.empty() && *rel.begin() != "..") dir = rel;
    } else {
        dir = p.args[0];
        std::error_code ec;
        if (fs::is_directory(dir / ".git", ec)) dir /= ".git";
    }
    std::error_code ec;
    fs::create_directories(dir / "hooks", ec);
    if (ec) throw Die{"Could not create dir: " + dir.string()};
    const std::pair<const char*, const char*> hooks[] = {
        {"commit-msg", "commit_msg_hook"}, {"pre-commit", "pre_commit_hook"}, {"prepare-commit-msg", "prepare_commit_msg_hook"}};
    for (const auto& [hook, mode] : hooks) {
        const fs::path d = dir / "hooks" / (std::string(hook) + ".d");
        const fs::path dest = fs::is_directory(d, ec) ? d / "git-secrets" : dir / "hooks" / hook;
        if (fs::exists(dest, ec) && !p.has("force")) throw Die{dest.string() + " already exists. Use -f to force"};
        {
            std::ofstream out(dest, std::ios::binary | std::ios::trunc);
            out << "#!/bin/sh\n# git-secrets hook (secretscan's git-secrets mode)\nexec git secrets --" << mode << " -- \"$@\"\n";
            if (!out) throw Die{"cannot write " + dest.string()};
        }
        chmod(dest.c_str(), 0755);
        std::cout << "Installed " << hook << " hook to " << dest.lexically_normal().string() << '\n';
    }
    return 0;
}

int list(bool global)
{
    const git::Repository repo = global ? nullptr : git::try_open(".");
    const git::Config cfg = global ? git::open_global_config() : git::repository_config(repo.get());
    const auto entries = git::config_entries(cfg.get(), "secrets.*");
    for (const auto& e : entries) std::cout << e.name << ' ' << e.value << '\n';
    return entries.empty() ? 1 : 0;
}

int register_aws(bool global)
{
    add_config("secrets.providers", "git secrets --aws-provider", global);
    for (const auto& p : register_aws_patterns()) add_config("secrets.patterns", p, global);
    bool added_last = false;
    for (const auto& a : register_aws_allowed()) added_last = add_config("secrets.allowed", a, global);
    if (added_last) std::cout << "OK\n"; // upstream says OK only when its last addition was new
    return 0;
}

int add(const Parsed& p)
{
    if (p.args.empty()) throw Die{"--add needs a pattern"};
    std::string value = p.args[0];
    if (p.has("literal")) value = ere_escape(value);
    return add_config(p.has("allowed") ? "secrets.allowed" : "secrets.patterns", value, p.has("global")) ? 0 : 1;
}

int add_provider(const Parsed& p)
{
    std::string value;
    for (const auto& a : p.args) value += (value.empty() ? "" : " ") + a;
    if (value.empty()) throw Die{"--add-provider needs a command"};
    return add_config("secrets.providers", value, p.has("global")) ? 0 : 1;
}

} // namespace secretscan::git_secrets
