#include <secretscan/compat/git_secrets/cli.hpp>
#include <secretscan/error.hpp>

#include "compat/git_secrets/mode.hpp"

#include <iostream>
#include <map>

namespace secretscan::git_secrets {

namespace {

constexpr const char* usage_text =
    "usage: git secrets --scan [-r|--recursive] [--cached] [--no-index] [--untracked] [<files>...]\n"
    "   or: git secrets --scan-history\n"
    "   or: git secrets --install [-f|--force] [<target-directory>]\n"
    "   or: git secrets --list [--global]\n"
    "   or: git secrets --add [-a|--allowed] [-l|--literal] [--global] <pattern>\n"
    "   or: git secrets --add-provider [--global] <command> [arguments...]\n"
    "   or: git secrets --register-aws [--global]\n"
    "   or: git secrets --aws-provider [<credentials-file>]\n"
    "\n"
    "    (secretscan in git-secrets mode: the same commands and configuration, secretscan's engine)\n"
    "    --scan                scan files, or the repository's tracked files, for prohibited patterns\n"
    "    --scan-history        scan every commit of every ref\n"
    "    --install             write commit-msg, pre-commit and prepare-commit-msg hooks\n"
    "    --list                list the secrets.* settings\n"
    "    --add                 add a prohibited (or, with -a, an allowed) pattern\n"
    "    --add-provider        add a command whose output lines are prohibited patterns\n"
    "    --aws-provider        print the keys found in an AWS credentials file, as patterns\n"
    "    --register-aws        add the AWS patterns and the AWS credentials provider\n"
    "    -r, --recursive       --scan: descend into directories\n"
    "    --cached              --scan: search the index's blobs\n"
    "    --no-index            --scan: search files not managed by git\n"
    "    --untracked           --scan: search untracked files too\n"
    "    -f, --force           --install: overwrite existing hooks\n"
    "    -l, --literal         --add: escape the pattern so it matches literally\n"
    "    -a, --allowed         --add: add an allowed pattern\n"
    "    --global              use the global git config\n";

/// One option of git-secrets' OPTIONS_SPEC: long name, short letter (or 0), hidden.
struct Spec {
    const char* name;
    char letter;
};
constexpr Spec specs[] = {
    {"scan", 0},      {"scan-history", 0}, {"install", 0}, {"list", 0},   {"add", 0},        {"add-provider", 0},
    {"aws-provider", 0}, {"register-aws", 0}, {"recursive", 'r'}, {"cached", 0}, {"no-index", 0}, {"untracked", 0},
    {"force", 'f'},   {"literal", 'l'},    {"allowed", 'a'}, {"global", 0}, {"help", 'h'},
    {"commit_msg_hook", 0}, {"pre_commit_hook", 0}, {"prepare_commit_msg_hook", 0},
};

} // namespace

Parsed parse(int argc, char** argv)
{
    Parsed p;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--") {
            p.args.insert(p.args.end(), argv + i + 1, argv + argc);
            break;
        }
        if (a.rfind("--", 0) == 0) {
            const std::string name = a.substr(2);
            std::vector<std::string> hits;
            for (const Spec& s : specs) {
                if (name == s.name) {
                    hits = {s.name};
                    break;
                }
                if (std::string(s.name).rfind(name, 0) == 0) hits.push_back(s.name);
            }
            if (hits.empty()) throw UsageError{"error: unknown option `" + name + "'"};
            if (hits.size() > 1) throw UsageError{"error: ambiguous option: " + name + " (could be --" + hits[0] + " or --" + hits[1] + ")"};
            p.options.push_back(hits[0]);
        } else if (a.size() > 1 && a[0] == '-') {
            for (std::size_t k = 1; k < a.size(); ++k) {
                const Spec* found = nullptr;
                for (const Spec& s : specs)
                    if (s.letter == a[k]) found = &s;
                if (!found) throw UsageError{std::string("error: unknown switch `") + a[k] + "'"};
                p.options.push_back(found->name);
            }
        } else {
            p.args.push_back(a); // "-" (stdin) included
        }
    }
    return p;
}

namespace {

/// Options that belong to one command only (git-secrets' assert_option_for_command).
void check_option_owners(const Parsed& p, const std::string& command)
{
    static const std::map<std::string, std::pair<std::string, std::string>> owner = {
        {"force", {"install", "-f|--force"}},         {"recursive", {"scan", "-r|--recursive"}},
        {"allowed", {"add", "-a|--allowed"}},         {"literal", {"add", "-l|--literal"}},
        {"cached", {"scan", "--cached"}},             {"no-index", {"scan", "--no-index"}},
        {"untracked", {"scan", "--untracked"}},
    };
    for (std::size_t i = 1; i < p.options.size(); ++i) {
        const auto it = owner.find(p.options[i]);
        if (it != owner.end() && it->second.first != command)
            throw Die{it->second.second + " can only be supplied with the --" + it->second.first + " subcommand"};
    }
    if (p.has("recursive") && (p.has("cached") || p.has("no-index") || p.has("untracked")))
        throw Die{"-r|--recursive cannot be supplied with --cached, --no-index, or --untracked"};
}

int run_mode(const Parsed& p)
{
    const std::string command = p.options.empty() ? "" : p.options.front();
    if (command.empty()) {
        std::cout << usage_text;
        return 0;
    }
    if (p.has("help")) {
        std::cout << usage_text;
        return 129;
    }
    check_option_owners(p, command);
    const bool global = p.has("global");
    if (command == "scan") return scan(p);
    if (command == "scan-history") return scan_history();
    if (command == "install") return install(p);
    if (command == "list") return list(global);
    if (command == "add") return add(p);
    if (command == "add-provider") return add_provider(p);
    if (command == "register-aws") return register_aws(global);
    if (command == "aws-provider") {
        std::cout << aws_provider_output(p.args.empty() ? "" : p.args[0]);
        return 0;
    }
    if (command == "commit_msg_hook") return commit_msg_hook(p.args);
    if (command == "pre_commit_hook") return pre_commit_hook();
    if (command == "prepare_commit_msg_hook") return prepare_commit_msg_hook(p.args);
    // Another option first (e.g. --global alone): what upstream does with an unknown mode.
    std::cout << "Unknown option: --" << command << '\n' << usage_text;
    return 0;
}

} // namespace

int run(int argc, char** argv)
{
    try {
        return run_mode(parse(argc, argv));
    } catch (const UsageError& e) {
        std::cerr << e.message << '\n' << usage_text;
        return 129;
    } catch (const Die& d) {
        std::cerr << "error: " << d.message << '\n';
        return 1;
    } catch (const Error& e) {
        if (e.cause() == ErrorCause::not_a_repository) {
            std::cerr << "fatal: not a git repository (or any of the parent directories): .git\n";
            return 128;
        }
        std::cerr << "git-secrets: " << e.what() << '\n';
        return 2; // an invalid pattern or an unreadable object: grep's "trouble" status
    } catch (const std::exception& e) {
        std::cerr << "git-secrets: internal error: " << e.what() << '\n';
        return 2;
    }
}

} // namespace secretscan::git_secrets
