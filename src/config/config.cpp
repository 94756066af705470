#include <secretscan/config/config.hpp>
#include <secretscan/error.hpp>

#include "git/repository.hpp"
#include "util/strings.hpp"

#include <nlohmann/json.hpp>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <ctime>
#include <fnmatch.h>
#include <set>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace secretscan {

namespace {

[[noreturn]] void fail(const std::string& file, const YAML::Mark& m, const std::string& what)
{
    std::string where = file;
    if (m.line >= 0) where += ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
    throw Error(ErrorKind::config, where + ": " + what);
}

std::string mark_text(const std::string& file, const YAML::Mark& m)
{
    return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

std::vector<std::string> strings(const std::string& file, const YAML::Node& n, const std::string& key)
{
    if (!n.IsSequence()) fail(file, n.Mark(), "'" + key + "' must be a list of strings");
    std::vector<std::string> out;
    for (const auto& item : n) {
        if (!item.IsScalar()) fail(file, item.Mark(), "'" + key + "' must be a list of strings");
        out.push_back(item.Scalar());
    }
    return out;
}

bool valid_date(const std::string& d)
{
    if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
    const int y = std::stoi(d.substr(0, 4)), m = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || day < 1) return false;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return day <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool segments_match(const std::vector<std::string>& g, std::size_t gi, const std::vector<std::string>& p, std::size_t pi)
{
    if (gi == g.size()) return pi == p.size();
    if (g[gi] == "**") {
        for (std::size_t k = pi; k <= p.size(); ++k)
            if (segments_match(g, gi + 1, p, k)) return true;
        return false;
    }
    return pi < p.size() && fnmatch(g[gi].c_str(), p[pi].c_str(), FNM_PERIOD) == 0 && segments_match(g, gi + 1, p, pi + 1);
}

std::vector<std::string> split_path(const std::string& s)
{
    std::vector<std::string> out;
    std::string part;
    for (char c : s) {
        if (c == '/') {
            if (!part.empty()) out.push_back(part);
            part.clear();
        } else {
            part += c;
        }
    }
    if (!part.empty()) out.push_back(part);
    return out;
}

} // namespace

bool glob_match(const std::string& glob, const std::string& path)
{
    const std::vector<std::string> p = split_path(path);
    if (glob.find('/') == std::string::npos) { // a name at any depth
        for (const auto& seg : p)
            if (fnmatch(glob.c_str(), seg.c_str(), FNM_PERIOD) == 0) return true;
        return false;
    }
    std::vector<std::string> g = split_path(glob);
    // "dir/" or "dir/**": everything below; a trailing "**" already does that.
    if (!glob.empty() && glob.back() == '/') g.push_back("**");
    if (segments_match(g, 0, p, 0)) return true;
    g.push_back("**"); // a folder glob covers what is inside it
    return segments_match(g, 0, p, 0);
}

void load_config_file(const std::string& path, Config& into)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::usage, path + ": cannot read the configuration file: " + errno_message());
    std::ostringstream text;
    text << in.rdbuf();
    YAML::Node root;
    try {
        root = YAML::Load(text.str());
    } catch (const YAML::Exception& e) {
        fail(path, e.mark, "invalid YAML: " + e.msg);
    }
    into.files.push_back(path);
    if (root.IsNull()) return; // an empty file
    if (!root.IsMap()) fail(path, root.Mark(), "a configuration file is a mapping (rules, disable, allowlist, baseline)");
    const fs::path base = fs::absolute(path).parent_path();
    std::set<std::string> seen_keys;
    for (const auto& kv : root) {
        const std::string key = kv.first.Scalar();
        const YAML::Node& v = kv.second;
        if (!seen_keys.insert(key).second) fail(path, kv.first.Mark(), "'" + key + "' is given twice");
        if (key == "rules") {
            const auto packs = strings(path, v, key);
            for (std::size_t i = 0; i < packs.size(); ++i) {
                const std::string full = (base / packs[i]).lexically_normal().string();
                into.rule_packs.push_back(full);
                into.origin[full] = mark_text(path, v[i].Mark());
            }
        } else if (key == "disable") {
            const auto ids = strings(path, v, key);
            for (std::size_t i = 0; i < ids.size(); ++i) {
                into.disabled.push_back(ids[i]);
                into.origin[ids[i]] = mark_text(path, v[i].Mark());
            }
        } else if (key == "baseline") {
            if (!v.IsScalar()) fail(path, v.Mark(), "'baseline' must be a file name");
            const std::string full = (base / v.Scalar()).lexically_normal().string();
            into.baselines.push_back(full);
            into.origin[full] = mark_text(path, v.Mark());
        } else if (key == "allowlist") {
            if (!v.IsMap()) fail(path, v.Mark(), "'allowlist' must be a mapping (paths, secrets, stopwords)");
            for (const auto& a : v) {
                const std::string k = a.first.Scalar();
                if (k == "paths") {
                    for (auto& g : strings(path, a.second, k)) into.allowlist.paths.push_back(g);
                } else if (k == "secrets") {
                    std::size_t i = 0;
                    for (auto& r : strings(path, a.second, k)) {
                        RE2::Options o;
                        o.set_log_errors(false);
                        RE2 re(r, o);
                        if (!re.ok()) fail(path, a.second[i].Mark(), "allowlist secret regex '" + r + "': " + re.error());
                        into.allowlist.secrets.push_back(r);
                        ++i;
                    }
                } else if (k == "stopwords") {
                    for (auto& w : strings(path, a.second, k)) into.allowlist.stopwords.push_back(ascii_lower(w));
                } else {
                    fail(path, a.first.Mark(), "unknown allowlist key '" + k + "' (expected paths, secrets, stopwords)");
                }
            }
        } else {
            fail(path, kv.first.Mark(), "unknown key '" + key + "' (expected rules, disable, allowlist, baseline)");
        }
    }
}

