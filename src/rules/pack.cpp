#include <secretscan/error.hpp>
#include <secretscan/rules/rule.hpp>
#include <secretscan/engine/validators.hpp>

#include "util/strings.hpp"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

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

namespace {

SourceMark mark_of(const std::string& file, const YAML::Mark& m)
{
    // yaml-cpp marks are 0-based; -1 when unknown.
    SourceMark s;
    s.file = file;
    s.line = m.line >= 0 ? static_cast<std::size_t>(m.line) + 1 : 0;
    s.column = m.column >= 0 ? static_cast<std::size_t>(m.column) + 1 : 0;
    return s;
}

std::string where(const SourceMark& m)
{
    if (m.line == 0) return m.file;
    return m.file + ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
}

[[noreturn]] void fail(const SourceMark& m, const std::string& rule_id, const std::string& what)
{
    std::string msg = where(m) + ": ";
    if (!rule_id.empty()) msg += "rule " + rule_id + ": ";
    throw Error(ErrorKind::config, msg + what);
}

class PackReader {
public:
    PackReader(std::string name, bool check_regex) : m_name(std::move(name)), m_check(check_regex) {}

    std::vector<Rule> read(std::string_view text)
    {
        YAML::Node root;
        try {
            root = YAML::Load(std::string(text));
        } catch (const YAML::Exception& e) {
            fail(mark_of(m_name, e.mark), "", "invalid YAML: " + e.msg);
        }
        if (!root.IsMap()) fail(mark_of(m_name, root.Mark()), "", "a rule pack is a mapping with a 'rules' list");
        for (const auto& kv : root) {
            const auto key = kv.first.as<std::string>();
            if (key != "rules") fail(mark_of(m_name, kv.first.Mark()), "", "unknown top-level key '" + key + "' (expected 'rules')");
        }
        const YAML::Node rules = root["rules"];
        if (!rules || !rules.IsSequence()) fail(mark_of(m_name, root.Mark()), "", "'rules' must be a list of rules");
        std::vector<Rule> out;
        for (const auto& node : rules) out.push_back(read_rule(node));
        return out;
    }

private:
    std::string scalar(const YAML::Node& n, const std::string& key, const std::string& id)
    {
        if (!n.IsScalar()) fail(mark_of(m_name, n.Mark()), id, "'" + key + "' must be a string");
        return n.Scalar();
    }

    std::vector<std::string> list(const YAML::Node& n, const std::string& key, const std::string& id)
    {
        if (!n.IsSequence()) fail(mark_of(m_name, n.Mark()), id, "'" + key + "' must be a list of strings");
        std::vector<std::string> v;
        for (const auto& item : n) v.push_back(scalar(item, key, id));
        return v;
    }

    Rule read_rule(const YAML::Node& node)
    {
        const SourceMark at = mark_of(m_name, node.Mark());
        if (!node.IsMap()) fail(at, "", "each rule must be a mapping");
        Rule r;
        r.mark = at;
        if (const auto id = node["id"]) r.id = scalar(id, "id", "");
        if (r.id.empty()) fail(at, "", "rule without an 'id'");
        if (!is_kebab_case(r.id)) fail(at, r.id, "an id is lowercase kebab-case ([a-z0-9-], starting with a letter)");

        for (const auto& kv : node) {
            const std::string key = kv.first.as<std::string>();
            const YAML::Node& v = kv.second;
            const SourceMark vm = mark_of(m_name, v.Mark());
            if (key == "id") {
            } else if (key == "name") {
                r.name = scalar(v, key, r.id);
            } else if (key == "regex") {
                r.regex = scalar(v, key, r.id);
                r.regex_mark = vm;
            } else if (key == "secret_group") {
                r.secret_group = as_int(v, key, r.id);
                if (r.secret_group < 0) fail(vm, r.id, "'secret_group' must be 0 or a capture group number");
            } else if (key == "keywords") {
                for (auto& k : list(v, key, r.id)) {
                    if (k.empty()) fail(vm, r.id, "a keyword cannot be empty");
                    r.keywords.push_back(ascii_lower(k));
                }
            } else if (key == "multiline") {
                try {
                    r.multiline = v.as<bool>();
                } catch (const YAML::Exception&) {
                    fail(vm, r.id, "'multiline' must be true or false");
                }
            } else if (key == "shared_filter") {
                try {
                    r.shared_filter = v.as<bool>();
                } catch (const YAML::Exception&) {
                    fail(vm, r.id, "'shared_filter' must be true or false");
                }
            } else if (key == "entropy") {
                r.entropy = as_double(v, key, r.id);
                if (r.entropy < 0 || r.entropy > 8) fail(vm, r.id, "'entropy' is bits per byte, between 0 and 8");
            } else if (key == "validate") {
                r.validate = scalar(v, key, r.id);
                if (!find_validator(r.validate)) {
                    std::string known;
                    for (std::string_view n : validator_names()) known += (known.empty() ? "" : ", ") + std::string(n);
                    fail(vm, r.id, "unknown validator '" + r.validate + "' (known: " + known + ")");
                }
            } else if (key == "confidence") {
                const auto c = scalar(v, key, r.id);
                if (c == "high") r.confidence = Confidence::high;
                else if (c == "medium") r.confidence = Confidence::medium;
                else if (c == "low") r.confidence = Confidence::low;
                else fail(vm, r.id, "'confidence' is one of high, medium, low (got '" + c + "')");
            } else if (key == "tags") {
                r.tags = list(v, key, r.id);
            } else if (key == "references") {
                r.references = list(v, key, r.id);
            } else if (key == "remediation") {
                r.remediation = scalar(v, key, r.id);
            } else if (key == "impact") {
                r.impact = scalar(v, key, r.id);
            } else if (key == "examples") {
                r.examples = list(v, key, r.id);
                for (const auto& item : v) r.example_marks.push_back(mark_of(m_name, item.Mark()));
            } else if (key == "negative_examples") {
                r.negative_examples = list(v, key, r.id);
                for (const auto& item : v) r.negative_example_marks.push_back(mark_of(m_name, item.Mark()));
            } else if (key == "allowlist") {
                read_allowlist(v, r);
            } else {
                fail(mark_of(m_name, kv.first.Mark()), r.id, "unknown key '" + key + "'");
            }
        }
        if (r.name.empty()) r.name = r.id;
        if (r.regex.empty()) fail(at, r.id, "rule without a 'regex'");
        if (r.keywords.empty()) fail(at, r.id, "rule without 'keywords': every rule needs a literal prefilter");
        if (m_check) check_regex(r);
        return r;
    }

