// Stage 2 of the command line: Args resolved into the engine a command runs, and the report.

#include <secretscan/compat/git_secrets/config.hpp>
#include <secretscan/config/baseline.hpp>
#include <secretscan/config/config.hpp>
#include <secretscan/error.hpp>
#include <secretscan/rules/selection.hpp>

#include "cli/cli.hpp"
#include "util/files.hpp"
#include "util/i18n.hpp"
#include "util/parallel.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <unistd.h>

namespace fs = std::filesystem;

namespace secretscan::cli {

namespace {

/// The packs, built-in and extra, minus what the command line and the configuration disable;
/// the built-in rules' examples only when `examples` (rules check).
std::vector<Rule> select_rules(const Args& a, const Config& cfg, ForeignRules& foreign, bool examples)
{
    RuleSelection sel;
    sel.examples = examples;
    sel.builtin = !a.no_builtin;
    sel.disabled = a.disabled;
    // Packs named in configuration files must exist (the error points at where they are named);
    // a pack named twice (config and --rules) is loaded once.
    std::set<std::string> seen;
    std::error_code ec;
    auto add_pack = [&](const std::string& pack) {
        const std::string key = fs::weakly_canonical(pack, ec).string();
        if (seen.insert(key.empty() ? pack : key).second) sel.extra_packs.push_back(pack);
    };
    for (const auto& pack : cfg.rule_packs) {
        if (!fs::exists(pack, ec)) throw Error(ErrorKind::config, cfg.origin.at(pack) + ": rules: " + pack + ": no such rule pack");
        if (cfg.inside.count(pack)) sel.pack_roots[pack] = cfg.inside.at(pack);
        add_pack(pack);
    }
    for (const auto& pack : a.rule_packs) add_pack(pack);
    std::vector<Rule> rules = load_rules(sel, &foreign);
    for (const std::string& note : foreign.notes) std::cerr << "secretscan: " << printable(note) << '\n';
    // Rules disabled in configuration files: an unknown id is an error at the place it is named.
    for (const auto& id : cfg.disabled) {
        const auto it = std::find_if(rules.begin(), rules.end(), [&id](const Rule& r) { return r.id == id; });
        if (it == rules.end())
            throw Error(ErrorKind::config, cfg.origin.at(id) + ": disable: " + id + ": no loaded rule has this id (see 'secretscan rules list')");
        rules.erase(it);
    }
    return rules;
}

/// The baselines of the configuration (one not created yet is only a warning) and the command
/// line (which must exist).
std::vector<BaselineEntry> load_baselines(const Args& a, const Config& cfg)
{
    std::vector<BaselineEntry> all;
    std::error_code ec;
    // A commit runs three hooks: only pre-commit (and pre-push) repeat the warning.
    const bool quiet_hook = !a.hook_args.empty() && a.hook_args[0] != "pre-commit" && a.hook_args[0] != "pre-push";
    for (const auto& file : cfg.baselines) {
        if (!fs::exists(file, ec)) {
            if (quiet_hook) continue;
            std::cerr << "secretscan: " << tr("warning: ") << printable(cfg.origin.at(file) + ": baseline " + file + " does not exist (create it: secretscan baseline create " + file + ")")
                      << '\n';
            continue;
        }
        for (auto& e : load_baseline(file, cfg.inside.count(file) ? cfg.inside.at(file) : "")) all.push_back(std::move(e));
    }
    for (const auto& file : a.baselines)
        for (auto& e : load_baseline(file)) all.push_back(std::move(e));
    return all;
}

Confidence min_confidence(const std::string& given)
{
    if (given.empty() || given == "low") return Confidence::low;
    if (given == "medium") return Confidence::medium;
    if (given == "high") return Confidence::high;
    throw Error(ErrorKind::usage, "--min-confidence " + given + ": expected low, medium or high");
}

ReportOptions report_options(const Args& a, const std::string& command)
{
    ReportOptions r;
    r.format = parse_format(a.format);
    const char* no_color = std::getenv("NO_COLOR");
    r.color = r.format == "text" && a.output.empty() && !a.no_color && !(no_color && *no_color) && isatty(STDOUT_FILENO);
    r.redact_percent = a.redact.empty() ? -1 : std::stoi(a.redact);
    r.redact = !a.no_redact && r.redact_percent != 0;
    r.quiet = a.quiet;
    r.command = command;
    r.category = command == "history" && (!a.ranges.empty() || !a.log_opts.empty()) ? "history-range" : command;
    return r;
}

/// "1 m 05 s", "42 s".
std::string duration_text(double seconds)
{
    const auto s = static_cast<long long>(seconds + 0.5);
    if (s < 60) return std::to_string(s) + " s";
    const long long rest = s % 60;
    return std::to_string(s / 60) + " m " + (rest < 10 ? "0" : "") + std::to_string(rest) + " s";
}

/// One progress line on stderr, written over the previous one; "done" clears it.
void draw_progress(const Progress& p)
{
    std::string line = "\r";
    if (p.phase == "listing") {
        line += "secretscan: " + format(tr("finding the {0} to scan..."), {std::string(p.unit)});
    } else if (p.phase == "scanning") {
        const double share = p.total ? static_cast<double>(p.done) / static_cast<double>(p.total) : 1.0;
        line += "secretscan: " + format(tr("{0}/{1} {2} ({3}%), {4}"), {std::to_string(p.done), std::to_string(p.total), std::string(p.unit),
                                                                     std::to_string(static_cast<int>(share * 100)), human_bytes(p.bytes)});
        if (p.seconds >= 0.5) {
            line += ", " + human_bytes(static_cast<std::uint64_t>(static_cast<double>(p.bytes) / p.seconds)) + "/s";
            if (p.done > 0 && p.done < p.total) line += ", " + format(tr("{0} left"), {duration_text(p.seconds * (1.0 - share) / share)});
        }
    }
    line += "\033[K"; // erase what a longer previous line left
    std::cerr << line << std::flush;
}

/// Progress is for a person watching a terminal: on when stderr is one, off with -q, and off
/// when findings stream to the same terminal (jsonl on stdout), where the lines would mix.
bool wants_progress(const Args& a, const Plan& plan)
{
    if (a.quiet || !isatty(STDERR_FILENO)) return false;
    const char* term = std::getenv("TERM");
    if (term && std::string_view(term) == "dumb") return false;
    return !(plan.report.format == "jsonl" && a.output.empty() && isatty(STDOUT_FILENO));
}

std::string drops_note(const DropCounts& dropped)
{
    std::string note;
    std::uint64_t total = 0;
    for (std::size_t k = 0; k < dropped.size(); ++k) {
        if (!dropped[k]) continue;
        total += dropped[k];
        note += (note.empty() ? "" : ", ") + std::string(to_string(static_cast<FilterStep>(k))) + " " + std::to_string(dropped[k]);
    }
    return format(trn("the filter chain dropped {0} match", "the filter chain dropped {0} matches", total), {std::to_string(total)}) +
           (note.empty() ? "" : ": " + note);
}

/// --threads as run_scan gets it: more than max_worker_threads() is that many, with a warning.
unsigned worker_threads(unsigned asked)
{
    const unsigned most = max_worker_threads();
    if (asked <= most) return asked;
    std::cerr << "secretscan: " << tr("warning: ")
              << format(tr("--threads {0} is more than the {1} worker threads a scan runs at most (4 per core, at most 256); using {1}"),
                        {std::to_string(asked), std::to_string(most)})
              << '\n';
    return most;
}

/// The built-in rules `rules` leaves out (disabled, or --no-builtin): their matches are still
/// redacted from reported lines. Null when every built-in rule is in use.
std::unique_ptr<Matcher> redact_only_matcher(const std::vector<Rule>& rules)
{
    std::set<std::string> used;
    for (const Rule& r : rules) used.insert(r.id);
    RuleSelection all;
    all.examples = false;
    std::vector<Rule> off = load_rules(all);
    std::erase_if(off, [&used](const Rule& r) { return used.count(r.id) != 0; });
    if (off.empty()) return nullptr;
    return std::make_unique<Matcher>(std::move(off));
}

/// Without -v: what was passed over, by kind ("2 binary, 1 a symbolic link"), so that a skip
/// is never only a number in the summary. Inputs that could not be read are named by exit_code.
void skipped_note(const ScanSummary& s)
{
    std::map<std::string, std::uint64_t> kinds;
    for (const Skipped& k : s.stats.skipped)
        if (!k.failed) {
            std::string kind = k.reason.substr(0, std::min(k.reason.find(" ("), k.reason.find(',')));
            for (const char* article : {"a ", "an "})
                if (kind.starts_with(article)) kind.erase(0, std::string(article).size());
            ++kinds[kind];
        }
    if (kinds.empty()) return;
    std::string list;
    for (const auto& [kind, n] : kinds) list += (list.empty() ? "" : ", ") + std::to_string(n) + " " + kind;
    std::cerr << "secretscan: " << format(tr("skipped {0} (-v names each)"), {printable(list)}) << '\n';
}

/// --exit-code (1) with findings, 0 without (0 also with --exit-zero); 3 when an input could not be read,
/// whatever else is set: an incomplete scan is never a clean one. Says why on stderr.
int exit_code(const Args& a, const ScanSummary& s)
{
    const auto failed = std::count_if(s.stats.skipped.begin(), s.stats.skipped.end(), [](const Skipped& k) { return k.failed; });
    if (failed == 0) return s.findings && !a.exit_zero ? a.exit_code : 0;
    if (!a.verbose) // -v has listed every skipped input already
        for (const auto& k : s.stats.skipped)
            if (k.failed) std::cerr << "secretscan: " << format(tr("skipped {0}: {1}"), {printable(k.name), printable(k.reason)}) << '\n';
    std::cerr << "secretscan: " << tr("error: ")
              << format(trn("{0} input could not be read, so the scan is incomplete (exit code 3)",
                            "{0} inputs could not be read, so the scan is incomplete (exit code 3)", static_cast<std::uint64_t>(failed)),
                        {std::to_string(failed)})
              << '\n';
    return 3;
}

/// Appends each of `items` to `out`, NUL-terminated, after `label` and their count.
void add_list(std::string& out, const char* label, const std::vector<std::string>& items)
{
    out += std::string(label) + ' ' + std::to_string(items.size()) + '\n';
    for (const std::string& i : items) out += i + '\0';
}

/// A text naming everything besides the rules that decides which findings a scan reports: the
/// policy's allowlists, baseline entries (and the day, when an entry expires), minimum
/// confidence and the other allow checks' inputs (gitleaks allowlists and .gitleaksignore,
/// git-secrets' allowed patterns), and --max-file-size. Shards whose texts differ are not merged.
std::string finding_options(const FindingPolicy& policy, const ForeignRules& foreign, const Config& cfg, const GitSecretsConfig& gs,
                            std::uint64_t max_file_size)
{
    std::string out = "confidence " + std::to_string(static_cast<int>(policy.min_confidence)) + " size " + std::to_string(max_file_size) + '\n';
    add_list(out, "paths", policy.path_globs);
    add_list(out, "secrets", policy.secret_regexes);
    add_list(out, "stopwords", policy.stopwords);
    add_list(out, "allowed", gs.allowed);
    bool expiring = false;
    for (const auto& [fp, expires] : policy.baseline) out += fp + ' ' + expires + '\n', expiring |= !expires.empty();
    if (expiring) out += "today " + policy.today + '\n';
    for (const GitleaksAllowlist& l : foreign.allowlists) {
        out += "allowlist " + std::to_string(l.all) + ' ' + std::to_string(static_cast<int>(l.target)) + '\n';
        for (const auto* list : {&l.commits, &l.paths, &l.regexes, &l.stopwords, &l.rules}) add_list(out, "-", *list);
    }
    std::string ignore;
    if (!cfg.gitleaks_ignore.empty()) read_whole_file(cfg.gitleaks_ignore, ignore);
    return out + "gitleaksignore " + ignore;
}

} // namespace

Plan resolve(const Args& a, const std::string& command, Context context)
{
    const Config cfg = context == Context::packs_only ? Config{} : load_config(".", a.config_file);
    FindingPolicy policy;
    policy.path_globs = cfg.allowlist.paths;
    policy.secret_regexes = cfg.allowlist.secrets;
    policy.stopwords = cfg.allowlist.stopwords;
    if (context == Context::full) policy.baseline = baseline_expiry(load_baselines(a, cfg));
    policy.today = today_utc();
    policy.min_confidence = min_confidence(a.min_confidence);
    ForeignRules foreign;
    std::vector<Rule> rules = select_rules(a, cfg, foreign, context == Context::packs_only); // only `rules check` reads examples
    std::vector<std::string> ignore_notes;
    for (auto check : {gitleaks_allow_check(foreign.allowlists),
                       cfg.gitleaks_ignore.empty() ? nullptr : gitleaks_ignore_check(cfg.gitleaks_ignore, rules, ignore_notes)})
        if (check) policy.allow.push_back(std::move(check));
    for (const std::string& note : ignore_notes) std::cerr << "secretscan: " << printable(note) << '\n';
    // Patterns a team added with `git secrets --add` keep working after it switches.
    GitSecretsConfig gs;
    if (context != Context::packs_only) {
        gs = load_git_secrets_config(".");
        for (Rule& r : git_secrets_rules(gs.patterns)) rules.push_back(std::move(r));
        if (auto check = allowed_patterns_check(std::make_shared<AllowedPatterns>(gs.allowed), false)) policy.allow.push_back(std::move(check));
    }
    if (rules.empty()) throw Error(ErrorKind::usage, "no rules loaded: --no-builtin needs --rules PACK");
    Plan p;
    p.baselines = cfg.baselines;
    p.scan.max_file_size = a.max_file_size != unset_size ? a.max_file_size : cfg.max_file_size.value_or(ScanOptions{}.max_file_size);
    if (!a.shard.empty()) p.finding_options = finding_options(policy, foreign, cfg, gs, p.scan.max_file_size); // only a shard's record names it
    p.matcher = std::make_unique<Matcher>(std::move(rules));
    p.chain = std::make_unique<FilterChain>(p.matcher->rules(), std::move(policy));
    p.scanner = std::make_unique<Scanner>(*p.matcher, *p.chain, standard_decoders());
    // Only --no-builtin, --disable-rule and `disable:` leave built-in rules out; without them
    // the built-in packs are not loaded a second time (every hook run would pay for it).
    if (a.no_builtin || !a.disabled.empty() || !cfg.disabled.empty()) p.redact_only = redact_only_matcher(p.matcher->rules());
    p.scanner->set_redact_only(p.redact_only.get());
    p.scan.threads = worker_threads(a.threads);
    p.scan.explain_drops = a.explain_drops;
    p.scan.explain_validator_drops = a.verbose; // a token of a known format whose check fails is named
    p.report = report_options(a, command);
    p.report.rules = &p.matcher->rules();
    return p;
}

int report_scan(const Args& a, const Plan& plan, Source& source)
{
    std::unique_ptr<OutputFile> file;
    if (!a.output.empty()) {
        file = std::make_unique<OutputFile>(a.output, "--output");
        for (const std::string& own : {a.output, file->temp_path()})
            if (!own.empty()) source.exclude(own, "the report this scan writes (--output)");
    }
    std::ostream& out = file ? file->stream() : std::cout;
    const std::unique_ptr<FindingSink> sink = make_report_sink(out, plan.report);
    ScanOptions options = plan.scan;
    if (wants_progress(a, plan)) options.progress = draw_progress;
    const ScanSummary s = run_scan(source, *plan.scanner, options, *sink);
    if (file) file->commit();
    for (const auto& w : s.warnings) std::cerr << "secretscan: " << tr("warning: ") << printable(w) << '\n';
    if (!a.verbose && !a.quiet) skipped_note(s);
    if (const auto n = s.dropped[static_cast<std::size_t>(FilterStep::validator)]; n && !a.verbose && !a.quiet && !a.explain_drops)
        std::cerr << "secretscan: "
                  << format(trn("{0} match of a known token format failed its check (check digits or structure), so no provider issued it: "
                                "not reported (-v names it)",
                                "{0} matches of known token formats failed their check (check digits or structure), so no provider issued "
                                "them: not reported (-v names them)",
                                n),
                            {std::to_string(n)})
                  << '\n';
    if (s.ignored && !a.quiet)
        std::cerr << "secretscan: "
                  << format(trn("{0} file or folder that .gitignore ignores was not scanned (--no-ignore scans it)",
                                "{0} files and folders that .gitignore ignores were not scanned (--no-ignore scans them)", s.ignored),
                            {std::to_string(s.ignored)})
                  << '\n';
    std::vector<std::string> drops = s.stats.drops; // workers finish in any order
    std::sort(drops.begin(), drops.end());
    for (const auto& d : drops) std::cerr << "secretscan: dropped " << printable(d) << '\n';
    if (a.verbose) {
        for (const auto& n : s.notes) std::cerr << "secretscan: " << n << '\n';
        for (const auto& k : s.stats.skipped) std::cerr << "secretscan: " << format(tr("skipped {0}: {1}"), {printable(k.name), printable(k.reason)}) << '\n';
        std::cerr << "secretscan: " << drops_note(s.dropped) << '\n';
    }
    // A machine-readable report, or one written to a file, still leaves a line in the log.
    if (!a.quiet && (plan.report.format != "text" || !a.output.empty())) std::cerr << summary_line(s, plan.report.command) << '\n';
    return exit_code(a, s);
}

} // namespace secretscan::cli
