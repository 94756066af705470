// Stage 1 of the command line: the options and command words, parsed by CLI11 into Args, and
// the table that maps each command to its function.

#include <secretscan/compat/git_secrets/cli.hpp>
#include <secretscan/error.hpp>
#include <secretscan/report/report.hpp>

#include "cli/cli.hpp"
#include "cli/docgen.hpp"
#include "util/i18n.hpp"
#include "util/strings.hpp"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace secretscan::cli {

namespace {

using Handler = int (*)(const Args&);

/// The options every command takes, placed before or after the command word.
void add_global_options(CLI::App& app, Args& a)
{
    app.add_option("-C", a.directory, "Run as if started in DIR (like git -C)")->type_name("DIR");
    std::string formats;
    for (std::string_view f : report_formats()) formats += (formats.empty() ? "" : ", ") + std::string(f);
    app.add_option("--format", a.format, "Report format: " + formats)->capture_default_str()->type_name("FORMAT");
    app.add_option("-o,--output", a.output, "Write the report to FILE (a regular file is replaced atomically, mode 0600; "
                                            "a device, FIFO or link is written into) instead of standard output")->type_name("FILE");
    app.add_flag("--no-color", a.no_color, "No colours in text output (also: the NO_COLOR environment variable)");
    app.add_flag("--no-redact", a.no_redact, "Show secrets in full (default: first 4 characters and …)");
    // A string: CLI11 2.1 gives an int flag 0 when absent and -1 for "=0"; a bare flag is "true".
    app.add_flag("--redact", a.redact,
                 "Hide N percent of each secret with --redact=N (0-100), all of it with --redact alone, as gitleaks' --redact "
                 "(without it, secrets show their first 4 characters)")
        ->transform(CLI::Validator(
            [](std::string& text) -> std::string {
                if (text == "true") text = "100";
                const bool number = !text.empty() && text.size() <= 3 && text.find_first_not_of("0123456789") == std::string::npos;
                return number && std::stoi(text) <= 100 ? "" : "'" + text + "' is not a percentage: give a whole number from 0 to 100";
            },
            ""))
        ->excludes("--no-redact");
    // Repeatable options take one value each time: `scan --rules p.yaml src` scans src.
    app.add_option("--rules", a.rule_packs, "Extra rule pack (YAML file or directory of them); repeatable")->allow_extra_args(false)->type_name("PATH");
    app.add_flag("--no-builtin", a.no_builtin, "Use only the packs given with --rules");
    app.add_option("--disable-rule", a.disabled, "Do not use the rule with this id; repeatable")->allow_extra_args(false)->type_name("ID");
    app.add_option("--max-file-size", a.max_file_size,
                   "Skip files and blobs larger than this (bytes, or with K, M, G: KiB, MiB, GiB; default: max_file_size in the configuration, else 100M)")
        ->transform(CLI::Validator(
            [](std::string& text) -> std::string {
                std::uint64_t bytes = 0;
                if (!parse_size(text, bytes)) return "'" + text + "' is not a size: give bytes, or a number with K, M or G (10M)";
                text = std::to_string(bytes);
                return {};
            },
            ""))
        ->type_name("BYTES");
    app.add_option("--threads", a.threads, "Worker threads (0 = one per core; at most 4 per core and 256)")->capture_default_str()->type_name("N");
    app.add_flag("-q,--quiet", a.quiet, "No summary line");
    app.add_flag("-v,--verbose", a.verbose, "Name every skipped file or blob, the scan's phase timings and what the filter chain dropped, on stderr");
    app.add_flag("--exit-zero", a.exit_zero, "Exit 0 even when there are findings (report only)");
    app.add_option("--exit-code", a.exit_code, "The exit code when there are findings (default 1; as gitleaks' --exit-code)")
        ->check(CLI::Range(0, 125))
        ->type_name("N");
    app.add_flag("--explain-drops", a.explain_drops,
                 "Say on stderr where each match the filter chain dropped is, its rule, the step that dropped it and why "
                 "(why a secret was not reported)");
    app.add_option("--config", a.config_file, "Configuration file, read after ~/.config/secretscan/config.yaml and .secretscan.yaml")->type_name("FILE");
    app.add_option("--baseline", a.baselines, "Baseline file (JSON Lines): its findings are not reported; repeatable")->allow_extra_args(false)->type_name("FILE");
    app.add_option("--min-confidence", a.min_confidence, "Report only findings of rules at least this confident: low, medium or high")->type_name("LEVEL");
}

/// Declares the commands; returns each command's CLI11 object with its function.
CLI::App* add_history(CLI::App& app, Args& a)
{
    auto* history = app.add_subcommand("history", "Scan commits: every ref by default, or the given revision ranges");
    history->add_option("ranges", a.ranges, "Revision ranges (A..B, A...B, ^A, B)");
    history->add_flag("--all-objects", a.all_objects,
                      "Also every commit and blob in the object database that no ref reaches (dropped stashes, amended or "
                      "force-pushed commits, refs/pull/* objects of a mirror): blobs no commit names are reported as "
                      "(unreachable)/BLOB-ID");
    history->add_option("--log-opts", a.log_opts,
                        "git log options, as gitleaks' --log-opts: ranges, --all, --branches, --tags, --remotes, --since, --until "
                        "(others are an error)")
        ->type_name("OPTS");
    history->add_option("--shard", a.shard,
                        "Scan and report only shard I of N (0 <= I < N): run N processes, one per shard, each with "
                        "--format jsonl, json or sarif, and combine their reports with `report merge` (docs/scale.md)")
        ->type_name("I/N");
    auto* cache = history->add_option("--cache", a.cache_dir,
                                      "Folder of the scanned-blob cache (default $XDG_CACHE_HOME/secretscan, else ~/.cache/secretscan): "
                                      "a blob scanned before with the same rules is not scanned again")
                      ->type_name("DIR");
    history->add_flag("--no-cache", a.no_cache, "Neither read nor write the scanned-blob cache")->excludes(cache);
    return history;
}

/// `report merge FILE...`.
void add_report(CLI::App& app, Args& a, std::vector<std::pair<CLI::App*, Handler>>& table)
{
    auto* report = app.add_subcommand("report", "Work with reports");
    report->require_subcommand(1);
    auto* merge = report->add_subcommand("merge", "Combine the reports of every history --shard I/N process into the report one "
                                                  "process would have written (in their format; -o FILE writes it to FILE)");
    merge->add_option("files", a.merge_files, "The shards' reports (jsonl, json or sarif), one per shard, in any order");
    table.emplace_back(merge, report_merge);
}

std::vector<std::pair<CLI::App*, Handler>> add_commands(CLI::App& app, Args& a)
{
    std::vector<std::pair<CLI::App*, Handler>> table;
    auto* scan = app.add_subcommand("scan", "Scan files and directories (default .); - reads standard input");
    scan->add_option("paths", a.paths, "Files or directories");
    scan->add_flag("--no-ignore", a.no_ignore, "Also scan what .gitignore ignores");
    table.emplace_back(scan, scan_command);
    auto* staged = app.add_subcommand("staged", "Scan what the next commit adds: staged blobs against HEAD (pre-commit)");
    staged->add_flag("--all-lines", a.all_lines, "Report whole staged files, not only added lines");
    table.emplace_back(staged, staged_command);
    auto* message = app.add_subcommand("message", "Scan a commit message file (commit-msg hook)");
    message->add_option("file", a.message_file, "The message file")->required();
    table.emplace_back(message, message_command);
    auto* history = add_history(app, a);
    table.emplace_back(history, history_command);
    // The options every command takes are declared on the top level, so a command's own --help
    // would not show them: say where they are.
    for (CLI::App* command : {scan, staged, message, history})
        command->footer("Every scan also takes the options `secretscan --help` lists (--format, -o, --redact, --rules, "
                        "--baseline, --min-confidence, --exit-code, ...), before or after the command.");
    auto* rules = app.add_subcommand("rules", "List, check or explain the rules");
    rules->require_subcommand(1);
    table.emplace_back(rules->add_subcommand("list", "List the loaded rules"), rules_list);
    auto* check = rules->add_subcommand("check", "Run every rule's examples through the engine");
    check->add_option("files", a.check_files, "Rule packs to check (default: every loaded rule)");
    table.emplace_back(check, rules_check);
    auto* explain = rules->add_subcommand("explain", "What a rule's secret is and what to do when it leaks");
    explain->add_option("id", a.rule_id, "Rule id")->required();
    table.emplace_back(explain, rules_explain);
    auto* install = app.add_subcommand("install", "Install the git hooks (pre-commit, commit-msg, prepare-commit-msg, pre-push)");
    install->add_flag("--force", a.force, "Move existing hooks aside (uninstall restores them) instead of chaining them");
    install->add_flag("--global", a.global, "Install for every repository of this user (global core.hooksPath)");
    install->add_option("--hooks", a.hooks_list, "Comma-separated hooks to install (default: all four)")->type_name("LIST");
    table.emplace_back(install, install_command);
    auto* uninstall = app.add_subcommand("uninstall", "Remove the hooks install wrote and restore what it replaced");
    uninstall->add_flag("--global", a.global, "Remove the user-level hooks and the global core.hooksPath");
    uninstall->add_option("--hooks", a.hooks_list, "Comma-separated hooks to remove (default: all four)")->type_name("LIST");
    table.emplace_back(uninstall, uninstall_command);
    // Hidden (CLI11's empty group): only the installed hooks call it; not in the man page or completions.
    table.emplace_back(app.add_subcommand("hook", "Run a hook's check (called by the installed hooks)")->group(""), hook_command);
    auto* baseline = app.add_subcommand("baseline", "Accept the findings already there");
    baseline->require_subcommand(1);
    auto* create = baseline->add_subcommand("create", "Record a scan's findings in a baseline file");
    create->add_option("file", a.baseline_file, "The baseline file (JSON Lines)")->required();
    create->add_option("scan", a.baseline_scan, "history [RANGE...] (default), scan [PATH...] or staged");
    table.emplace_back(create, baseline_create);
    auto* demo_cmd = app.add_subcommand("demo", "Create a repository with made-up credentials and scan its history");
    demo_cmd->add_option("dir", a.demo_dir, "Where to create it (default: a temporary folder, removed afterwards)");
    demo_cmd->add_flag("--keep", a.keep, "Keep the temporary repository");
    table.emplace_back(demo_cmd, demo);
    add_report(app, a, table);
    return table;
}

/// The option of `app` that `name` ("--name", "-x") names, or null (read from the
/// declarations, so the word scans below never drift from them).
const CLI::Option* option_named(const CLI::App& app, const std::string& name)
{
    for (const CLI::Option* o : app.get_options()) {
        for (const auto& n : o->get_lnames())
            if (name == "--" + n) return o;
        for (const auto& n : o->get_snames())
            if (name == "-" + n) return o;
    }
    return nullptr;
}

/// Whether `word` is an option of `app` that takes the next word as its value.
bool takes_value(const CLI::App& app, const std::string& word)
{
    const CLI::Option* o = option_named(app, word);
    return o && o->get_items_expected_min() > 0; // not a flag
}

/// Whether `word` ("--name", "--name=value", "-x") names an option of `app`.
bool known_option(const CLI::App& app, const std::string& word)
{
    const std::string name = word.substr(0, word.find('='));
    return option_named(app, name) || name == "--help" || name == "-h";
}

/// The index of the first command word in argv (skipping options and their values), or argc.
int command_word(const CLI::App& app, int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string word = argv[i];
        if (takes_value(app, word)) ++i;
        else if (word.empty() || word[0] != '-') return i;
    }
    return argc;
}

