#include <secretscan/error.hpp>
#include <secretscan/hooks/chained.hpp>
#include <secretscan/hooks/check.hpp>
#include <secretscan/hooks/install.hpp>
#include <secretscan/sources/message.hpp>
#include <secretscan/sources/push.hpp>
#include <secretscan/sources/staged.hpp>

#include "git/plumbing.hpp"
#include "util/i18n.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <memory>
#include <set>

namespace secretscan {

namespace {

bool skip_requested()
{
    const char* v = std::getenv("SECRETSCAN_SKIP");
    return v && *v && std::string(v) != "0";
}

std::string bypass_for(const std::string& name)
{
    if (name == "pre-commit" || name == "commit-msg") return "git commit --no-verify";
    if (name == "pre-push") return tr("git push --no-verify (or SECRETSCAN_SKIP=1 git push)");
    return tr("SECRETSCAN_SKIP=1 git commit (or git merge --continue)");
}

bool is_one_of(const std::string& name, const std::vector<std::string>& names)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

/// The hook's report: when anything is found, each finding as "path:line:column: rule-id:
/// secret", then how to go on.
class HookSink : public FindingSink {
public:
    /// `message_file`: the commit message file git gave commit-msg (in a linked worktree it is
    /// not .git/COMMIT_EDITMSG, where .git is a file), named in the advice.
    HookSink(std::ostream& err, std::string name, bool redact, std::string message_file, std::string baseline)
        : m_err(err), m_name(std::move(name)), m_redact(redact), m_message_file(std::move(message_file)), m_baseline(std::move(baseline))
    {
    }
    bool finding(const Finding& f) override
    {
        m_findings.push_back(f);
        return true;
    }
    void finish(const ScanSummary& summary) override;
    bool blocked() const { return !m_findings.empty(); }

private:
    std::string what() const
    {
        if (m_name == "commit-msg") return tr("the commit message");
        if (m_name == "pre-push") return tr("the commits being pushed");
        if (m_name == "prepare-commit-msg") return tr("what the merge adds");
        return tr("the staged changes");
    }
    void advise(const std::set<std::string>& rules) const;
    void advise_baseline() const;

