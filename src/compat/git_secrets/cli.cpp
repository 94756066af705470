#include "compat/git_secrets/cli.hpp"

#include <secretscan/error.hpp>
#include <secretscan/compat/git_secrets/config.hpp>
#include <secretscan/sources/sources.hpp>

#include "git/repository.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace secretscan::cli {

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

struct UsageError {
    std::string message;
};

/// Options (canonical long names, in order) and the other arguments.
struct Parsed {
    std::vector<std::string> options;
    std::vector<std::string> args;
    bool has(const std::string& o) const { return std::find(options.begin(), options.end(), o) != options.end(); }
};

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

/// git-sh-setup's die: message on stderr, exit 1.
struct Die {
    std::string message;
};

// ---------------------------------------------------------------- config writing

/// Adds value to key unless it is already there (exactly); returns false for a duplicate.
bool add_config(const std::string& key, const std::string& value, bool global)
{
    git::init();
    git::Config cfg;
    if (global) {
        cfg = git::open_global_config();
    } else {
        git::Repository repo = git::open(".");
        cfg = git::repository_config(repo.get());
        // Duplicates are judged within the scope written to, as upstream does with --get-all.
    }
    for (const auto& v : git::config_values(cfg.get(), key))
        if (v == value) return false;
    git::write_config(global ? git::ConfigScope::global : git::ConfigScope::local, ".", git::ConfigOp::add, key, value);
    return true;
}

// ---------------------------------------------------------------- scanning

/// Findings printed as git-secrets prints them ("<where>:<line>:<text>"), allowed lines removed.
class Report {
public:
    explicit Report(const GitSecretsConfig& cfg) : m_allowed(cfg.allowed), m_gitallowed(cfg.gitallowed_path) {}

    void add(const std::string& where, const Finding& f)
    {
        const std::string line = where + ":" + std::to_string(f.line) + ":" + f.line_text;
        if (!m_seen.insert(line).second) return;
        if (m_allowed.allows(line)) return;
        m_lines.push_back(line);
    }

    /// Whether `path` is the .gitallowed file itself, whose entries are never findings.
    bool is_gitallowed(const fs::path& path) const
    {
        if (m_gitallowed.empty()) return false;
        std::error_code ec;
        return fs::equivalent(path, m_gitallowed, ec);
    }

    /// Prints the lines and the banner; returns the exit code (0 when nothing is left).
    int finish() const
    {
        if (m_lines.empty()) return 0;
        for (const auto& l : m_lines) std::cerr << l << '\n';
        std::cerr << "\n[ERROR] Matched one or more prohibited patterns\n\n"
                     "What you can do:\n"
                     "- remove the secret (and rotate it if it is real);\n"
                     "- allow a false positive: git config --add secrets.allowed REGEX, or a line in .gitallowed at the "
                     "top of the repository;\n"
                     "- see the patterns: git secrets --list;\n"
                     "- skip the check once: --no-verify.\n";
        return 1;
    }

private:
    AllowedPatterns m_allowed;
    std::string m_gitallowed;
    std::set<std::string> m_seen;
    std::vector<std::string> m_lines;
};

struct Engine {
    GitSecretsConfig cfg;
    std::unique_ptr<Matcher> matcher;
    std::unique_ptr<Scanner> scanner;
    ScanOptions options;

    Engine() : cfg(load_git_secrets_config("."))
    {
        matcher = std::make_unique<Matcher>(git_secrets_rules(cfg.patterns));
        scanner = std::make_unique<Scanner>(*matcher, false);
        options.max_file_size = UINT64_MAX; // git-secrets scans files of any size
    }
    bool no_patterns() const { return cfg.patterns.empty(); }

    void scan_bytes(std::string_view bytes, const std::string& where, Report& report) const
    {
        ScanStats stats;
        for (const Finding& f : scanner->scan_bytes(bytes, Provenance{SourceKind::file, where, ""}, options, stats))
            report.add(where, f);
    }
};