/// The commands that take option `word` ("--name" or "--name=value"), comma-separated; "" for none.
std::string commands_taking(const CLI::App& app, const std::string& word)
{
    const std::string name = word.substr(0, word.find('='));
    std::string out;
    for (const CLI::App* sub : app.get_subcommands({}))
        if (sub->get_option_no_throw(name)) out += (out.empty() ? "" : ", ") + sub->get_name();
    return out;
}

/// The error for a failed parse: CLI11 calls an unknown command word "a subcommand is required"
/// or an extra argument; name it, or the unknown option before it (whose value CLI11 would
/// otherwise take for the command: `--formatt sarif history`).
std::string parse_error(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv)
{
    const int i = command_word(app, argc, argv);
    for (int k = 1; k < i; ++k) {
        const std::string w = argv[k];
        if (w.size() < 2 || w[0] != '-' || known_option(app, w) || (k > 1 && takes_value(app, argv[k - 1]))) continue;
        const std::string owners = commands_taking(app, w); // `--no-cache history`: an option of history's alone
        return owners.empty() ? format(tr("unknown option '{0}'"), {w})
                              : format(tr("'{0}' is an option of {1}: put it after the command"), {w, owners});
    }
    if (i >= argc) return e.what();
    const std::string word = argv[i];
    const auto named = app.get_subcommands([&word](const CLI::App* sub) { return sub->get_name() == word; });
    if (named.empty()) return format(tr("unknown command '{0}'"), {word});
    // A command with commands of its own (rules, baseline): name a wrong second word.
    const CLI::App* command = named.front();
    if (command->get_subcommands({}).empty()) return e.what();
    std::string known;
    for (const CLI::App* sub : command->get_subcommands({})) known += (known.empty() ? "" : ", ") + sub->get_name();
    int next = i + 1;
    while (next < argc && argv[next][0] == '-') next += takes_value(app, argv[next]) ? 2 : 1;
    if (next >= argc) return format(tr("{0} needs a command: {1}"), {word, known});
    const std::string second = argv[next];
    if (!command->get_subcommands([&second](const CLI::App* sub) { return sub->get_name() == second; }).empty()) return e.what();
    return format(tr("unknown command '{0} {1}' ({0} takes {2})"), {word, second, known});
}