    std::ostream& m_err;
    std::string m_name;
    bool m_redact;
    std::string m_message_file;
    std::string m_baseline;
    std::vector<Finding> m_findings;
};

void HookSink::finish(const ScanSummary& summary)
{
    for (const auto& w : summary.warnings) m_err << "secretscan: " << tr("warning: ") << printable(w) << '\n';
    // What the check passed over (binary, over --max-file-size, unreadable) is said every time:
    // a hook that lets a file through unread must not do it in silence.
    for (const auto& k : summary.stats.skipped)
        m_err << "secretscan: " << format(tr("not checked: {0}: {1}"), {printable(k.name), printable(k.reason)}) << '\n';
    if (m_findings.empty()) return;
    sort_findings(m_findings);
    const std::size_t n = m_findings.size();
    m_err << "secretscan: " << format(trn("{0} secret in {1}:", "{0} secrets in {1}:", n), {std::to_string(n), what()}) << '\n';
    std::set<std::string> rules;
    for (const Finding& f : m_findings) {
        m_err << printable(display_position(f)) << ": " << printable(f.rule_id) << ": " << printable(m_redact ? redact(f.secret) : f.secret);
        if (!f.validation.empty()) m_err << " (" << f.validation << ")";
        if (!f.commit.empty()) m_err << ' ' << format(tr("(commit {0})"), {f.commit.substr(0, 12)});
        m_err << '\n';
        rules.insert(f.rule_id);
    }
    advise(rules);
}

/// `s` as a POSIX shell reads it back: as is when it holds only safe characters, else in single
/// quotes. The advice's commands are pasted into a shell.
std::string shell_quoted(const std::string& s)
{
    if (!s.empty() && s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./@%+=:,-") == std::string::npos)
        return s;
    std::string out = "'";
    for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

void HookSink::advise(const std::set<std::string>& rules) const
{
    m_err << (m_name == "pre-push" ? tr("The push was blocked. To go on:") : tr("The commit was blocked. To go on:")) << '\n';
    std::set<std::string> tags; // a secret in an annotated tag's message: no rebase removes it
    for (const Finding& f : m_findings)
        if (f.source == SourceKind::tag_message && !f.tag.empty()) tags.insert(f.tag);
    const bool only_tags = std::all_of(m_findings.begin(), m_findings.end(), [](const Finding& f) { return f.source == SourceKind::tag_message; });
    if (m_name == "commit-msg")
        m_err << format(tr("  - take the secret out of the message: your text is kept in {0}, and git commit -e -F {0} starts from it;"),
                        {shell_quoted(m_message_file)})
              << '\n';
    else if (m_name == "pre-push" && !only_tags)
        m_err << tr("  - rewrite the commits to remove it (git rebase -i, then edit the commit that added it), since "
                    "pushing publishes history;") << '\n';
    else if (m_name != "pre-push")
        m_err << tr("  - remove it from the file and stage the change again;") << '\n';
    for (const std::string& t : tags)
        m_err << format(tr("  - write tag {0} again without it: git tag -f -a {0} {1};"), {printable(t), shell_quoted(t + "^{}")}) << '\n';
    std::string explain;
    for (const auto& r : rules) explain += " secretscan rules explain " + r + ';';
    m_err << format(tr("  - if it is real, rotate it:{0}"), {explain}) << '\n';
    if (m_name != "pre-push") m_err << tr("  - if it is not a secret, add the comment secretscan:allow to its line;") << '\n';
    else if (!only_tags) m_err << tr("  - if it is not a secret, add the comment secretscan:allow to its line in that commit (rewriting it);") << '\n';
    advise_baseline();
    m_err << format(tr("  - to skip this check once: {0}"), {bypass_for(m_name)}) << '\n';
}

/// A baseline records what a scan finds: the staged changes for a commit, the history for a
/// push. A message is not in any scan a baseline can be made from, so none is offered there.
/// The commands name the work tree's top (where hooks run), so they work from any folder.
void HookSink::advise_baseline() const
{
    if (m_name == "commit-msg") return;
    const char* scan = m_name == "pre-push" ? "history" : "staged";
    std::error_code ec;
    const std::string top = std::filesystem::current_path(ec).string();
    if (m_baseline.empty())
        m_err << format(tr("  - to accept what is already there, record it in a baseline: secretscan -C {1} baseline create "
                           ".secretscan-baseline.jsonl {0}, and set `baseline: .secretscan-baseline.jsonl` in {2};"),
                        {scan, shell_quoted(top), shell_quoted(top + "/.secretscan.yaml")})
              << '\n';
    else // the configured one: create adds to it, keeping its entries
        m_err << format(tr("  - to accept what is already there, add it to your baseline: secretscan -C {2} baseline create {0} {1};"),
                        {shell_quoted(m_baseline), scan, shell_quoted(top)})
              << '\n';
}

/// The scan a hook runs, or null when there is nothing to check.
std::unique_ptr<Source> source_for(const std::string& name, const std::vector<std::string>& args, const std::string& input)
{
    if (name == "pre-commit") return std::make_unique<StagedSource>(".");
    if (name == "commit-msg") {
        if (args.empty()) throw Error(ErrorKind::usage, "hook commit-msg: git passes the message file; none given");
        return std::make_unique<MessageFileSource>(args[0]);
    }
    if (name == "prepare-commit-msg") // a clean `git merge` runs no pre-commit hook: check what it adds here
        return git::merge_heads_of(".").empty() ? nullptr : std::make_unique<StagedSource>(".");
    return std::make_unique<PushSource>(".", input, args.size() > 0 ? args[0] : "", args.size() > 1 ? args[1] : "");
}

/// The hook check proper, after the chained hook (`chained`: whether one ran). Returns the exit code.
int check(const HookContext& ctx, const std::string& name, const std::vector<std::string>& args, const std::string& input, bool chained)
{
    // SECRETSCAN_SKIP is for the hooks --no-verify does not always skip; pre-commit and
    // commit-msg ignore it, so an exported variable cannot silently switch the tool off.
    if (skip_requested() && (name == "prepare-commit-msg" || name == "pre-push")) {
        ctx.err << "secretscan: " << format(tr("SECRETSCAN_SKIP is set: {0} check skipped"), {name}) << '\n';
        return 0;
    }
    const bool prepared = name == "pre-commit" && ctx.staged && !chained; // a chained hook may have changed the index
    const std::unique_ptr<Source> own = prepared ? nullptr : source_for(name, args, input);
    Source* const source = prepared ? ctx.staged : own.get();
    if (!source) return 0;
    // The advice names the message file absolutely: the user may be in a subfolder.
    std::error_code ec;
    const std::string message_file = name == "commit-msg" && !args.empty() ? std::filesystem::absolute(args[0], ec).lexically_normal().string() : "";
    HookSink sink(ctx.err, name, ctx.redact, message_file, ctx.baseline);
    run_scan(*source, ctx.scanner, ctx.options, sink); // the sink prints the warnings
    return sink.blocked() ? 1 : 0;
}

/// Pass-through hooks whose standard input git fills.
const std::vector<std::string> hooks_with_input = {"pre-receive", "post-receive", "post-rewrite", "reference-transaction", "proc-receive"};

} // namespace

int run_hook(const HookContext& ctx, const std::string& name, const std::string& scope, const std::string& shim,
             const std::vector<std::string>& args)
{
    try {
        const bool ours = is_one_of(name, all_hook_names);
        if (!ours && !is_one_of(name, passthrough_hook_names)) throw Error(ErrorKind::usage, "hook " + name + ": not a hook git runs");
        // pre-push reads the refs on standard input; the chained hook needs them too.
        std::string input;
        if (name == "pre-push" || (!ours && is_one_of(name, hooks_with_input)))
            input.assign(std::istreambuf_iterator<char>(ctx.in), std::istreambuf_iterator<char>());
        const std::string chained = chained_hook(name, scope, shim, ".");
        if (!ours) return chained.empty() ? 0 : run_chained_hook(chained, shim, args, input);
        if (!chained.empty()) {
            if (const int rc = run_chained_hook(chained, shim, args, input); rc != 0) {
                ctx.err << "secretscan: "
                        << format(tr("the {0} hook it chains ({1}) failed with exit code {2}; stopped there"), {name, chained, std::to_string(rc)})
                        << '\n';
                return rc;
            }
        }
        return check(ctx, name, args, input, !chained.empty());
    } catch (const Error& e) {
        return hook_failed_closed(ctx.err, name, e);
    } catch (const std::exception& e) {
        ctx.err << "secretscan: " << tr("internal error: ") << e.what() << "\nsecretscan: "
                << format(tr("the {0} check could not run, so it failed closed. Bypass once: {1}"), {name, bypass_for(name)}) << '\n';
        return 3;
    }
}

int hook_failed_closed(std::ostream& err, const std::string& name, const Error& e)
{
    err << "secretscan: " << tr("error: ") << e.what() << "\nsecretscan: "
        << format(tr("the {0} check could not run, so it failed closed. Fix the cause, or bypass once: {1}"), {name, bypass_for(name)})
        << '\n';
    return exit_code_for(e.kind());
}

} // namespace secretscan
