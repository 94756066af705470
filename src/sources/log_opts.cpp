// --log-opts: the subset of `git log` options a history scan honours (gitleaks users pass them).

#include <secretscan/error.hpp>
#include <secretscan/sources/history.hpp>

#include <array>
#include <cctype>
#include <ctime>
#include <regex>
#include <string>
#include <vector>

namespace secretscan {

namespace {

const char* const supported = "revisions and ranges (A..B, A...B, ^A, B), --all, --branches, --tags, --remotes, "
                              "--since/--after and --until/--before";

[[noreturn]] void bad(const std::string& what)
{
    throw Error(ErrorKind::usage, "--log-opts: " + what);
}

/// Words as a POSIX shell splits them: blanks separate, '...' is literal, "..." and a
/// backslash outside quotes escape (inside "..." only \ " $ ` and newline).
std::vector<std::string> split_words(const std::string& s)
{
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word) words.push_back(std::move(word));
            word.clear();
            in_word = false;
            continue;
        }
        in_word = true;
        if (c == '\\' && i + 1 < s.size()) {
            word += s[++i];
        } else if (c == '\'') {
            const auto end = s.find('\'', i + 1);
            if (end == std::string::npos) bad("unterminated ' in: " + s);
            word += s.substr(i + 1, end - i - 1);
            i = end;
        } else if (c == '"') {
            for (++i; i < s.size() && s[i] != '"'; ++i) {
                if (s[i] == '\\' && i + 1 < s.size() && std::string_view("\\\"$`\n").find(s[i + 1]) != std::string_view::npos) ++i;
                word += s[i];
            }
            if (i >= s.size()) bad("unterminated \" in: " + s);
        } else {
            word += c;
        }
    }
    if (in_word) words.push_back(std::move(word));
    return words;
}

/// "N unit(s) ago" from `now`; months and years move the calendar fields, as git does.
std::optional<std::int64_t> relative_date(const std::string& v, std::int64_t now)
{
    static const std::regex ago(R"(^\s*(\d{1,6})\s*(second|minute|hour|day|week|month|year)s?\s+ago\s*$)", std::regex::icase);
    std::smatch m;
    if (!std::regex_match(v, m, ago)) return std::nullopt;
    const std::int64_t n = std::stoll(m[1]);
    std::string unit = m[2];
    for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static const std::array<std::pair<const char*, std::int64_t>, 5> seconds{
        {{"second", 1}, {"minute", 60}, {"hour", 3600}, {"day", 86400}, {"week", 7 * 86400}}};
    for (const auto& [name, size] : seconds)
        if (unit == name) return now - n * size;
    const std::time_t t = static_cast<std::time_t>(now);
    std::tm tm{};
    localtime_r(&t, &tm);
    (unit == "month" ? tm.tm_mon : tm.tm_year) -= static_cast<int>(n);
    tm.tm_isdst = -1;
    return static_cast<std::int64_t>(std::mktime(&tm));
}

/// YYYY-MM-DD[( |T)HH:MM[:SS]][Z|±HH[:]MM]; local time without a zone.
std::optional<std::int64_t> absolute_date(const std::string& v)
{
    static const std::regex iso(R"(^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$)");
    std::smatch m;
    if (!std::regex_match(v, m, iso)) return std::nullopt;
    std::tm tm{};
    tm.tm_year = std::stoi(m[1]) - 1900;
    tm.tm_mon = std::stoi(m[2]) - 1;
    tm.tm_mday = std::stoi(m[3]);
    tm.tm_hour = m[4].matched ? std::stoi(m[4]) : 0;
    tm.tm_min = m[5].matched ? std::stoi(m[5]) : 0;
    tm.tm_sec = m[6].matched ? std::stoi(m[6]) : 0;
    if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) return std::nullopt;
    if (!m[7].matched) {
        tm.tm_isdst = -1;
        return static_cast<std::int64_t>(std::mktime(&tm));
    }
    std::int64_t offset = 0;
    if (const std::string z = m[7]; z != "Z") {
        const std::string digits = z.substr(1, 2) + z.substr(z.size() - 2);
        offset = (std::stoi(digits.substr(0, 2)) * 3600 + std::stoi(digits.substr(2)) * 60) * (z[0] == '-' ? -1 : 1);
    }
    return static_cast<std::int64_t>(timegm(&tm)) - offset;
}

std::int64_t parse_date(const std::string& option, const std::string& v, std::int64_t now)
{
    if (v.size() > 1 && v[0] == '@' && v.find_first_not_of("0123456789", 1) == std::string::npos) return std::stoll(v.substr(1));
    if (const auto d = absolute_date(v)) return *d;
    if (const auto d = relative_date(v, now)) return *d;
    bad(option + " " + v + ": not a date this scan reads (YYYY-MM-DD[ HH:MM[:SS]][Z|+HH:MM], @SECONDS or 'N days ago'; "
                           "git's other date forms are not read)");
}

} // namespace

HistoryOptions parse_log_opts(const std::string& opts, std::int64_t now)
{
    HistoryOptions o;
    const std::vector<std::string> words = split_words(opts);
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (w == "--all" || w == "--branches" || w == "--tags" || w == "--remotes" || w[0] != '-') {
            o.ranges.push_back(w);
            continue;
        }
        const auto eq = w.find('=');
        const std::string name = w.substr(0, eq);
        if (name != "--since" && name != "--after" && name != "--until" && name != "--before")
            bad(w + " is not supported (the history scan honours " + supported + ")");
        if (eq == std::string::npos && i + 1 == words.size()) bad(name + " needs a date");
        const std::string value = eq == std::string::npos ? words[++i] : w.substr(eq + 1);
        (name == "--since" || name == "--after" ? o.since : o.until) = parse_date(name, value, now);
    }
    if (o.ranges == std::vector<std::string>{"--all"}) o.ranges.clear(); // the default: also tags' messages, loose blobs
    return o;
}

} // namespace secretscan