/// The commands that print documentation written from this definition (docgen.hpp).
struct DocCommands {
    CLI::App* completion;
    CLI::App* manpage;
};

DocCommands add_doc_commands(CLI::App& app, Args& a)
{
    auto* completion = app.add_subcommand("completion", "Print the completion script for bash, zsh or fish "
                                                        "(e.g. source <(secretscan completion bash))");
    completion->add_option("shell", a.shell, "bash, zsh or fish")->required();
    // Hidden: the build writes the man page's COMMANDS and OPTIONS sections with it.
    auto* manpage = app.add_subcommand("manpage", "Print the man page's generated sections (roff)")->group("");
    return {completion, manpage};
}

int dispatch(const Args& a, const std::vector<std::pair<CLI::App*, Handler>>& table, const CLI::App& app, DocCommands docs)
{
    if (*docs.completion) {
        std::cout << completion_script(app, a.shell);
        return 0;
    }
    if (*docs.manpage) {
        std::cout << man_sections(app);
        return 0;
    }
    if (!a.directory.empty() && chdir(a.directory.c_str()) != 0)
        throw Error(ErrorKind::usage, "-C " + a.directory + ": " + std::strerror(errno));
    for (const auto& [command, handler] : table)
        if (*command) return handler(a);
    return 2;
}

} // namespace

