#include <secretscan/compat/git_secrets/ere.hpp>
#include <secretscan/error.hpp>
#include <secretscan/engine/finding.hpp>
#include <secretscan/compat/git_secrets/config.hpp>

#include "git/config.hpp"
#include "util/files.hpp"
#include "util/process.hpp"
#include "util/regex.hpp"
#include "util/strings.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace secretscan {

namespace {

void append_lines(const std::string& text, std::vector<std::string>& out)
{
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::erase(line, '\r');
        if (!line.empty()) out.push_back(line);
    }
}

} // namespace

GitSecretsConfig load_git_secrets_config(const std::string& dir)
{
    GitSecretsConfig c;
    const git::Repository repo = git::try_open(dir);
    const git::Config cfg = git::repository_config(repo.get());
    c.patterns = git::config_values(cfg.get(), "secrets.patterns");
    for (const std::string& provider : git::config_values(cfg.get(), "secrets.providers")) {
        const std::vector<std::string> argv = split_nonempty(provider, " \t\n");
        if (argv.empty()) continue;
        // The provider --register-aws adds is this program's own --aws-provider: answer it
        // in-process instead of starting git and a second process on every scan.
        if (argv.size() <= 4 && argv[0] == "git" && argv.size() >= 3 && argv[1] == "secrets" && argv[2] == "--aws-provider") {
            append_lines(aws_provider_output(argv.size() == 4 ? argv[3] : ""), c.patterns);
            continue;
        }
        std::string out;
        int rc = 0;
        try {
            rc = run_process(argv, "", &out);
        } catch (const Error& e) {
            throw Error(ErrorKind::config, "secrets.providers '" + provider + "': " + e.what());
        }
        if (rc != 0)
            throw Error(ErrorKind::config, "secrets.providers '" + provider + "' failed with exit code " + std::to_string(rc) +
                                               "; fix or remove it (git config --unset secrets.providers ...)");
        append_lines(out, c.patterns);
    }
    c.allowed = git::config_values(cfg.get(), "secrets.allowed");
    if (repo) {
        if (const auto top = git::workdir(repo.get())) {
            c.gitallowed_path = *top + ".gitallowed";
            // A committed file, so untrusted: a regular file inside the repository, of bounded
            // size, or an error (never a FIFO, a device or a file a link leads out to).
            std::error_code ec;
            std::string inside = *top;
            while (inside.size() > 1 && inside.back() == '/') inside.pop_back();
            std::istringstream in(fs::exists(fs::symlink_status(c.gitallowed_path, ec)) ? read_input_file(c.gitallowed_path, ".gitallowed file", inside)
                                                                                          : std::string());
            for (std::string line; std::getline(in, line);) {
                if (!line.empty() && line.back() == '\r') line.pop_back();
                const auto first = line.find_first_not_of(" \t");
                if (first == std::string::npos || line[first] == '#') continue;
                c.allowed.push_back(line);
            }
        }
    }
    return c;
}

std::vector<Rule> git_secrets_rules(const std::vector<std::string>& patterns)
{
    std::vector<Rule> rules;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < patterns.size(); ++i) {
        if (!seen.insert(patterns[i]).second) continue; // the same pattern twice is one rule
        Rule r;
        // Derived from the pattern, not its position: adding or removing another pattern
        // leaves the id, and so the baseline entries that name it, as they were.
        r.id = "git-secrets-" + fingerprint("git-secrets", patterns[i]).substr(0, 12);
        r.name = "git-secrets pattern " + patterns[i];
        r.regex = ere_word_regex(patterns[i]);
        r.secret_group = 1;
        r.keywords = required_literals(r.regex);
        if (r.keywords.empty()) r.keywords = ere_required_literals(patterns[i]);
        r.confidence = Confidence::medium;
        r.shared_filter = false;
        r.origin = RuleOrigin::git_secrets;
        r.mark.file = "git config secrets.patterns";
        rules.push_back(std::move(r));
    }
    return rules;
}