std::string errno_text()
{
    return std::strerror(errno);
}

bool read_file(const fs::path& p, std::string& out)
{
    return read_whole_file(p.string(), out);
}

void scan_tracked(const Engine& e, GrepSelection selection, const std::vector<std::string>& pathspecs, Report& report)
{
    for_each_grep_file(".", selection, pathspecs, [&](const std::string& path, std::string_view bytes) {
        if (report.is_gitallowed(path)) return;
        e.scan_bytes(bytes, path, report);
    });
}

int scan(const Parsed& p)
{
    const Engine e;
    Report report(e.cfg);
    const bool git_mode = p.has("cached") || p.has("untracked") || p.has("no-index");
    if (e.no_patterns()) return 0;
    if (p.args.empty() || git_mode) {
        const GrepSelection sel = p.has("cached")      ? GrepSelection::cached
                                  : p.has("untracked") ? GrepSelection::untracked
                                  : p.has("no-index")  ? GrepSelection::no_index
                                                       : GrepSelection::tracked;
        scan_tracked(e, sel, p.args, report);
        return report.finish();
    }
    // Files named on the command line, as grep reads them.
    int status = 0;
    std::string data;
    for (const std::string& arg : p.args) {
        if (arg == "-") {
            data.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
            e.scan_bytes(data, "(standard input)", report);
            continue;
        }
        std::error_code ec;
        const auto st = fs::status(arg, ec);
        if (ec || !fs::exists(st)) {
            std::cerr << "git-secrets: " << arg << ": No such file or directory\n";
            status = 2;
            continue;
        }
        if (fs::is_directory(st)) {
            if (!p.has("recursive")) continue; // grep -d skip
            std::vector<fs::path> files;
            for (fs::recursive_directory_iterator it(arg, fs::directory_options::skip_permission_denied, ec), end; it != end;
                 it.increment(ec)) {
                if (ec) break;
                const auto s = it->symlink_status(ec);
                if (fs::is_directory(s) && it->path().filename() == ".git") it.disable_recursion_pending();
                else if (fs::is_regular_file(s)) files.push_back(it->path());
            }
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                if (report.is_gitallowed(f)) continue;
                if (!read_file(f, data)) {
                    std::cerr << "git-secrets: " << f.string() << ": " << errno_text() << '\n';
                    status = 2;
                    continue;
                }
                e.scan_bytes(data, f.generic_string(), report);
            }
            continue;
        }
        if (report.is_gitallowed(arg)) continue;
        if (!read_file(arg, data)) {
            std::cerr << "git-secrets: " << arg << ": " << errno_text() << '\n';
            status = 2;
            continue;
        }
        e.scan_bytes(data, arg, report);
    }
    if (status) return status; // like grep: an unreadable file is an error, whatever else matched
    return report.finish();
}

/// Findings of a history scan, as "<commit>:<path>:<line>:<text>".
void report_history(const ScanResult& r, Report& report)
{
    std::vector<Finding> findings = r.findings;
    sort_findings(findings);
    for (const Finding& f : findings) {
        const std::string where = f.commit + ":" + (f.path.empty() ? std::string("(commit message)") : f.path);
        report.add(where, f);
    }
}

int scan_history_mode()
{
    const Engine e;
    Report report(e.cfg);
    if (e.no_patterns()) return 0;
    HistoryOptions h;
    h.scan = e.options;
    h.messages = false; // git-secrets searches trees, not messages
    const ScanResult r = scan_history(*e.scanner, ".", h);
    report_history(r, report);
    // Like upstream, when no commit holds a match, the tracked files are searched instead (they
    // may hold changes not committed yet).
    if (r.findings.empty()) scan_tracked(e, GrepSelection::tracked, {}, report);
    return report.finish();
}

