// The scan commands (scan, staged, message, history), the hook check, baselines and hook
// installation.

#include <secretscan/cache/scan_cache.hpp>
#include <secretscan/config/baseline.hpp>
#include <secretscan/error.hpp>
#include <secretscan/hooks/chained.hpp>
#include <secretscan/hooks/check.hpp>
#include <secretscan/hooks/install.hpp>
#include <secretscan/sources/files.hpp>
#include <secretscan/sources/history.hpp>
#include <secretscan/sources/message.hpp>
#include <secretscan/sources/staged.hpp>

#include "cli/cli.hpp"
#include "util/files.hpp"
#include "util/i18n.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <filesystem>
#include <future>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>

namespace secretscan::cli {

int scan_command(const Args& a)
{
    const Plan plan = resolve(a, "scan");
    FilesSource source(a.paths, !a.no_ignore);
    return report_scan(a, plan, source);
}

int staged_command(const Args& a)
{
    const Plan plan = resolve(a, "staged");
    StagedSource source(".", a.all_lines);
    return report_scan(a, plan, source);
}

int message_command(const Args& a)
{
    const Plan plan = resolve(a, "message");
    MessageFileSource source(a.message_file);
    return report_scan(a, plan, source);
}

namespace {

/// history --shard I/N into `o`; "" leaves o alone. Throws Error(usage) for anything else than
/// two whole numbers with I < N.
void parse_shard(const std::string& text, HistoryOptions& o)
{
    if (text.empty()) return;
    const std::size_t slash = text.find('/');
    const auto number = [](const std::string& s) {
        return !s.empty() && s.size() <= 6 && s.find_first_not_of("0123456789") == std::string::npos ? std::stoul(s) : ULONG_MAX;
    };
    const unsigned long i = slash == std::string::npos ? ULONG_MAX : number(text.substr(0, slash));
    const unsigned long n = slash == std::string::npos ? ULONG_MAX : number(text.substr(slash + 1));
    if (i == ULONG_MAX || n == ULONG_MAX || n == 0 || i >= n) {
        const unsigned long shown = n == ULONG_MAX || n < 2 || n > 6 ? 4 : n; // the user's N where it reads well
        std::string list;
        for (unsigned long k = 0; k < shown; ++k)
            list += (k == 0 ? "" : k + 1 == shown ? " and " : ", ") + std::to_string(k) + "/" + std::to_string(shown);
        throw Error(ErrorKind::usage, "history --shard " + text + ": expected I/N with I below N, shards counted from 0 (" + list +
                                          " are the shards of " + std::to_string(shown) + ")");
    }
    o.shard_index = static_cast<unsigned>(i);
    o.shard_count = static_cast<unsigned>(n);
}

/// A digest of what decides the findings of each rule: shards scanned with other rules cannot be merged.
std::string rules_digest(const std::vector<Rule>& rules)
{
    std::string all;
    for (const Rule& r : rules) {
        all += r.id + '\0' + r.regex + '\0' + r.detector + '\0' + r.extract + '\0' + r.path_regex + '\0' + r.validate + '\0';
        for (const std::string& p : r.paths) all += p + '\0';
        all += '\n';
    }
    return fingerprint("rules", all);
}

/// A report file's contents; Error(usage) when it cannot be read.
std::string read_report(const std::string& name)
{
    std::ifstream in(name, std::ios::binary);
    if (!in) throw Error(ErrorKind::usage, "report merge: " + name + ": cannot read it: " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The scanned-blob cache of a history scan (null with --no-cache): --cache DIR, else
/// default_cache_dir(). Its warnings go into the scan's summary (run_scan).
std::unique_ptr<ScanCache> history_cache(const Args& a, const Plan& plan)
{
    if (a.no_cache) return nullptr;
    const std::string dir = a.cache_dir.empty() ? default_cache_dir() : a.cache_dir;
    const auto warn = [](const std::string& w) { std::cerr << "secretscan: " << tr("warning: ") << printable(w) << '\n'; };
    if (dir.empty()) {
        warn("neither XDG_CACHE_HOME nor HOME is set: scanning without the cache (--cache DIR names its folder)");
        return nullptr;
    }
    const std::string policy = "min-confidence " + (a.min_confidence.empty() ? std::string("low") : a.min_confidence);
    const std::string scope = scan_fingerprint(plan.matcher->rules(), plan.redact_only ? &plan.redact_only->rules() : nullptr, policy,
                                               plan.scan.max_file_size);
    return std::make_unique<ScanCache>(dir, scope);
}

} // namespace

int history_command(const Args& a)
{
    Plan plan = resolve(a, "history");
    const std::unique_ptr<ScanCache> cache = history_cache(a, plan);
    plan.scan.cache = cache.get();
    HistoryOptions options{a.ranges, true, std::nullopt, std::nullopt};
    options.all_objects = a.all_objects;
    if (a.all_objects && (!a.ranges.empty() || !a.log_opts.empty()))
        throw Error(ErrorKind::usage, "history --all-objects scans every object: give no revision range or --log-opts with it");
    if (!a.log_opts.empty()) {
        const HistoryOptions extra = parse_log_opts(a.log_opts, static_cast<std::int64_t>(std::time(nullptr)));
        options.ranges.insert(options.ranges.end(), extra.ranges.begin(), extra.ranges.end());
        options.since = extra.since;
        options.until = extra.until;
    }
    parse_shard(a.shard, options);
    if (!a.shard.empty() && plan.report.format != "jsonl" && plan.report.format != "json" && plan.report.format != "sarif")
        throw Error(ErrorKind::usage, "history --shard: give --format jsonl, json or sarif (the formats report merge combines)");
    HistorySource source(".", options);
    if (!a.shard.empty()) { // even 0/1: its report is a shard's, for report merge
        plan.report.shard = std::make_shared<ShardRecord>(
            ShardRecord{options.shard_index, options.shard_count, rules_digest(plan.matcher->rules()),
                        fingerprint("options", plan.finding_options), [&source] { return source.walk_digest(); }});
    }
    return report_scan(a, plan, source);
}

int report_merge(const Args& a)
{
    std::vector<std::pair<std::string, std::string>> shards;
    for (const std::string& name : a.merge_files) shards.emplace_back(name, read_report(name));
    const MergedReport merged = merge_shard_reports(shards);
    if (a.format != "text" && parse_format(a.format) != merged.format)
        throw Error(ErrorKind::usage, "report merge: --format " + a.format + ", but the shards' reports are " + merged.format +
                                          " (the merged report has their format)");
    if (a.output.empty()) {
        std::cout << merged.text << std::flush;
    } else {
        OutputFile out(a.output, "--output");
        out.stream() << merged.text;
        out.commit();
    }
    if (!a.quiet)
        std::cerr << "secretscan report merge: "
                  << format(trn("{0} finding", "{0} findings", merged.findings), {std::to_string(merged.findings)})
                  << '\n';
    return merged.findings && !a.exit_zero ? a.exit_code : 0;
}

int hook_command(const Args& a)
{
    const std::vector<std::string>& rest = a.hook_args;
    if (rest.size() < 3) throw Error(ErrorKind::usage, "hook: expected NAME SCOPE SHIM-PATH [ARGS...] (the installed hooks pass them)");
    // pre-commit with no hook chained before it (one could change the index): the staged
    // changes are read while another thread sets up the rules, each on a core (some 3 ms each).
    std::unique_ptr<StagedSource> staged;
    std::future<Plan> planned;
    auto nothing_chained = [&rest] {
        try {
            return chained_hook(rest[0], rest[1], rest[2], ".").empty();
        } catch (const std::exception&) {
            return false; // run_hook finds out again, and says so
        }
    };
    if (rest[0] == "pre-commit" && nothing_chained()) {
        planned = std::async(std::launch::async, [&a] { return resolve(a, "hook"); });
        staged = std::make_unique<StagedSource>(".");
        try {
            staged->prepare();
        } catch (const std::exception&) {
            staged.reset(); // the check reads them again, and fails closed with the reason
        }
    }
    std::optional<Plan> plan;
    try {
        plan.emplace(planned.valid() ? planned.get() : resolve(a, "hook")); // a bad configuration must still say how to go on
    } catch (const Error& e) {
        return hook_failed_closed(std::cerr, rest[0], e);
    }
    HookContext ctx{*plan->scanner, plan->scan, plan->report.redact, std::cin, std::cerr};
    ctx.staged = staged.get();
    if (!plan->baselines.empty()) { // the advice adds to it, named as the user wrote it down
        const std::filesystem::path rel = std::filesystem::path(plan->baselines.front()).lexically_relative(std::filesystem::current_path());
        ctx.baseline = !rel.empty() && *rel.begin() != ".." ? rel.string() : plan->baselines.front();
    }
    const int rc = run_hook(ctx, rest[0], rest[1], rest[2], std::vector<std::string>(rest.begin() + 3, rest.end()));
    // All that is left is freeing memory (the rules' automata, libgit2's maps of the packs): a
    // hook exits now instead, as git's own commands do, which saves ~0.7 ms of every commit.
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    std::_Exit(rc);
}

/// `baseline create FILE [history RANGE... | scan PATH... | staged]`: records the findings of
/// a scan (default: the history of every ref), keeping the reasons and expiry dates of an
/// existing FILE's entries.
int baseline_create(const Args& a)
{
    const std::string kind = a.baseline_scan.empty() ? "history" : a.baseline_scan.front();
    const std::vector<std::string> rest(a.baseline_scan.empty() ? a.baseline_scan.begin() : a.baseline_scan.begin() + 1, a.baseline_scan.end());
    std::unique_ptr<Source> source;
    if (kind == "history") source = std::make_unique<HistorySource>(".", HistoryOptions{rest, true, std::nullopt, std::nullopt});
    else if (kind == "scan") source = std::make_unique<FilesSource>(rest, !a.no_ignore);
    else if (kind == "staged") source = std::make_unique<StagedSource>(".");
    else throw Error(ErrorKind::usage, "baseline create FILE " + kind + ": expected history [RANGE...], scan [PATH...] or staged");
    const Plan plan = resolve(a, "baseline create", Context::no_baselines);
    CollectingSink found;
    run_scan(*source, *plan.scanner, plan.scan, found);
    std::vector<BaselineEntry> previous;
    std::error_code ec;
    if (std::filesystem::exists(a.baseline_file, ec)) previous = load_baseline(a.baseline_file);
    const auto entries = make_baseline(found.findings(), previous);
    std::set<std::string> seen;
    for (const Finding& f : found.findings()) seen.insert(f.fingerprint);
    const auto kept = std::count_if(previous.begin(), previous.end(), [&seen](const BaselineEntry& e) { return !seen.count(e.fingerprint); });
    // The folder a configuration names for it (`baseline: team/accepted.jsonl`) may not exist yet.
    if (const auto parent = std::filesystem::path(a.baseline_file).parent_path(); !parent.empty() && !std::filesystem::exists(parent, ec))
        if (std::filesystem::create_directories(parent, ec); ec)
            throw Error(ErrorKind::runtime, "baseline " + a.baseline_file + ": cannot create its folder: " + ec.message());
    OutputFile out(a.baseline_file, "baseline");
    out.stream() << baseline_text(entries);
    out.commit();
    if (!a.quiet)
        std::cout << "secretscan: "
                  << format(trn("wrote {0} entry to {1} (findings of {3}: {2}); give each a reason, and optionally an expires date (YYYY-MM-DD)",
                                "wrote {0} entries to {1} (findings of {3}: {2}); give each a reason, and optionally an expires date (YYYY-MM-DD)",
                                entries.size()),
                            {std::to_string(entries.size()), a.baseline_file, std::to_string(found.findings().size()), kind})
                  << '\n';
    if (kept > 0 && !a.quiet)
        std::cout << "secretscan: "
                  << format(trn("kept {0} earlier entry that this scan did not find (delete it by hand when it is no longer needed)",
                                "kept {0} earlier entries that this scan did not find (delete them by hand when they are no longer needed)",
                                static_cast<std::size_t>(kept)),
                            {std::to_string(kept)})
                  << '\n';
    return 0;
}

namespace {

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

} // namespace

int install_command(const Args& a)
{
    return install(a, false);
}

int uninstall_command(const Args& a)
{
    return install(a, true);
}

} // namespace secretscan::cli
