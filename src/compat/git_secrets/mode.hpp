#pragma once
// What the files of the git-secrets command line share. Internal to src/compat/git_secrets/.

#include <secretscan/compat/git_secrets/config.hpp>
#include <secretscan/engine/pipeline.hpp>

#include <algorithm>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace secretscan::git_secrets {

/// A command-line error: message on stderr, usage, exit 129.
struct UsageError {
    std::string message;
};

/// git-sh-setup's die: "error: message" on stderr, exit 1.
struct Die {
    std::string message;
};

/// Options (canonical long names, in order) and the other arguments.
struct Parsed {
    std::vector<std::string> options;
    std::vector<std::string> args;
    bool has(const std::string& o) const { return std::find(options.begin(), options.end(), o) != options.end(); }
};

/// Parses argv as git's parseopt does. Throws UsageError.
Parsed parse(int argc, char** argv);

/// The patterns, allowed patterns and engine of the current repository (or none).
class Engine {
public:
    Engine();
    bool no_patterns() const { return m_config.patterns.empty(); }
    /// Runs `source` into `sink`; git-secrets reads files of any size.
    void scan(Source& source, FindingSink& sink) const;

private:
    GitSecretsConfig m_config;
    std::unique_ptr<Matcher> m_matcher;
    std::unique_ptr<FilterChain> m_chain;
    std::unique_ptr<Scanner> m_scanner;
};

/// git-secrets' output: "<where>:<line>:<text>" lines on stderr, each once, then its banner.
/// One sink may take several scans (a hook's staged changes, then what a merge brings in):
/// each scan's lines come in report order (sort_findings), scan after scan.
class LineSink : public FindingSink {
public:
    bool finding(const Finding& f) override;
    void finish(const ScanSummary&) override;
    /// Prints the lines and the banner; returns the exit code (0 when nothing was found).
    int print(std::ostream& err) const;

private:
    std::vector<Finding> m_findings;
    std::size_t m_sorted = 0; // findings of finished scans
    std::set<std::string> m_seen;
};

// The modes.
int scan(const Parsed& p);
int scan_history();
int pre_commit_hook();
int commit_msg_hook(const std::vector<std::string>& args);
int prepare_commit_msg_hook(const std::vector<std::string>& args);
int install(const Parsed& p);
int list(bool global);
int add(const Parsed& p);
int add_provider(const Parsed& p);
int register_aws(bool global);

} // namespace secretscan::git_secrets
