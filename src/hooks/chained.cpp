#include <secretscan/error.hpp>
#include <secretscan/hooks/chained.hpp>
#include <secretscan/hooks/install.hpp>

#include "git/repository.hpp"
#include "hooks/shim.hpp"
#include "util/process.hpp"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace secretscan {

std::string chained_hook(const std::string& name, const std::string& scope, const std::string& shim_path,
                         const std::string& repo_dir)
{
    std::error_code ec;
    auto runnable = [&ec](const fs::path& p) { return fs::is_regular_file(p, ec) && access(p.c_str(), X_OK) == 0; };
    if (scope != "global") {
        const fs::path c = shim_path + chained_suffix;
        return runnable(c) ? c.string() : "";
    }
    // A global core.hooksPath hides each repository's own hooks folder: run its hook first.
    const git::Repository repo = git::try_open(repo_dir);
    if (!repo) return "";
    const fs::path own = fs::path(git_repository_commondir(repo.get())) / "hooks" / name;
    if (!runnable(own)) return "";
    if (is_secretscan_hook(own.string())) {
        const fs::path c = own.string() + chained_suffix;
        return runnable(c) ? c.string() : "";
    }
    return own.string();
}

int run_chained_hook(const std::string& chained, const std::string& shim_path, const std::vector<std::string>& args,
                     const std::string& input)
{
    std::ifstream in(chained, std::ios::binary);
    std::string first;
    std::getline(in, first);
    std::string shell;
    for (const char* sh : {"#!/bin/sh", "#!/usr/bin/env sh", "#!/bin/bash", "#!/usr/bin/env bash", "#!/bin/dash"}) {
        if (first.rfind(sh, 0) == 0 && (first.size() == std::strlen(sh) || first[std::strlen(sh)] == ' ')) {
            shell = std::string(sh).find("bash") != std::string::npos ? "bash" : "sh";
            break;
        }
    }
    std::vector<std::string> argv;
    if (!shell.empty()) {
        // `sh -c '. FILE' $0 ARGS...`: the script runs with $0 = the hook's own path.
        argv = {shell, "-c", ". " + shell_quote(chained), shim_path};
    } else {
        argv = {chained};
    }
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, input, nullptr);
}

} // namespace secretscan
