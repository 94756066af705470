// git-secrets' scans: --scan, --scan-history and the three hooks, through the pipeline.

#include <secretscan/compat/git_secrets/grep.hpp>
#include <secretscan/sources/history.hpp>
#include <secretscan/sources/message.hpp>
#include <secretscan/sources/staged.hpp>

#include "compat/git_secrets/mode.hpp"
#include "git/plumbing.hpp"
#include "util/files.hpp"

#include <filesystem>
#include <functional>
#include <iostream>
#include <iterator>

namespace fs = std::filesystem;

namespace secretscan::git_secrets {

namespace {

/// The .gitallowed file itself never yields findings (outside history, as upstream).
std::function<std::string(const Finding&)> not_gitallowed(const std::string& gitallowed)
{
    if (gitallowed.empty()) return nullptr;
    return [gitallowed](const Finding& f) {
        std::error_code ec;
        const bool is = f.commit.empty() && !f.path.empty() && fs::equivalent(f.path, gitallowed, ec);
        return is ? std::string("the .gitallowed file itself") : std::string();
    };
}

/// Files named on the command line, read as grep reads them ("-": standard input). An
/// unreadable file is reported through `unreadable` and passed over.
class NamedFiles : public Source {
public:
    NamedFiles(std::vector<std::string> files, std::function<void(const std::string&)> unreadable)
        : m_files(std::move(files)), m_unreadable(std::move(unreadable))
    {
    }
    std::string unit() const override { return "files"; }
    std::size_t list(ScanSummary&, unsigned) override { return m_files.size(); }
    unsigned max_threads() const override { return 1; } // standard input and error messages in order
    void read(std::size_t item, unsigned, ChunkReader& out) override
    {
        const std::string& f = m_files[item];
        std::string data;
        if (f == "-") {
            data.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
            return out.chunk(Chunk{data, Provenance{SourceKind::stdin_input, "(standard input)", ""}});
        }
        if (!read_whole_file(f, data)) return m_unreadable("git-secrets: " + f + ": " + errno_message());
        out.chunk(Chunk{data, Provenance{SourceKind::file, f, ""}});
    }

private:
    std::vector<std::string> m_files;
    std::function<void(const std::string&)> m_unreadable;
};

/// The files `--scan FILE...` reads: each named file; with -r, the files below each named
/// folder (in path order). A missing file is reported and sets `status` to 2, like grep.
std::vector<std::string> named_files(const Parsed& p, int& status)
{
    std::vector<std::string> files;
    for (const std::string& arg : p.args) {
        std::error_code ec;
        const auto st = fs::status(arg, ec);
        if (arg != "-" && (ec || !fs::exists(st))) {
            std::cerr << "git-secrets: " << arg << ": No such file or directory\n";
            status = 2;
        } else if (arg != "-" && fs::is_directory(st)) {
            if (!p.has("recursive")) continue; // grep -d skip
            for (const fs::path& f : files_below(arg)) files.push_back(f.generic_string());
        } else {
            files.push_back(arg);
        }
    }
    return files;
}

/// The commits a merge in progress brings in (MERGE_HEAD ^HEAD), as upstream's hooks judge a
/// merge: git-secrets blocks a merge that brings in a commit holding a prohibited pattern.
void scan_merged_history(const Engine& e, LineSink& sink)
{
    HistoryOptions h;
    h.ranges = git::merge_heads_of(".");
    if (h.ranges.empty()) return;
    h.ranges.push_back("^HEAD");
    HistorySource source(".", h);
    e.scan(source, sink);
}

} // namespace

Engine::Engine() : m_config(load_git_secrets_config("."))
{
    m_matcher = std::make_unique<Matcher>(git_secrets_rules(m_config.patterns));
    FindingPolicy policy;
    for (auto check : {allowed_patterns_check(std::make_shared<AllowedPatterns>(m_config.allowed), true),
                       not_gitallowed(m_config.gitallowed_path)})
        if (check) policy.allow.push_back(std::move(check));
    m_chain = std::make_unique<FilterChain>(m_matcher->rules(), std::move(policy), false); // no inline markers in git-secrets
    m_scanner = std::make_unique<Scanner>(*m_matcher, *m_chain, std::vector<std::shared_ptr<const Decoder>>{}); // git-secrets greps raw text
}

void Engine::scan(Source& source, FindingSink& sink) const
{
    ScanOptions options;
    options.max_file_size = UINT64_MAX; // git-secrets scans files of any size
    run_scan(source, *m_scanner, options, sink);
}

bool LineSink::finding(const Finding& f)
{
    if (m_seen.insert(git_secrets_line(f, true)).second) m_findings.push_back(f);
    return true;
}

void LineSink::finish(const ScanSummary&)
{
    std::vector<Finding> scan(m_findings.begin() + static_cast<std::ptrdiff_t>(m_sorted), m_findings.end());
    sort_findings(scan);
    std::copy(scan.begin(), scan.end(), m_findings.begin() + static_cast<std::ptrdiff_t>(m_sorted));
    m_sorted = m_findings.size();
}

int LineSink::print(std::ostream& err) const
{
    if (m_findings.empty()) return 0;
    for (const Finding& f : m_findings) err << git_secrets_line(f, true) << '\n';
    err << "\n[ERROR] Matched one or more prohibited patterns\n\n"
           "What you can do:\n"
           "- remove the secret (and rotate it if it is real);\n"
           "- allow a false positive: git config --add secrets.allowed REGEX, or a line in .gitallowed at the "
           "top of the repository;\n"
           "- see the patterns: git secrets --list;\n"
           "- skip the check once: --no-verify.\n";
    return 1;
}

int scan(const Parsed& p)
{
    const Engine e;
    if (e.no_patterns()) return 0;
    LineSink sink;
    if (p.args.empty() || p.has("cached") || p.has("untracked") || p.has("no-index")) {
        const GrepSelection sel = p.has("cached")      ? GrepSelection::cached
                                  : p.has("untracked") ? GrepSelection::untracked
                                  : p.has("no-index")  ? GrepSelection::no_index
                                                       : GrepSelection::tracked;
        GrepSource source(".", sel, p.args);
        e.scan(source, sink);
        return sink.print(std::cerr);
    }
    int status = 0;
    NamedFiles source(named_files(p, status), [&status](const std::string& message) {
        std::cerr << message << '\n';
        status = 2;
    });
    e.scan(source, sink);
    const int found = sink.print(std::cerr);
    return status ? status : found; // like grep: an unreadable file is an error, whatever else matched
}

int scan_history()
{
    const Engine e;
    if (e.no_patterns()) return 0;
    LineSink sink;
    HistoryOptions h;
    h.messages = false; // git-secrets searches trees, not messages
    HistorySource history(".", h);
    e.scan(history, sink);
    // Like upstream, when no commit holds a match, the tracked files are searched instead (they
    // may hold changes not committed yet).
    if (const int found = sink.print(std::cerr)) return found;
    GrepSource tracked(".", GrepSelection::tracked, {});
    LineSink files;
    e.scan(tracked, files);
    return files.print(std::cerr);
}

int pre_commit_hook()
{
    const Engine e;
    if (e.no_patterns()) return 0;
    LineSink sink;
    StagedSource staged(".");
    e.scan(staged, sink);
    // Concluding a merge with `git commit -m/-F` gives prepare-commit-msg no "merge" source:
    // check what the merge brings in here too.
    scan_merged_history(e, sink);
    return sink.print(std::cerr);
}

int commit_msg_hook(const std::vector<std::string>& args)
{
    if (args.empty()) throw Die{"commit-msg hook: no message file given"};
    const Engine e;
    if (e.no_patterns()) return 0;
    LineSink sink;
    MessageFileSource message(args[0]);
    e.scan(message, sink);
    return sink.print(std::cerr);
}

int prepare_commit_msg_hook(const std::vector<std::string>& args)
{
    // Only a merge without a given commit (git merge) brings in history to check.
    if (args.size() != 2 || args[1] != "merge") return 0;
    const Engine e;
    if (e.no_patterns()) return 0;
    LineSink sink;
    scan_merged_history(e, sink);
    return sink.print(std::cerr);
}

} // namespace secretscan::git_secrets
