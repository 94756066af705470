#include "hooks/run.hpp"

#include <secretscan/error.hpp>
#include <secretscan/hooks/install.hpp>
#include <secretscan/sources/sources.hpp>


#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace secretscan::cli {

namespace {

bool skip_requested()
{
    const char* v = std::getenv("SECRETSCAN_SKIP");
    return v && *v && std::string(v) != "0";
}

std::string bypass_for(const std::string& name)
{
    if (name == "pre-commit" || name == "commit-msg") return "git commit --no-verify";
    if (name == "pre-push") return "git push --no-verify (or SECRETSCAN_SKIP=1 git push)";
    return "SECRETSCAN_SKIP=1 git commit (or git merge --continue)";
}

std::string what_for(const std::string& name)
{
    if (name == "commit-msg") return "the commit message";
    if (name == "pre-push") return "the commits being pushed";
    if (name == "prepare-commit-msg") return "what the merge adds";
    return "the staged changes";
}

} // namespace

int run_hook(const Scanner& scanner, const ScanOptions& options, const std::function<void(std::vector<Finding>&)>& filter,
             bool redact, const std::string& name,
             const std::string& scope, const std::string& shim, const std::vector<std::string>& args)
{
    const std::string bypass = bypass_for(name);
    try {
        const bool ours = std::find(all_hook_names.begin(), all_hook_names.end(), name) != all_hook_names.end();
        const bool passthrough =
            std::find(passthrough_hook_names.begin(), passthrough_hook_names.end(), name) != passthrough_hook_names.end();
        if (!ours && !passthrough) throw Error(ErrorKind::usage, "hook " + name + ": not a hook git runs");
        // pre-push reads the refs on standard input; the chained hook needs them too.
        std::string input;
        if (name == "pre-push") input.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
        const std::string chained = chained_hook(name, scope, shim, ".");
        if (!ours) { // a pass-through shim: the repository's own hook, if any, and nothing else
            if (chained.empty()) return 0;
            std::string passed_input;
            if (name == "pre-receive" || name == "post-receive" || name == "post-rewrite" || name == "reference-transaction" ||
                name == "proc-receive")
                passed_input.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
            return run_chained_hook(chained, shim, args, passed_input);
        }
        if (!chained.empty()) {
            const int rc = run_chained_hook(chained, shim, args, input);
            if (rc != 0) {
                std::cerr << "secretscan: the " << name << " hook it chains (" << chained << ") failed with exit code " << rc
                          << "; stopped there\n";
                return rc;
            }
        }
        // SECRETSCAN_SKIP is for the hooks --no-verify does not always skip; pre-commit and
        // commit-msg ignore it, so an exported variable cannot silently switch the tool off.
        if (skip_requested() && (name == "prepare-commit-msg" || name == "pre-push")) {
            std::cerr << "secretscan: SECRETSCAN_SKIP is set: " << name << " check skipped\n";
            return 0;
        }
        ScanResult result;
        if (name == "pre-commit") {
            StagedOptions o;
            o.scan = options;
            result = scan_staged(scanner, ".", o);
        } else if (name == "commit-msg") {
            if (args.empty()) throw Error(ErrorKind::usage, "hook commit-msg: git passes the message file; none given");
            result = scan_message_file(scanner, args[0], options);
        } else if (name == "prepare-commit-msg") {
            // A clean `git merge` runs no pre-commit hook: check what the merge adds here.
            if (!merge_in_progress(".")) return 0;
            StagedOptions o;
            o.scan = options;
            result = scan_staged(scanner, ".", o);
        } else {
            result = scan_push(scanner, ".", options, input);
        }
        for (const auto& w : result.warnings) std::cerr << "secretscan: warning: " << w << '\n';
        filter(result.findings);
        if (result.findings.empty()) return 0;
        sort_findings(result.findings);
        const std::size_t n = result.findings.size();
        std::cerr << "secretscan: " << n << (n == 1 ? " secret" : " secrets") << " in " << what_for(name) << ":\n";
        std::set<std::string> rules;
        for (const Finding& f : result.findings) {
            std::cerr << display_location(f) << ':' << f.line << ':' << f.column << ": " << f.rule_id << ": "
                      << (redact ? secretscan::redact(f.secret) : f.secret);
            if (!f.validation.empty()) std::cerr << " (" << f.validation << ")";
            if (!f.commit.empty()) std::cerr << " (commit " << f.commit.substr(0, 12) << ")";
            std::cerr << '\n';
            rules.insert(f.rule_id);
        }
        std::cerr << (name == "pre-push" ? "The push was blocked." : "The commit was blocked.") << " To go on:\n";
        if (name == "commit-msg")
            std::cerr << "  - take the secret out of the message (your text is kept in .git/COMMIT_EDITMSG);\n";
        else if (name == "pre-push")
            std::cerr << "  - rewrite the commits to remove it (git rebase -i, then edit the commit that added it), since "
                         "pushing publishes history;\n";
        else
            std::cerr << "  - remove it from the file and stage the change again;\n";
        std::cerr << "  - if it is real, rotate it:";
        for (const auto& r : rules) std::cerr << " secretscan rules explain " << r << ';';
        std::cerr << (name == "pre-push" ? "\n  - if it is not a secret, add the comment secretscan:allow to its line in that "
                                           "commit (rewriting it);\n"
                                         : "\n  - if it is not a secret, add the comment secretscan:allow to its line;\n")
                  << "  - to accept what is already there, record it in a baseline: secretscan baseline create "
                     ".secretscan-baseline.jsonl, and set `baseline: .secretscan-baseline.jsonl` in .secretscan.yaml;\n"
                  << "  - to skip this check once: " << bypass << "\n";
        return 1;
    } catch (const Error& e) {
        std::cerr << "secretscan: error: " << e.what() << "\nsecretscan: the " << name
                  << " check could not run, so it failed closed. Fix the cause, or bypass once: " << bypass << '\n';
        return exit_code_for(e.kind());
    }
}

} // namespace secretscan::cli
