// The "assignment" and "login-call" detectors (engine/detectors.hpp): secret-named keys and the
// values they are given, in the syntaxes of configuration files and code.

#include "engine/detectors/syntax.hpp"

#include <algorithm>
#include <array>

namespace secretscan::detect {

namespace {

/// Words that may follow the secret word in a key and keep it a secret: DB_PASSWORD_PROD,
/// api_key_value, SECRET_KEY_BASE. Anything else (PASSWORD_MIN_LENGTH, token_url) names
/// something about the secret, not the secret.
bool keeps_secret(std::string_view w)
{
    static constexpr std::array<std::string_view, 35> words{
        "key",  "keys",     "access",     "secret", "token", "value",      "val",     "str",   "string", "b64",  "base64", "hex",  "enc",
        "text", "plain",    "raw",    "data",  "prod",       "production", "dev", "development", "staging", "stage", "local",
        "live", "sandbox",  "main",   "primary", "secondary", "backup", "old",   "new",   "base",  "cleartext", "plaintext"};
    return std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
           std::find(words.begin(), words.end(), w) != words.end();
}

/// Whether `words` (a key's) hold keyword `kw` (its words joined), as consecutive words joined
/// (apiKey, api_key and apikey all hold "apikey") or, for a keyword of 5 letters or more, as the
/// end of one compound word (dbpassword); followed only by words that keep it a secret.
bool secret_key(const std::vector<std::string>& words, const std::string& kw)
{
    for (std::size_t i = 0; i < words.size(); ++i) {
        std::string joined;
        for (std::size_t j = i; j < words.size() && joined.size() < kw.size(); ++j) {
            joined += words[j];
            const bool compound = j == i && kw.size() >= 5 && joined.size() > kw.size() + 1 && joined.ends_with(kw);
            if ((joined == kw || compound) &&
                std::all_of(words.begin() + static_cast<std::ptrdiff_t>(j + 1), words.end(), keeps_secret))
                return true;
        }
    }
    return false;
}

bool alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
bool lower(char c) noexcept { return c >= 'a' && c <= 'z'; }

/// Whether a keyword of `n` bytes found at `p` starts and ends a word of its key, as split_words
/// splits (or ends a compound word, for keywords of 5 letters or more): a cheap test that spares
/// split_words for "bypass", "compass" and "passed".
bool at_word_bounds(std::string_view t, std::size_t p, std::size_t n, bool compound) noexcept
{
    const bool starts = p == 0 || !alpha(t[p]) || !alpha(t[p - 1]) || (lower(t[p - 1]) && upper(t[p])) || compound;
    const std::size_t e = p + n;
    const bool ends = e >= t.size() || !alpha(t[e - 1]) || !alpha(t[e]) || (lower(t[e - 1]) && upper(t[e])) ||
                      (upper(t[e - 1]) && upper(t[e]) && e + 1 < t.size() && lower(t[e + 1]));
    return starts && ends;
}

/// The key containing byte `p` of `text`, if it is a secret-named key for `kw`.
std::optional<Span> key_at(std::string_view text, std::size_t p, const std::string& kw)
{
    const Span key = identifier_around(text, p);
    const std::string_view name = text.substr(key.b, key.e - key.b);
    if (name == "PWD" || name == "OLDPWD") return std::nullopt; // the shell's working directory, not a password
    if (key.e - key.b > 128 || !secret_key(split_words(name), kw)) return std::nullopt;
    return key;
}

void assignment(const Rule& rule, std::size_t rule_index, std::string_view text, std::size_t begin, std::size_t end,
                std::vector<RawMatch>& out)
{
    std::vector<std::pair<Span, Span>> found; // key, value
    for (const std::string& keyword : rule.keywords) {
        std::size_t p = find_ci(text, begin, end, keyword);
        if (p == npos) continue;
        std::string kw; // the keyword's words joined: "api_key" -> "apikey" (keywords are lower case)
        for (char c : keyword)
            if (alpha(c) || (c >= '0' && c <= '9')) kw += c;
        for (; p != npos; p = find_ci(text, p + 1, end, keyword)) {
            if (!at_word_bounds(text, p, keyword.size(), kw.size() >= 5)) continue;
            const auto key = key_at(text, p, kw);
            if (!key || std::any_of(found.begin(), found.end(), [&](const auto& f) { return f.first.b == key->b; })) continue;
            if (const auto value = value_after(text, *key)) found.emplace_back(*key, *value);
        }
    }
    append_matches(rule_index, found, out);
}

/// A call whose name holds the keyword, with two or more arguments, the last a string literal.
void login_call(const Rule& rule, std::size_t rule_index, std::string_view text, std::size_t begin, std::size_t end,
                std::vector<RawMatch>& out)
{
    std::vector<std::pair<Span, Span>> found;
    for (const std::string& keyword : rule.keywords)
        for (std::size_t p = find_ci(text, begin, end, keyword); p != npos; p = find_ci(text, p + 1, end, keyword)) {
            const Span name = identifier_around(text, p);
            if (std::any_of(found.begin(), found.end(), [&](const auto& f) { return f.first.b == name.b; })) continue;
            if (const auto value = last_literal_argument(text, name.e)) found.emplace_back(name, *value);
        }
    append_matches(rule_index, found, out);
}

} // namespace

DetectorFn assignment_detector() noexcept
{
    return assignment;
}

DetectorFn login_call_detector() noexcept
{
    return login_call;
}

} // namespace secretscan::detect
