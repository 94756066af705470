#include "cli/cli.hpp"
#include "compat/git_secrets/cli.hpp"
#include "hooks/run.hpp"

#include "cli/demo.hpp"
#include <secretscan/config/config.hpp>
#include <secretscan/error.hpp>
#include <secretscan/compat/git_secrets/config.hpp>
#include <secretscan/hooks/install.hpp>
#include <secretscan/report/report.hpp>
#include <secretscan/rules/check.hpp>
#include <secretscan/rules/rule.hpp>
#include <secretscan/sources/sources.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <unistd.h>

namespace secretscan::cli {

namespace {

/// Stage 1: what the command line said, with no side effects.
struct Args {
    std::string directory;
    std::string format = "text";
    bool no_redact = false;
    std::vector<std::string> rule_packs;
    bool no_builtin = false;
    std::vector<std::string> disabled;
    std::uint64_t max_file_size = 10u << 20;
    unsigned threads = 0;
    bool quiet = false;
    bool verbose = false;
    bool exit_zero = false;
    bool no_color = false;
    std::string output;              // --output FILE
    std::vector<std::string> baselines; // --baseline FILE
    std::string config_file;         // --config FILE
    std::string min_confidence;      // --min-confidence low|medium|high
    std::string baseline_file;       // baseline create FILE
    std::vector<std::string> baseline_scan; // baseline create FILE [history RANGE... | scan PATH... | staged]
    bool no_ignore = false;
    bool all_lines = false;
    bool keep = false;
    std::vector<std::string> paths;  // scan
    std::string message_file;        // message
    std::vector<std::string> ranges; // history
    std::vector<std::string> check_files; // rules check
    std::string rule_id;             // rules explain
    std::string demo_dir;
    bool force = false;              // install
    bool global = false;             // install, uninstall
    std::string hooks_list;          // install, uninstall: comma-separated names
};

int confidence_rank(const std::string& c)
{
    return c == "high" ? 2 : c == "medium" ? 1 : 0;
}

/// Stage 2: the resolved plan shared by every scan command.
struct Plan {
    std::unique_ptr<Matcher> matcher;
    std::unique_ptr<AllowedPatterns> allowed; ///< git-secrets' secrets.allowed and .gitallowed
    std::unique_ptr<FindingFilter> filter;    ///< allowlist and baselines (config and --baseline)
    int min_confidence = 0;                   ///< 0 low, 1 medium, 2 high: weaker findings are dropped
    ScanOptions scan;
    ReportOptions report;

