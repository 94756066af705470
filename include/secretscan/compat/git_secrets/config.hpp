#pragma once
// git-secrets compatibility (docs/git-secrets-compat.md): its configuration (git config keys
// secrets.patterns, secrets.allowed, secrets.providers and the .gitallowed file) turned into
// secretscan rules and a step of the filter chain. The `git-secrets` command line is cli.hpp.

#include <secretscan/engine/finding.hpp>
#include <secretscan/rules/rule.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// git-secrets' settings as seen from a directory.
struct GitSecretsConfig {
    std::vector<std::string> patterns; ///< secrets.patterns (every scope), then each provider's output lines
    std::vector<std::string> allowed;  ///< secrets.allowed (every scope), then .gitallowed's lines
    std::string gitallowed_path;       ///< the .gitallowed consulted (empty outside a work tree)
};

/// Reads the configuration that applies in `dir` (inside a repository: system, global and local
/// scopes; outside: system and global). Providers are run as commands split on spaces, tabs
/// and newlines, without a shell; each non-empty output line (CR removed) is a pattern.
/// .gitallowed at the work tree's top contributes its lines that are not blank and do not start
/// (after blanks) with '#', with a trailing CR removed. Throws Error(config) when a provider
/// cannot run or fails, naming it.
GitSecretsConfig load_git_secrets_config(const std::string& dir);

/// One rule per distinct pattern, in order: id "git-secrets-" and the first 12 hex digits of
/// fingerprint("git-secrets", pattern) (stable when other patterns are added or removed),
/// RuleOrigin::git_secrets,
/// the regex translated by ere_word_regex (grep -w semantics), keywords from required_literals
/// (none: the rule runs behind the regex prefilter), no shared filter (git-secrets reports every
/// match). Throws Error(config) naming a pattern RE2 cannot express.
std::vector<Rule> git_secrets_rules(const std::vector<std::string>& patterns);

/// git-secrets' allowed patterns: EREs matched anywhere in a reported line
/// ("path:line:text"), as upstream filters its output with `grep -Ev`. Immutable; thread-safe.
class AllowedPatterns {
public:
    /// Throws Error(config) naming an invalid pattern (upstream silently allows everything then).
    explicit AllowedPatterns(const std::vector<std::string>& patterns);
    ~AllowedPatterns();
    AllowedPatterns(AllowedPatterns&&) noexcept;
    AllowedPatterns& operator=(AllowedPatterns&&) noexcept;

    /// Whether any allowed pattern matches `line`.
    bool allows(std::string_view line) const;
    bool empty() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// The line git-secrets prints for a finding: "location:line:text", where location is the path
/// or the message's source name, prefixed by "commit:" for history findings in git-secrets mode
/// (`with_commit`), whose messages show as "(commit message)".
std::string git_secrets_line(const Finding& f, bool with_commit);

/// The filter chain's allowlist check for git-secrets' allowed patterns (FindingPolicy::allow):
/// a finding is allowed when a pattern matches its git_secrets_line, as upstream filters its
/// output with `grep -Ev`. Returns a null function when there are no patterns.
std::function<std::string(const Finding&)> allowed_patterns_check(std::shared_ptr<const AllowedPatterns> allowed, bool with_commit);

/// `git secrets --aws-provider [FILE]`: the values of aws_access_key_id and
/// aws_secret_access_key in an AWS credentials file (default ~/.aws/credentials), spaces and
/// double quotes removed, ERE special characters escaped, one per line. A missing file gives
/// nothing. Source of the file format: the AWS SDKs and Tools reference guide, "Shared config
/// and credentials files".
std::string aws_provider_output(const std::string& file);

/// Escapes ERE special characters so that `text` matches literally (--add --literal).
std::string ere_escape(const std::string& text);

/// The patterns `git secrets --register-aws` stores (exactly as upstream stores them, so that
/// configurations written by either tool de-duplicate), and its allowed example values.
/// Formats: AWS IAM identifiers page (key prefixes), the Bedrock API keys page.
const std::vector<std::string>& register_aws_patterns();
const std::vector<std::string>& register_aws_allowed();

} // namespace secretscan
