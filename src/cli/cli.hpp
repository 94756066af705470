#pragma once
// The secretscan command line. Stage 1 (app.cpp) fills Args with CLI11 and no side effects;
// stage 2 (plan.cpp) resolves them into a Plan (configuration, rules, engine); the commands
// (commands.cpp, rules_commands.cpp, demo.cpp) run it.

#include <secretscan/engine/filter_chain.hpp>
#include <secretscan/engine/matcher.hpp>
#include <secretscan/engine/pipeline.hpp>
#include <secretscan/engine/scanner.hpp>
#include <secretscan/report/report.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace secretscan::cli {

/// Runs the secretscan command line; returns the process exit code (0 clean, 1 findings,
/// 2 usage or configuration error, 3 runtime error). Never throws.
int run(int argc, char** argv);

/// Stage 1: what the command line said, with no side effects.
/// Args::max_file_size when --max-file-size was not given.
inline constexpr std::uint64_t unset_size = UINT64_MAX;

struct Args {
    std::string directory;                  // -C DIR
    std::string format = "text";
    bool no_redact = false;
    std::string redact;                     // --redact[=N]: "" not given, else 0-100 (CLI11 checks)
    std::vector<std::string> rule_packs;    // --rules
    bool no_builtin = false;
    std::vector<std::string> disabled;      // --disable-rule
    std::uint64_t max_file_size = unset_size; // --max-file-size; unset: the configuration's, else default_max_file_size
    unsigned threads = 0;
    bool quiet = false;
    bool verbose = false;
    bool explain_drops = false;             // --explain-drops
    bool exit_zero = false;
    int exit_code = 1;                      // --exit-code: with findings
    bool no_color = false;
    std::string output;                     // --output FILE
    std::vector<std::string> baselines;     // --baseline FILE
    std::string config_file;                // --config FILE
    std::string min_confidence;             // --min-confidence low|medium|high
    std::string baseline_file;              // baseline create FILE
    std::vector<std::string> baseline_scan; // baseline create FILE [history RANGE... | scan PATH... | staged]
    bool no_ignore = false;                 // scan
    bool all_lines = false;                 // staged
    bool keep = false;                      // demo
    std::vector<std::string> paths;         // scan
    std::string message_file;               // message
    std::vector<std::string> ranges;        // history
    std::string log_opts;                   // history --log-opts
    bool all_objects = false;               // history --all-objects
    std::string shard;                      // history --shard I/N
    std::vector<std::string> merge_files;   // report merge FILE...
    std::string cache_dir;                  // history --cache DIR
    bool no_cache = false;                  // history --no-cache
    std::vector<std::string> check_files;   // rules check
    std::string rule_id;                    // rules explain
    std::string demo_dir;
    bool force = false;                     // install
    bool global = false;                    // install, uninstall
    std::string hooks_list;                 // install, uninstall: comma-separated names
    std::vector<std::string> hook_args;     // hook NAME SCOPE SHIM [ARGS...]
    std::string shell;                      // completion bash|zsh|fish
};

/// What a plan takes from the repository besides the command line.
enum class Context {
    full,         ///< config files, git-secrets settings, baselines
    no_baselines, ///< all but baselines (baseline create records everything)
    packs_only,   ///< the rule packs alone (rules check, demo: repository settings must not change them)
};

/// Stage 2: the engine and options every scan command shares.
struct Plan {
    std::unique_ptr<Matcher> matcher;
    std::unique_ptr<FilterChain> chain; ///< the configuration's finding steps included
    std::unique_ptr<Scanner> scanner;
    std::unique_ptr<Matcher> redact_only; ///< built-in rules left out, redacted from lines (Scanner::set_redact_only)
    ScanOptions scan;
    ReportOptions report;
    std::vector<std::string> baselines; ///< the configuration's baseline files (absolute)
    std::string finding_options;        ///< history --shard: what decides findings besides the rules (plan.cpp); shards must agree on it
};

/// Loads the configuration (as `context` allows), the rules and the baselines, and builds the
/// engine. Throws Error(usage/config) for what the user must fix.
Plan resolve(const Args& a, const std::string& command, Context context = Context::full);

/// Runs `source` into the report --format and --output ask for, then prints warnings (and with
/// --verbose the notes, skipped inputs and filter drops) on stderr. Returns the exit code.
int report_scan(const Args& a, const Plan& plan, Source& source);

// The commands (one function each; app.cpp maps the command words to them).
int scan_command(const Args& a);
int staged_command(const Args& a);
int message_command(const Args& a);
int history_command(const Args& a);
int report_merge(const Args& a);
/// `hook NAME SCOPE SHIM [ARGS...]`: returns the exit code when the configuration does not load;
/// once the check has run, exits the process with its exit code (streams flushed, nothing freed).
int hook_command(const Args& a);
int baseline_create(const Args& a);
int install_command(const Args& a);
int uninstall_command(const Args& a);
int rules_list(const Args& a);
int rules_check(const Args& a);
int rules_explain(const Args& a);
int demo(const Args& a);

} // namespace secretscan::cli