Config load_config(const std::string& dir, const std::string& explicit_file)
{
    Config c;
    std::error_code ec;
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    fs::path user;
    if (xdg && *xdg) user = fs::path(xdg) / "secretscan" / "config.yaml";
    else if (home && *home) user = fs::path(home) / ".config" / "secretscan" / "config.yaml";
    if (!user.empty() && fs::exists(user, ec)) load_config_file(user.string(), c);
    git::init();
    git_repository* raw = nullptr;
    if (git_repository_open_ext(&raw, dir.c_str(), 0, nullptr) == 0) {
        git::Repository repo(raw);
        if (const auto top = git::workdir(repo.get())) {
            const fs::path repo_config = fs::path(*top) / ".secretscan.yaml";
            if (fs::exists(repo_config, ec)) load_config_file(repo_config.string(), c);
        }
    }
    if (!explicit_file.empty()) load_config_file(explicit_file, c);
    return c;
}

std::vector<BaselineEntry> load_baseline(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorKind::usage, path + ": cannot read the baseline: " + errno_message());
    std::vector<BaselineEntry> out;
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        if (line.empty() || line == "\r") continue;
        try {
            nlohmann::json j;
            try {
                j = nlohmann::json::parse(line);
            } catch (const nlohmann::json::exception&) {
                throw Error(ErrorKind::config, "not a JSON object (one entry per line)");
            }
            if (!j.is_object()) throw Error(ErrorKind::config, "not a JSON object (one entry per line)");
            static const std::set<std::string> known = {"fingerprint", "rule_id", "path", "line", "commit", "reason", "expires"};
            for (const auto& [k, v] : j.items())
                if (!known.count(k)) throw Error(ErrorKind::config, "unknown key '" + k + "' (expected fingerprint, rule_id, path, line, commit, reason, expires)");
            auto text = [&j](const char* key) -> std::string {
                if (!j.contains(key) || j[key].is_null()) return "";
                if (!j[key].is_string()) throw Error(ErrorKind::config, std::string("'") + key + "' must be a string");
                return j[key].get<std::string>();
            };
            BaselineEntry e;
            e.fingerprint = text("fingerprint");
            e.rule_id = text("rule_id");
            e.path = text("path");
            e.commit = text("commit");
            e.reason = text("reason");
            e.expires = text("expires");
            if (j.contains("line")) {
                if (!j["line"].is_number_unsigned()) throw Error(ErrorKind::config, "'line' must be a positive number");
                e.line = j["line"].get<std::size_t>();
            }
            if (e.fingerprint.size() != 64 || e.fingerprint.find_first_not_of("0123456789abcdef") != std::string::npos)
                throw Error(ErrorKind::config, "'fingerprint' is 64 hex digits");
            if (j.contains("expires") && !j["expires"].is_null() && !valid_date(e.expires))
                throw Error(ErrorKind::config, "'expires' is a date, YYYY-MM-DD (or null: never)");
            out.push_back(std::move(e));
        } catch (const Error& e) {
            throw Error(ErrorKind::config, path + ":" + std::to_string(n) + ": " + e.what());
        }
    }
    return out;
}