    /// Drops what the configuration accepts: git-secrets' allowed patterns, the allowlist,
    /// baselines.
    void filter_findings(std::vector<Finding>& findings) const
    {
        apply_git_secrets_filters(findings, allowed.get());
        if (filter) filter->apply(findings);
        if (min_confidence > 0)
            std::erase_if(findings, [this](const Finding& f) { return confidence_rank(f.confidence) < min_confidence; });
    }
};

/// What a plan takes from the repository besides the command line.
enum class Context {
    full,           ///< config files, git-secrets settings, baselines
    no_baselines,   ///< all but baselines (baseline create records everything)
    packs_only,     ///< the rule packs alone (rules check, demo: repository settings must not change them)
};

Plan resolve(const Args& a, const std::string& command, Context context = Context::full)
{
    Plan p;
    const Config cfg = context == Context::packs_only ? Config{} : load_config(".", a.config_file);
    const bool use_baselines = context == Context::full;
    RuleSelection sel;
    sel.builtin = !a.no_builtin;
    sel.disabled = a.disabled;
    // Packs named in configuration files must exist (the error points at where they are named);
    // a pack named twice (config and --rules) is loaded once.
    std::set<std::string> pack_seen;
    std::error_code ec;
    auto add_pack = [&](const std::string& pack) {
        const std::string key = std::filesystem::weakly_canonical(pack, ec).string();
        if (pack_seen.insert(key.empty() ? pack : key).second) sel.extra_packs.push_back(pack);
    };
    for (const auto& pack : cfg.rule_packs) {
        if (!std::filesystem::exists(pack, ec))
            throw Error(ErrorKind::config, cfg.origin.at(pack) + ": rules: " + pack + ": no such rule pack");
        add_pack(pack);
    }
    for (const auto& pack : a.rule_packs) add_pack(pack);
    std::vector<BaselineEntry> baseline;
    if (use_baselines) {
        // A configured baseline may not exist yet (`baseline create` makes it): say so, go on.
        // One given on the command line must exist.
        for (const auto& file : cfg.baselines) {
            if (!std::filesystem::exists(file, ec)) {
                std::cerr << "secretscan: warning: " << cfg.origin.at(file) << ": baseline " << file
                          << " does not exist (create it: secretscan baseline create " << file << ")\n";
                continue;
            }
            for (auto& e : load_baseline(file)) baseline.push_back(std::move(e));
        }
        for (const auto& file : a.baselines)
            for (auto& e : load_baseline(file)) baseline.push_back(std::move(e));
    }
    p.filter = std::make_unique<FindingFilter>(cfg.allowlist, baseline, today_utc());
    if (!a.min_confidence.empty()) {
        if (a.min_confidence != "low" && a.min_confidence != "medium" && a.min_confidence != "high")
            throw Error(ErrorKind::usage, "--min-confidence " + a.min_confidence + ": expected low, medium or high");
        p.min_confidence = confidence_rank(a.min_confidence);
    }
    std::vector<Rule> rules = load_rules(sel);
    // Rules disabled in configuration files: an unknown id is an error at the place it is named.
    for (const auto& id : cfg.disabled) {
        const auto it = std::find_if(rules.begin(), rules.end(), [&id](const Rule& r) { return r.id == id; });
        if (it == rules.end())
            throw Error(ErrorKind::config, cfg.origin.at(id) + ": disable: " + id + ": no loaded rule has this id (see 'secretscan rules list')");
        rules.erase(it);
    }
    // Patterns a team added with `git secrets --add` keep working after it switches (DESIGN §3).
    const GitSecretsConfig gs = context == Context::packs_only ? GitSecretsConfig{} : load_git_secrets_config(".");
    for (Rule& r : git_secrets_rules(gs.patterns)) rules.push_back(std::move(r));
    p.allowed = std::make_unique<AllowedPatterns>(gs.allowed);
    if (rules.empty()) throw Error(ErrorKind::usage, "no rules loaded: --no-builtin needs --rules PACK");
    p.matcher = std::make_unique<Matcher>(std::move(rules));
    p.scan.max_file_size = a.max_file_size;
    p.scan.threads = a.threads;
    p.scan.no_ignore = a.no_ignore;
    p.report.format = parse_format(a.format);
    p.report.rules = &p.matcher->rules();
    const char* no_color = std::getenv("NO_COLOR");
    p.report.color = p.report.format == Format::text && a.output.empty() && !a.no_color && !(no_color && *no_color) &&
                     isatty(STDOUT_FILENO);
    p.report.redact = !a.no_redact;
    p.report.quiet = a.quiet;
    p.report.command = command;
    return p;
}

/// Writes `text` to `path` so that readers never see a partial file: a temporary file in the
/// same folder (created 0600: reports hold secret locations), then rename. Throws Error(runtime).
void write_file_atomically(const std::string& path, const std::string& text)
{
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string tmpl = (dir / (target.filename().string() + ".XXXXXX")).string();
    const int fd = mkstemp(tmpl.data()); // mode 0600
    if (fd < 0) throw Error(ErrorKind::runtime, "--output " + path + ": cannot create a file there: " + std::strerror(errno));
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t w = ::write(fd, text.data() + done, text.size() - done);
        if (w <= 0) {
            const std::string why = std::strerror(errno);
            close(fd);
            unlink(tmpl.c_str());
            throw Error(ErrorKind::runtime, "--output " + path + ": " + why);
        }
        done += static_cast<std::size_t>(w);
    }
    if (fsync(fd) != 0 || close(fd) != 0 || std::rename(tmpl.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        unlink(tmpl.c_str());
        throw Error(ErrorKind::runtime, "--output " + path + ": " + why);
    }
}

int finish(const Args& a, const Plan& plan, ScanResult result)
{
    plan.filter_findings(result.findings);
    for (const auto& w : result.warnings) std::cerr << "secretscan: warning: " << w << '\n';
    if (a.verbose)
        for (const auto& n : result.notes) std::cerr << "secretscan: " << n << '\n';
    if (a.verbose)
        for (const auto& s : result.stats.skipped) std::cerr << "secretscan: skipped " << s.name << ": " << s.reason << '\n';
    const bool found = !result.findings.empty();
    // A machine-readable report, or one written to a file, still leaves a line in the log.
    if (!a.quiet && (plan.report.format != Format::text || !a.output.empty()))
        std::cerr << summary_line(result, plan.report.command) << '\n';
    if (a.output.empty()) {
        write_report(std::cout, std::move(result), plan.report);
        std::cout.flush();
    } else {
        std::ostringstream text;
        write_report(text, std::move(result), plan.report);
        write_file_atomically(a.output, text.str());
    }
    return found && !a.exit_zero ? 1 : 0;
}

int rules_list(const Args& a)
{
    const Plan plan = resolve(a, "rules list");
    if (plan.report.format == Format::json) {
        nlohmann::json out = nlohmann::json::array();
        for (const Rule& r : plan.matcher->rules())
            out.push_back({{"id", r.id}, {"name", r.name}, {"confidence", to_string(r.confidence)}, {"keywords", r.keywords},
                           {"tags", r.tags}, {"references", r.references}, {"source", r.mark.file}});
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    std::size_t width = 0;
    for (const Rule& r : plan.matcher->rules()) width = std::max(width, r.id.size());
    for (const Rule& r : plan.matcher->rules())
        std::cout << r.id << std::string(width - r.id.size() + 2, ' ') << to_string(r.confidence)
                  << std::string(8 - to_string(r.confidence).size(), ' ') << r.name << '\n';
    if (!a.quiet) std::cout << plan.matcher->rules().size() << " rules\n";
    return 0;
}

/// Runs every example through the whole engine: each must produce a finding of its rule, each
/// negative example none. Returns 0 when all pass, 1 otherwise.
int rules_check(const Args& a)
{
    Args b = a;
    if (!a.check_files.empty()) {
        b.no_builtin = true;
        b.rule_packs = a.check_files;
    }
    const Plan plan = resolve(b, "rules check", Context::packs_only);
    std::size_t checked = 0;
    const std::vector<RuleProblem> problems = check_rules(*plan.matcher, checked);
    for (const RuleProblem& p : problems)
        std::cout << p.at.file << ':' << p.at.line << ':' << p.at.column << ": rule " << p.rule_id << ": " << p.what << '\n';
    const std::size_t failures = problems.size();
    std::cout << plan.matcher->rules().size() << " rules, " << checked << " examples checked, " << failures
              << (failures == 1 ? " failure\n" : " failures\n");
    return failures ? 1 : 0;
}

int rules_explain(const Args& a)
{
    const Plan plan = resolve(a, "rules explain");
    for (const Rule& r : plan.matcher->rules()) {
        if (r.id != a.rule_id) continue;
        std::cout << r.id << ": " << r.name << " (confidence " << to_string(r.confidence) << ")\n\n";
        std::cout << "Regex:    " << r.regex << "\nKeywords:";
        for (const auto& k : r.keywords) std::cout << ' ' << k;
        std::cout << "\nDefined:  " << r.mark.file << ':' << r.mark.line << "\n\n";
        if (!r.references.empty()) {
            std::cout << "Format documented at:\n";
            for (const auto& ref : r.references) std::cout << "  " << ref << '\n';
            std::cout << '\n';
        }
        if (!r.validate.empty()) std::cout << "Validator: " << r.validate << " (a match that fails it is not reported)\n\n";
        if (const std::string impact = impact_of(r); !impact.empty()) {
            // Word-wrapped at 96 columns, like the packs' remediation text.
            std::cout << "What an attacker can do with it:\n";
            std::size_t col = 0;
            std::istringstream words(impact);
            for (std::string w; words >> w; col += w.size() + 1) {
                if (col && col + w.size() > 96) {
                    std::cout << '\n';
                    col = 0;
                }
                std::cout << (col ? " " : "") << w;
            }
            std::cout << "\n\n";
        }
        std::cout << "If it leaked:\n" << r.remediation;
        if (!r.remediation.empty() && r.remediation.back() != '\n') std::cout << '\n';
        return 0;
    }
    throw Error(ErrorKind::usage, "rules explain " + a.rule_id + ": no such rule (see 'secretscan rules list')");
}

std::string own_binary()
{
    std::error_code ec;
    const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) throw Error(ErrorKind::runtime, "cannot find the secretscan binary's path: " + ec.message());
    return p.string();
}

int install(const Args& a, bool remove)
{
    InstallOptions o;
    o.force = a.force;
    o.global = a.global;
    o.binary = own_binary();
    if (!a.hooks_list.empty()) {
        o.hooks.clear();
        std::string item;
        for (std::istringstream in(a.hooks_list); std::getline(in, item, ',');)
            if (!item.empty()) o.hooks.push_back(item);
    }
    const InstallReport r = remove ? uninstall_hooks(".", o) : install_hooks(".", o);
    std::cout << "Hooks folder: " << r.hooks_dir << '\n';
    for (const auto& line : r.actions) std::cout << "  " << line << '\n';
    return 0;
}

/// `baseline create FILE [history RANGE... | scan PATH... | staged]`: records the findings of
/// a scan (default: the history of every ref), keeping the reasons and expiry dates of an
/// existing FILE's entries.
int baseline_create(const Args& a)
{
    const std::string kind = a.baseline_scan.empty() ? "history" : a.baseline_scan.front();
    const std::vector<std::string> rest(a.baseline_scan.empty() ? a.baseline_scan.begin() : a.baseline_scan.begin() + 1,
                                        a.baseline_scan.end());
    Plan plan = resolve(a, "baseline create", Context::no_baselines);
    const Scanner scanner(*plan.matcher);
    ScanResult r;
    if (kind == "history") {
        HistoryOptions o;
        o.scan = plan.scan;
        o.ranges = rest;
        r = scan_history(scanner, ".", o);
    } else if (kind == "scan") {
        r = scan_paths(scanner, rest, plan.scan);
    } else if (kind == "staged") {
        StagedOptions o;
        o.scan = plan.scan;
        r = scan_staged(scanner, ".", o);
    } else {
        throw Error(ErrorKind::usage, "baseline create FILE " + kind + ": expected history [RANGE...], scan [PATH...] or staged");
    }
    plan.filter_findings(r.findings);
    std::vector<BaselineEntry> previous;
    std::error_code ec;
    if (std::filesystem::exists(a.baseline_file, ec)) previous = load_baseline(a.baseline_file);
    const auto entries = make_baseline(r.findings, previous);
    write_file_atomically(a.baseline_file, baseline_text(entries));
    if (!a.quiet)
        std::cout << "secretscan: wrote " << entries.size() << (entries.size() == 1 ? " entry" : " entries") << " to "
                  << a.baseline_file << " (" << r.findings.size() << " findings of " << kind
                  << "); give each a reason, and optionally an expires date (YYYY-MM-DD)\n";
    return 0;
}

int demo(const Args& a)
{
    namespace fs = std::filesystem;
    std::string dir = a.demo_dir;
    bool made_temp = false;
    if (dir.empty()) {
        std::string tmpl = (fs::temp_directory_path() / "secretscan-demo.XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw Error(ErrorKind::runtime, "cannot create a temporary folder: " + std::string(std::strerror(errno)));
        dir = tmpl;
        made_temp = true;
    } else if (fs::exists(dir) && !fs::is_empty(dir)) {
        throw Error(ErrorKind::usage, dir + ": the demo needs a new or empty folder");
    }
    const std::vector<DemoPlant> planted = create_demo_repository(dir);
    std::cout << "Demo repository with made-up credentials: " << dir << "\nRunning: secretscan -C " << dir << " history\n\n";
    Plan plan = resolve(a, "history", Context::packs_only);
    const Scanner scanner(*plan.matcher);
    HistoryOptions h;
    h.scan = plan.scan;
    ScanResult result = scan_history(scanner, dir, h);
    std::vector<std::string> missing;
    for (const DemoPlant& p : planted) {
        const bool hit = std::any_of(result.findings.begin(), result.findings.end(), [&p](const Finding& f) {
            return f.rule_id == p.rule_id && f.path == p.location && f.line == p.line;
        });
        if (!hit) missing.push_back(p.rule_id + " at " + (p.location.empty() ? "a commit message" : p.location) + ":" + std::to_string(p.line));
    }
    const std::size_t n = result.findings.size();
    write_report(std::cout, std::move(result), plan.report);
    if (made_temp && !a.keep) fs::remove_all(dir);
    else std::cout << "Kept the demo repository at " << dir << '\n';
    if (!missing.empty()) {
        for (const auto& m : missing) std::cerr << "secretscan demo: MISSED planted " << m << '\n';
        return 1;
    }
    std::cout << "\nDemo passed: all " << planted.size() << " planted credentials were found (" << n << " findings).\n";
    return 0;
}

} // namespace

namespace {

/// Whether a global option takes the next word as its value (for the word scans that CLI11
/// cannot do: finding `hook`, naming an unknown command).
bool takes_value(const std::string& word)
{
    static const std::set<std::string> with_value = {"-C", "--format", "--rules", "--disable-rule", "--max-file-size",
                                                      "--threads", "-o", "--output", "--baseline", "--config",
                                                      "--min-confidence"};
    return with_value.count(word) > 0;
}

} // namespace

int run(int argc, char** argv)
{
    // Installed as `git-secrets` (a link), the binary is the git-secrets drop-in.
    if (argc > 0 && std::filesystem::path(argv[0]).filename() == "git-secrets") return run_git_secrets(argc, argv);
    Args a;
    CLI::App app{"secretscan: a fast secret scanner for git repositories, commits and files", "secretscan"};
    app.set_version_flag("--version", std::string("secretscan ") + SECRETSCAN_VERSION);
    app.require_subcommand(1);
    app.fallthrough();
    app.add_option("-C", a.directory, "Run as if started in DIR (like git -C)");
    app.add_option("--format", a.format, "Report format: text, json, jsonl, sarif, csv or junit")->capture_default_str();
    app.add_option("-o,--output", a.output, "Write the report to FILE (atomically, mode 0600) instead of standard output");
    app.add_flag("--no-color", a.no_color, "No colours in text output (also: the NO_COLOR environment variable)");
    app.add_flag("--no-redact", a.no_redact, "Show secrets in full (default: first 4 characters and …)");
    // Repeatable options take one value each time: `scan --rules p.yaml src` scans src.
    app.add_option("--rules", a.rule_packs, "Extra rule pack (YAML file or directory of them); repeatable")->allow_extra_args(false);
    app.add_flag("--no-builtin", a.no_builtin, "Use only the packs given with --rules");
    app.add_option("--disable-rule", a.disabled, "Do not use the rule with this id; repeatable")->allow_extra_args(false);
    app.add_option("--max-file-size", a.max_file_size, "Skip files and blobs larger than this many bytes")->capture_default_str();
    app.add_option("--threads", a.threads, "Worker threads (0 = one per core)")->capture_default_str();
    app.add_flag("-q,--quiet", a.quiet, "No summary line");
    app.add_flag("-v,--verbose", a.verbose, "Name every skipped file or blob on stderr");
    app.add_flag("--exit-zero", a.exit_zero, "Exit 0 even when there are findings (report only)");
    app.add_option("--config", a.config_file, "Configuration file, read after ~/.config/secretscan/config.yaml and .secretscan.yaml");
    app.add_option("--baseline", a.baselines, "Baseline file (JSON Lines): its findings are not reported; repeatable")->allow_extra_args(false);
    app.add_option("--min-confidence", a.min_confidence, "Report only findings of rules at least this confident: low, medium or high");

    auto* scan = app.add_subcommand("scan", "Scan files and directories (default .); - reads standard input");
    scan->add_option("paths", a.paths, "Files or directories");
    scan->add_flag("--no-ignore", a.no_ignore, "Also scan what .gitignore ignores");
    auto* staged = app.add_subcommand("staged", "Scan what the next commit adds: staged blobs against HEAD (pre-commit)");
    staged->add_flag("--all-lines", a.all_lines, "Report whole staged files, not only added lines");
    auto* message = app.add_subcommand("message", "Scan a commit message file (commit-msg hook)");
    message->add_option("file", a.message_file, "The message file")->required();
    auto* history = app.add_subcommand("history", "Scan commits: every ref by default, or the given revision ranges");
    history->add_option("ranges", a.ranges, "Revision ranges (A..B, A...B, ^A, B)");
    auto* rules = app.add_subcommand("rules", "List, check or explain the rules");
    rules->require_subcommand(1);
    auto* rules_list_cmd = rules->add_subcommand("list", "List the loaded rules");
    auto* rules_check_cmd = rules->add_subcommand("check", "Run every rule's examples through the engine");
    rules_check_cmd->add_option("files", a.check_files, "Rule packs to check (default: every loaded rule)");
    auto* rules_explain_cmd = rules->add_subcommand("explain", "What a rule's secret is and what to do when it leaks");
    rules_explain_cmd->add_option("id", a.rule_id, "Rule id")->required();
    auto* install_cmd = app.add_subcommand("install", "Install the git hooks (pre-commit, commit-msg, prepare-commit-msg, pre-push)");
    install_cmd->add_flag("--force", a.force, "Move existing hooks aside (uninstall restores them) instead of chaining them");
    install_cmd->add_flag("--global", a.global, "Install for every repository of this user (global core.hooksPath)");
    install_cmd->add_option("--hooks", a.hooks_list, "Comma-separated hooks to install (default: all four)");
    auto* uninstall_cmd = app.add_subcommand("uninstall", "Remove the hooks install wrote and restore what it replaced");
    uninstall_cmd->add_flag("--global", a.global, "Remove the user-level hooks and the global core.hooksPath");
    uninstall_cmd->add_option("--hooks", a.hooks_list, "Comma-separated hooks to remove (default: all four)");
    auto* hook_cmd = app.add_subcommand("hook", "Run a hook's check (called by the installed hooks)");
    // Everything after `hook` belongs to git's hook interface (NAME SCOPE SHIM ARGS...), whatever
    // it looks like: keep it away from the option parser.
    std::vector<std::string> hook_args;
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (takes_value(word)) {
            ++i;
            continue;
        }
        if (!word.empty() && word[0] == '-') continue;
        if (word == "hook") {
            hook_args.assign(argv + i + 1, argv + argc);
            argc = i + 1;
        }
        break;
    }
    auto* baseline_cmd = app.add_subcommand("baseline", "Accept the findings already there");
    baseline_cmd->require_subcommand(1);
    auto* baseline_create_cmd = baseline_cmd->add_subcommand("create", "Record a scan's findings in a baseline file");
    baseline_create_cmd->add_option("file", a.baseline_file, "The baseline file (JSON Lines)")->required();
    baseline_create_cmd->add_option("scan", a.baseline_scan, "history [RANGE...] (default), scan [PATH...] or staged");
    auto* demo_cmd = app.add_subcommand("demo", "Create a repository with made-up credentials and scan its history");
    demo_cmd->add_option("dir", a.demo_dir, "Where to create it (default: a temporary folder, removed afterwards)");
    demo_cmd->add_flag("--keep", a.keep, "Keep the temporary repository");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::string what = e.what();
        // CLI11 calls an unknown command word "a subcommand is required" or an extra argument.
        for (int i = 1; i < argc; ++i) {
            const std::string word = argv[i];
            if (word.empty() || word[0] == '-') {
                if (takes_value(word)) ++i; // skip the option's value
                continue;
            }
            const auto subs = app.get_subcommands([&word](const CLI::App* sub) { return sub->get_name() == word; });
            if (subs.empty()) what = "unknown command '" + word + "'";
            break;
        }
        std::cerr << "secretscan: error: " << what << "\nRun 'secretscan --help' for usage.\n";
        return 2;
    }