int run(int argc, char** argv)
{
    // Installed as `git-secrets` (a link), the binary is the git-secrets drop-in.
    if (argc > 0 && std::filesystem::path(argv[0]).filename() == "git-secrets") return git_secrets::run(argc, argv);
    Args a;
    CLI::App app{"secretscan: a fast secret scanner for git repositories, commits and files", "secretscan"};
    app.set_version_flag("--version", std::string("secretscan ") + SECRETSCAN_VERSION);
    app.require_subcommand(1);
    app.fallthrough();
    add_global_options(app, a);
    const auto table = add_commands(app, a);
    const DocCommands docs = add_doc_commands(app, a);
    // Everything after `hook` belongs to git's hook interface (NAME SCOPE SHIM ARGS...), whatever
    // it looks like: keep it away from the option parser.
    if (const int i = command_word(app, argc, argv); i < argc && std::string(argv[i]) == "hook") {
        a.hook_args.assign(argv + i + 1, argv + argc);
        argc = i + 1;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        // The words come from the command line, where a glob can put any file name.
        std::cerr << "secretscan: " << tr("error: ") << printable(parse_error(app, e, argc, argv)) << '\n'
                  << tr("Run 'secretscan --help' for usage.") << '\n';
        return 2;
    }
    try {
        return dispatch(a, table, app, docs);
    } catch (const Error& e) {
        std::cerr << "secretscan: " << tr("error: ") << e.what() << '\n'; // control bytes escaped by Error
        return exit_code_for(e.kind());
    } catch (const std::exception& e) {
        std::cerr << "secretscan: " << tr("internal error: ") << printable(e.what(), "\n\t") << '\n';
        return 3;
    }
}

} // namespace secretscan::cli