struct AllowedPatterns::Impl {
    std::vector<std::unique_ptr<RE2>> res;
};

AllowedPatterns::AllowedPatterns(const std::vector<std::string>& patterns) : m_impl(std::make_unique<Impl>())
{
    for (const auto& p : patterns) {
        std::string re;
        try {
            re = ere_to_re2(p);
        } catch (const Error& e) {
            throw Error(ErrorKind::config, std::string("allowed ") + e.what());
        }
        auto compiled = std::make_unique<RE2>(re, re2_options());
        if (!compiled->ok())
            throw Error(ErrorKind::config, "allowed pattern '" + p + "' is not a valid regular expression: " + compiled->error() +
                                               "; fix it in secrets.allowed or .gitallowed (an invalid allowed pattern "
                                               "would otherwise allow everything)");
        m_impl->res.push_back(std::move(compiled));
    }
}

AllowedPatterns::~AllowedPatterns() = default;
AllowedPatterns::AllowedPatterns(AllowedPatterns&&) noexcept = default;
AllowedPatterns& AllowedPatterns::operator=(AllowedPatterns&&) noexcept = default;

bool AllowedPatterns::allows(std::string_view line) const
{
    for (const auto& re : m_impl->res)
        if (RE2::PartialMatch(line, *re)) return true;
    return false;
}

bool AllowedPatterns::empty() const noexcept
{
    return m_impl->res.empty();
}

std::string git_secrets_line(const Finding& f, bool with_commit)
{
    std::string where = display_location(f);
    if (with_commit && !f.commit.empty()) where = f.commit + ":" + (f.path.empty() ? std::string("(commit message)") : f.path);
    return where + ":" + std::to_string(f.line) + ":" + f.line_text;
}

std::function<std::string(const Finding&)> allowed_patterns_check(std::shared_ptr<const AllowedPatterns> allowed, bool with_commit)
{
    if (!allowed || allowed->empty()) return nullptr;
    return [allowed, with_commit](const Finding& f) {
        const bool allows = allowed->allows(git_secrets_line(f, with_commit));
        return allows ? std::string("a git-secrets allowed pattern (secrets.allowed, .gitallowed) matches its line") : std::string();
    };
}

std::string ere_escape(const std::string& text)
{
    std::string out;
    for (char c : text) {
        if (std::string_view(".|$(){}?+*^[]\\").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

std::string aws_provider_output(const std::string& file)
{
    std::string path = file;
    if (path.empty()) path = git::home_dir() + "/.aws/credentials";
    std::ifstream in(path, std::ios::binary);
    std::string out;
    for (std::string line; std::getline(in, line);) {
        if (line.find("aws_access_key_id") == std::string::npos && line.find("aws_secret_access_key") == std::string::npos) continue;
        const auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        std::string value;
        for (char c : line.substr(eq + 1))
            if (c != ' ' && c != '"' && c != '\r') value += c;
        if (!value.empty()) out += ere_escape(value) + "\n";
    }
    return out;
}

const std::vector<std::string>& register_aws_patterns()
{
    static const std::vector<std::string> patterns = {
        "(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}",
        "ABSK[A-Za-z0-9+/]{109,}=*",
        "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t",
        "(\"|')?(AWS|aws|Aws)?_?(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)(\"|')?\\s*(:|=>|=)\\s*(\"|')?"
        "[A-Za-z0-9/\\+=]{40}(\"|')?",
        "(\"|')?(AWS|aws|Aws)?_?(ACCOUNT|account|Account)_?(ID|id|Id)?(\"|')?\\s*(:|=>|=)\\s*(\"|')?[0-9]{4}\\-?[0-9]{4}\\-?"
        "[0-9]{4}(\"|')?",
    };
    return patterns;
}

const std::vector<std::string>& register_aws_allowed()
{
    static const std::vector<std::string> allowed = {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"};
    return allowed;
}

} // namespace secretscan