std::vector<BaselineEntry> make_baseline(const std::vector<Finding>& findings, const std::vector<BaselineEntry>& previous)
{
    std::map<std::string, BaselineEntry> by_fp;
    for (const Finding& f : findings) {
        if (by_fp.count(f.fingerprint)) continue;
        BaselineEntry e;
        e.fingerprint = f.fingerprint;
        e.rule_id = f.rule_id;
        e.path = display_location(f);
        e.line = f.line;
        e.commit = f.commit;
        by_fp.emplace(f.fingerprint, std::move(e));
    }
    for (const BaselineEntry& p : previous) {
        const auto it = by_fp.find(p.fingerprint);
        if (it == by_fp.end()) continue;
        it->second.reason = p.reason;
        it->second.expires = p.expires;
    }
    std::vector<BaselineEntry> out;
    for (auto& [fp, e] : by_fp) out.push_back(std::move(e));
    return out;
}

std::string baseline_text(const std::vector<BaselineEntry>& entries)
{
    std::string out;
    for (const BaselineEntry& e : entries) {
        nlohmann::ordered_json j;
        j["fingerprint"] = e.fingerprint;
        j["rule_id"] = e.rule_id;
        j["path"] = e.path;
        j["line"] = e.line;
        if (!e.commit.empty()) j["commit"] = e.commit;
        j["reason"] = e.reason;
        j["expires"] = e.expires.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(e.expires);
        out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    }
    return out;
}

struct FindingFilter::Impl {
    Allowlist allowlist;
    std::vector<std::unique_ptr<RE2>> secrets;
    std::map<std::string, std::string> baseline; // fingerprint -> expires ("" never)
    std::string today;
};

FindingFilter::FindingFilter(const Allowlist& allowlist, const std::vector<BaselineEntry>& baseline, std::string today)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->allowlist = allowlist;
    m_impl->today = std::move(today);
    RE2::Options o;
    o.set_log_errors(false);
    for (const auto& r : allowlist.secrets) {
        auto re = std::make_unique<RE2>(r, o);
        if (!re->ok()) throw Error(ErrorKind::config, "allowlist secret regex '" + r + "': " + re->error());
        m_impl->secrets.push_back(std::move(re));
    }
    for (const auto& e : baseline) {
        auto [it, fresh] = m_impl->baseline.emplace(e.fingerprint, e.expires);
        if (!fresh && (e.expires.empty() || (!it->second.empty() && e.expires > it->second))) it->second = e.expires;
    }
}

FindingFilter::~FindingFilter() = default;
FindingFilter::FindingFilter(FindingFilter&&) noexcept = default;
FindingFilter& FindingFilter::operator=(FindingFilter&&) noexcept = default;

void FindingFilter::apply(std::vector<Finding>& findings) const
{
    const Impl& m = *m_impl;
    std::erase_if(findings, [&m](Finding& f) {
        if (!f.path.empty())
            for (const auto& g : m.allowlist.paths)
                if (glob_match(g, f.path)) return true;
        for (const auto& re : m.secrets)
            if (RE2::PartialMatch(f.secret, *re)) return true;
        if (!m.allowlist.stopwords.empty()) {
            const std::string lower = ascii_lower(f.secret);
            for (const auto& w : m.allowlist.stopwords)
                if (lower.find(w) != std::string::npos) return true;
        }
        const auto it = m.baseline.find(f.fingerprint);
        if (it == m.baseline.end()) return false;
        if (it->second.empty() || m.today <= it->second) return true;
        f.baseline_expired = true;
        return false;
    });
}

std::string today_utc()
{
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

} // namespace secretscan