    void read_allowlist(const YAML::Node& v, Rule& r)
    {
        const SourceMark vm = mark_of(m_name, v.Mark());
        if (!v.IsMap()) fail(vm, r.id, "'allowlist' must be a mapping");
        for (const auto& kv : v) {
            const std::string key = kv.first.as<std::string>();
            if (key == "stopwords") {
                for (auto& s : list(kv.second, key, r.id)) r.allowlist.stopwords.push_back(ascii_lower(s));
            } else {
                fail(mark_of(m_name, kv.first.Mark()), r.id, "unknown allowlist key '" + key + "' (expected: stopwords)");
            }
        }
    }

    int as_int(const YAML::Node& v, const std::string& key, const std::string& id)
    {
        try {
            return v.as<int>();
        } catch (const YAML::Exception&) {
            fail(mark_of(m_name, v.Mark()), id, "'" + key + "' must be an integer");
        }
    }

    double as_double(const YAML::Node& v, const std::string& key, const std::string& id)
    {
        try {
            return v.as<double>();
        } catch (const YAML::Exception&) {
            fail(mark_of(m_name, v.Mark()), id, "'" + key + "' must be a number");
        }
    }

    void check_regex(const Rule& r)
    {
        RE2::Options o;
        o.set_log_errors(false);
        RE2 re(r.regex, o);
        if (!re.ok()) fail(r.regex_mark, r.id, "invalid regex: " + re.error() + "; fix the 'regex' (RE2 syntax)");
        if (r.secret_group > re.NumberOfCapturingGroups())
            fail(r.regex_mark, r.id, "'secret_group' " + std::to_string(r.secret_group) + " but the regex has only " +
                                         std::to_string(re.NumberOfCapturingGroups()) + " capture groups");
    }

    std::string m_name;
    bool m_check;
};

} // namespace

std::vector<Rule> parse_pack(std::string_view yaml_text, const std::string& name, bool check_regex)
{
    return PackReader(name, check_regex).read(yaml_text);
}

std::vector<Rule> load_pack_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::config, path + ": cannot read rule pack: " + errno_message());
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_pack(ss.str(), path, true);
}

std::string_view family_of(const Rule& rule) noexcept
{
    if (rule.tags.size() > 1) return rule.tags[1];
    return rule.tags.empty() ? std::string_view() : std::string_view(rule.tags[0]);
}

std::string impact_of(const Rule& rule)
{
    if (!rule.impact.empty()) return rule.impact;
    static const std::pair<std::string_view, std::string_view> by_family[] = {
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
    };
    const std::string_view fam = family_of(rule);
    for (const auto& [f, text] : by_family)
        if (f == fam) return std::string(text);
    return "";
}

} // namespace secretscan
