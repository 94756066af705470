#include <secretscan/rules/rule.hpp>

#include <algorithm>
#include <array>
#include <utility>

namespace secretscan {

std::string_view to_string(Confidence c) noexcept
{
    switch (c) {
    case Confidence::low: return "low";
    case Confidence::medium: return "medium";
    case Confidence::high: return "high";
    }
    return "medium";
}

std::string_view to_string(RuleKind k) noexcept
{
    switch (k) {
    case RuleKind::token: return "token";
    case RuleKind::generic: return "generic";
    case RuleKind::url: return "url";
    }
    return "token";
}

std::string_view to_string(Boundary b) noexcept
{
    switch (b) {
    case Boundary::none: return "none";
    case Boundary::token: return "token";
    case Boundary::word: return "word";
    }
    return "none";
}

std::string apply_boundary(const std::string& regex, Boundary boundary)
{
    switch (boundary) {
    case Boundary::none: return regex;
    case Boundary::token: return "(?:^|[^A-Za-z0-9_-])(" + regex + ")(?:[^A-Za-z0-9_-]|$)";
    case Boundary::word: return "\\b(" + regex + ")\\b";
    }
    return regex;
}

std::string to_string(const SourceMark& m)
{
    if (m.line == 0) return m.file;
    return m.file + ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
}

namespace {

using FamilyText = std::pair<std::string_view, std::string_view>;

constexpr std::array<FamilyText, 16> family_impact{{
    {"cloud", "Act as you in the cloud account, within the credential's permissions: start machines (often for "
              "crypto-mining), read, copy or delete data in storage and databases, create users and keys that outlive "
              "this one, and run up the bill."},
    {"vcs", "Read and change the repositories it reaches: clone private code, push commits (including workflow changes "
            "that run with other secrets), and add deploy keys or collaborators that stay after it is revoked."},
    {"ci", "Trigger and change pipelines and read their logs, artifacts and environment variables, where other "
           "secrets (deploy keys, cloud credentials) live."},
    {"registry", "Publish new versions of your packages: code that every user installs on the next update (a "
                 "supply-chain attack)."},
    {"chat", "Read channels, messages and shared files, and post as your bot or webhook: phishing your own team or "
             "users from a trusted name."},
    {"payments", "Read customer, order and payment data, issue refunds or payouts, and change account settings, "
                 "within the key's scope."},
    {"messaging", "Send e-mail, SMS or other messages as you (phishing from your domain or number), read message "
                  "logs and contact lists, and run up usage charges."},
    {"ai", "Run model requests billed to your account, and read the files, fine-tunes, assistants or conversations "
           "the key can reach."},
    {"observability", "Read your logs, traces and metrics (which often hold personal data and more secrets), send "
                      "false data, or change alerting so that incidents go unnoticed."},
    {"database", "Connect as that database user: read, change or delete its data, and use the connection to reach "
                 "other systems on its network."},
    {"private-key", "Act as whoever holds the key: log in over SSH, decrypt recorded TLS traffic or messages, or sign "
                    "code, commits and tokens that others trust."},
    {"jwt", "Send requests as the token's subject until it expires, with every permission its claims grant."},
    {"identity", "Read what the secrets manager or identity provider holds, or sign in as its users, which opens every "
                 "system those secrets and users reach."},
    {"saas", "Read and change what the account holds in the service (documents, contacts, files, settings), within "
             "the key's scope."},
    {"generic", "Sign in to the service the password or token belongs to, as the account it belongs to."},
    {"password-hash", "Crack the password offline, at the speed of their own hardware and with no lockout: weak and reused "
                      "passwords fall in hours, and then open every system where the same password is used."},
}};

} // namespace

const std::vector<std::string_view>& rule_families() noexcept
{
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> v;
        for (const auto& [family, text] : family_impact) v.push_back(family);
        return v;
    }();
    return names;
}

double security_severity(const Rule& rule) noexcept
{
    // What the family's secrets open (the impact texts above): whole accounts and what they
    // reach first, one service's data last.
    static constexpr std::array<std::pair<std::string_view, double>, 16> by_family{{
        {"cloud", 9.5}, {"identity", 9.5}, {"private-key", 9.0}, {"vcs", 9.0}, {"registry", 9.0}, {"ci", 8.5},
        {"database", 8.5}, {"payments", 8.5}, {"generic", 7.0}, {"jwt", 7.0}, {"saas", 6.5}, {"chat", 6.5},
        {"messaging", 6.5}, {"ai", 6.5}, {"observability", 6.0}, {"password-hash", 5.5},
    }};
    double base = 7.0;
    for (const auto& [family, figure] : by_family)
        if (family == rule.family) base = figure;
    const double less = rule.confidence == Confidence::high ? 0.0 : rule.confidence == Confidence::medium ? 1.0 : 3.0;
    return std::max(0.1, base - less);
}

std::string impact_of(const Rule& rule)
{
    if (!rule.impact.empty()) return rule.impact;
    const auto it = std::find_if(family_impact.begin(), family_impact.end(),
                                 [&rule](const FamilyText& f) { return f.first == rule.family; });
    return it == family_impact.end() ? std::string() : std::string(it->second);
}

} // namespace secretscan