/// The commits a merge in progress brings in (MERGE_HEAD ^HEAD), as upstream's hooks judge a
/// merge: git-secrets blocks a merge that brings in a commit holding a prohibited pattern.
void report_merged_history(const Engine& e, Report& report)
{
    const std::vector<std::string> heads = merge_heads(".");
    if (heads.empty()) return;
    HistoryOptions h;
    h.scan = e.options;
    h.ranges = heads;
    h.ranges.push_back("^HEAD");
    report_history(scan_history(*e.scanner, ".", h), report);
}

int pre_commit_hook()
{
    const Engine e;
    Report report(e.cfg);
    if (e.no_patterns()) return 0;
    StagedOptions o;
    o.scan = e.options;
    for (const Finding& f : scan_staged(*e.scanner, ".", o).findings) {
        if (report.is_gitallowed(f.path)) continue;
        report.add(f.path, f);
    }
    // Concluding a merge with `git commit -m/-F` gives prepare-commit-msg no "merge" source:
    // check what the merge brings in here too.
    report_merged_history(e, report);
    return report.finish();
}

int commit_msg_hook(const std::vector<std::string>& args)
{
    if (args.empty()) throw Die{"commit-msg hook: no message file given"};
    const Engine e;
    Report report(e.cfg);
    if (e.no_patterns()) return 0;
    for (const Finding& f : scan_message_file(*e.scanner, args[0], e.options).findings) report.add(args[0], f);
    return report.finish();
}

int prepare_commit_msg_hook(const std::vector<std::string>& args)
{
    // Only a merge without a given commit (git merge) brings in history to check.
    if (args.size() < 2 || args[1] != "merge" || args.size() > 2) return 0;
    const Engine e;
    Report report(e.cfg);
    if (e.no_patterns()) return 0;
    report_merged_history(e, report);
    return report.finish();
}

int install(const Parsed& p)
{
    fs::path dir;
    if (p.args.empty()) {
        git::init();
        git_repository* raw = nullptr;
        if (git_repository_open_ext(&raw, ".", 0, nullptr) != 0) throw Die{"Not in a Git repository"};
        git::Repository repo(raw);
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
    git::init();
    git::Config cfg;
    if (global) {
        cfg = git::open_global_config();
    } else {
        git_repository* raw = nullptr;
        git::Repository repo;
        if (git_repository_open_ext(&raw, ".", 0, nullptr) == 0) repo.reset(raw);
        cfg = git::repository_config(repo.get());
    }
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
    // Options that belong to one command only (git-secrets' assert_option_for_command).
    const std::map<std::string, std::pair<std::string, std::string>> owner = {
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
    const bool global = p.has("global");
    if (command == "scan") return scan(p);
    if (command == "scan-history") return scan_history_mode();
    if (command == "install") return install(p);
    if (command == "list") return list(global);
    if (command == "add") {
        if (p.args.empty()) throw Die{"--add needs a pattern"};
        std::string value = p.args[0];
        if (p.has("literal")) value = ere_escape(value);
        return add_config(p.has("allowed") ? "secrets.allowed" : "secrets.patterns", value, global) ? 0 : 1;
    }
    if (command == "add-provider") {
        std::string value;
        for (const auto& a : p.args) value += (value.empty() ? "" : " ") + a;
        if (value.empty()) throw Die{"--add-provider needs a command"};
        return add_config("secrets.providers", value, global) ? 0 : 1;
    }
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

int run_git_secrets(int argc, char** argv)
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
        const std::string what = e.what();
        if (what.find("not a git repository") != std::string::npos) {
            std::cerr << "fatal: not a git repository (or any of the parent directories): .git\n";
            return 128;
        }
        std::cerr << "git-secrets: " << what << '\n';
        return 2; // an invalid pattern or an unreadable object: grep's "trouble" status
    } catch (const std::exception& e) {
        std::cerr << "git-secrets: internal error: " << e.what() << '\n';
        return 2;
    }
}

} // namespace secretscan::cli
