#include <secretscan/config/baseline.hpp>
#include <secretscan/error.hpp>

#include "util/files.hpp"
#include "util/yaml.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <ctime>
#include <sstream>
#include <set>

namespace secretscan {

namespace {

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

/// One line of a baseline. Throws Error(config) saying what is wrong with it.
BaselineEntry parse_entry(const std::string& line)
{
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception&) {
        throw Error(ErrorKind::config, "not a JSON object (one entry per line)");
    }
    if (!j.is_object()) throw Error(ErrorKind::config, "not a JSON object (one entry per line)");
    static const std::set<std::string> known = {"fingerprint", "rule_id", "path", "line", "commit", "reason", "expires"};
    for (const auto& [k, v] : j.items())
        if (!known.count(k)) throw Error(ErrorKind::config, unknown_key(k) + " (expected fingerprint, rule_id, path, line, commit, reason, expires)");
    auto text = [&j](const char* key) -> std::string {
        if (!j.contains(key) || j[key].is_null()) return "";
        if (!j[key].is_string()) throw Error(ErrorKind::config, std::string("'") + key + "' must be a string");
        return j[key].get<std::string>();
    };
    BaselineEntry e{text("fingerprint"), text("rule_id"), text("path"), 0, text("commit"), text("reason"), text("expires")};
    if (j.contains("line")) {
        if (!j["line"].is_number_unsigned()) throw Error(ErrorKind::config, "'line' must be a positive number");
        e.line = j["line"].get<std::size_t>();
    }
    if (e.fingerprint.size() != 64 || e.fingerprint.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw Error(ErrorKind::config, "'fingerprint' is 64 hex digits");
    if (j.contains("expires") && !j["expires"].is_null() && !valid_date(e.expires))
        throw Error(ErrorKind::config, "'expires' is a date, YYYY-MM-DD (or null: never)");
    return e;
}

} // namespace

std::vector<BaselineEntry> load_baseline(const std::string& path, const std::string& inside)
{
    std::istringstream in(read_input_file(path, "baseline", inside));
    std::vector<BaselineEntry> out;
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        if (line.empty() || line == "\r") continue;
        try {
            out.push_back(parse_entry(line));
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
        if (it == by_fp.end()) {
            by_fp.emplace(p.fingerprint, p);
            continue;
        }
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

std::map<std::string, std::string> baseline_expiry(const std::vector<BaselineEntry>& entries)
{
    std::map<std::string, std::string> out;
    for (const auto& e : entries) {
        auto [it, fresh] = out.emplace(e.fingerprint, e.expires);
        if (!fresh && (e.expires.empty() || (!it->second.empty() && e.expires > it->second))) it->second = e.expires;
    }
    return out;
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