    try {
        if (!a.directory.empty() && chdir(a.directory.c_str()) != 0)
            throw Error(ErrorKind::usage, "-C " + a.directory + ": " + std::strerror(errno));
        if (*rules_list_cmd) return rules_list(a);
        if (*rules_check_cmd) return rules_check(a);
        if (*rules_explain_cmd) return rules_explain(a);
        if (*demo_cmd) return demo(a);
        if (*baseline_create_cmd) return baseline_create(a);
        if (*install_cmd) return install(a, false);
        if (*uninstall_cmd) return install(a, true);
        if (*hook_cmd) {
            const std::vector<std::string>& rest = hook_args;
            if (rest.size() < 3) throw Error(ErrorKind::usage, "hook: expected NAME SCOPE SHIM-PATH [ARGS...] (the installed hooks pass them)");
            Plan plan = resolve(a, "hook");
            return run_hook(Scanner(*plan.matcher), plan.scan, [&plan](std::vector<Finding>& f) { plan.filter_findings(f); },
                            plan.report.redact, rest[0], rest[1], rest[2],
                            std::vector<std::string>(rest.begin() + 3, rest.end()));
        }
        if (*scan) {
            Plan plan = resolve(a, "scan");
            return finish(a, plan, scan_paths(Scanner(*plan.matcher), a.paths, plan.scan));
        }
        if (*staged) {
            Plan plan = resolve(a, "staged");
            StagedOptions o;
            o.scan = plan.scan;
            o.all_lines = a.all_lines;
            return finish(a, plan, scan_staged(Scanner(*plan.matcher), ".", o));
        }
        if (*message) {
            Plan plan = resolve(a, "message");
            return finish(a, plan, scan_message_file(Scanner(*plan.matcher), a.message_file, plan.scan));
        }
        if (*history) {
            Plan plan = resolve(a, "history");
            HistoryOptions o;
            o.scan = plan.scan;
            o.ranges = a.ranges;
            return finish(a, plan, scan_history(Scanner(*plan.matcher), ".", o));
        }
    } catch (const Error& e) {
        std::cerr << "secretscan: error: " << e.what() << '\n';
        return exit_code_for(e.kind());
    } catch (const std::exception& e) {
        std::cerr << "secretscan: internal error: " << e.what() << '\n';
        return 3;
    }
    return 2;
}

} // namespace secretscan::cli
