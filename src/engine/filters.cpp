#include <secretscan/engine/filters.hpp>

#include "util/strings.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace secretscan {
namespace {

bool is_ident_start(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_ident(char c) noexcept { return is_ident_start(c) || (c >= '0' && c <= '9'); }
bool is_hex(char c) noexcept { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_b64(char c) noexcept { return is_ident(c) || c == '+' || c == '/' || c == '=' || c == '-'; }

/// s is open + identifier + close (close may be empty).
bool wrapped_identifier(std::string_view s, std::string_view open, std::string_view close, bool dots = false) noexcept
{
    if (s.size() < open.size() + close.size() + 1 || !s.starts_with(open) || !s.ends_with(close)) return false;
    const std::string_view id = s.substr(open.size(), s.size() - open.size() - close.size());
    if (!is_ident_start(id.front())) return false;
    return std::all_of(id.begin(), id.end(), [dots](char c) { return is_ident(c) || (dots && (c == '.' || c == '-')); });
}

// Each check returns why the value is in its class ("contains 'example'"), or "" when it is not.

std::string quoted(std::string_view what, std::string_view v) { return std::string(what) + " '" + std::string(v) + "'"; }

/// A template expression opened by `open` at `at`: after optional spaces a name (or a quote, '.',
/// '$', '@', or ERB's '=' and '-' starting one), then `close` later in the value, unless the
/// value starts with the opener: a value cut at white space keeps it unclosed
/// (${DB_PASSWORD:?set it}). The openers a password can hold by chance ("{{", "{%", "%(") always
/// need their closer. UFb4k{{DzV^36n and ...&$(py open nothing.
bool template_at(std::string_view s, std::size_t at, std::string_view open, std::string_view close) noexcept
{
    std::size_t i = at + open.size();
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size() || !(is_ident_start(s[i]) || std::string_view(".$@'\":=-").find(s[i]) != std::string_view::npos)) return false;
    const bool chance = open == "{{" || open == "{%" || open == "%(";
    return (at == 0 && !chance) || s.find(close, i) != std::string_view::npos;
}

std::string why_template(std::string_view s)
{
    // Shell, Compose, Jinja/Go/Handlebars, Ruby, ERB, Python %-format, Hiera and Symfony's env processors.
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> markers{
        {{"${", "}"}, {"{{", "}}"}, {"$(", ")"}, {"#{", "}"}, {"<%", "%>"}, {"%(", ")"}, {"{%", "%}"}, {"%{", "}"}, {"%env(", ")%"}}};
    for (const auto& [open, close] : markers)
        for (std::size_t at = s.find(open); at != std::string_view::npos; at = s.find(open, at + 1))
            if (template_at(s, at, open, close)) return quoted("contains the template marker", open);
    // A <placeholder> anywhere: '<', a letter, then letters, digits, '_', '-', ' ' or '.', then
    // '>', three characters or more inside (a random password holds <kP> now and then).
    for (std::size_t lt = s.find('<'); lt != std::string_view::npos; lt = s.find('<', lt + 1)) {
        std::size_t i = lt + 1;
        if (i >= s.size() || !is_ident_start(s[i])) continue;
        while (i < s.size() && (is_ident(s[i]) || s[i] == '-' || s[i] == ' ' || s[i] == '.')) ++i;
        if (i < s.size() && s[i] == '>' && i - lt > 3) return quoted("contains the placeholder", s.substr(lt, i + 1 - lt));
    }
    // A {placeholder} anywhere: '{', a lower-case name, optionally ':' and a size, then '}'
    // (format strings, documentation: {password}, {hex:32}). Encrypted values in braces
    // (Jenkins' {AQAAAB...}) are mixed case.
    for (std::size_t lb = s.find('{'); lb != std::string_view::npos; lb = s.find('{', lb + 1)) {
        std::size_t i = lb + 1;
        while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' || (i > lb + 1 && s[i] >= '0' && s[i] <= '9'))) ++i;
        if (i == lb + 1) continue;
        if (i < s.size() && s[i] == ':')
            while (++i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '-')) {}
        if (i < s.size() && s[i] == '}') return quoted("contains the placeholder", s.substr(lb, i + 1 - lb));
    }
    // Perl's and PHP's interpolated $config{KEY}, $opts['pw'], $self->{pass}; a path or a name
    // under a variable: $dir/private/cakey.pem, $insta::secret (OpenSSL's configuration).
    if (s.size() > 2 && s[0] == '$' && is_ident_start(s[1])) {
        std::size_t i = 1;
        while (i < s.size() && is_ident(s[i])) ++i;
        if (i < s.size() && (s[i] == '{' || s[i] == '[' || s[i] == '/' || s.substr(i).starts_with("->") || s.substr(i).starts_with("::")))
            return "is a variable reference";
    }
    if (wrapped_identifier(s, "$", "") || wrapped_identifier(s, "$env:", "") || wrapped_identifier(s, "%", "%") || wrapped_identifier(s, "@", "@", true))
        return "is a variable reference";
    return "";
}

std::string why_placeholder(std::string_view s)
{
    static constexpr std::array<std::string_view, 13> words{"example", "placeholder", "changeme", "change_me", "replace_me", "replaceme",
                                                            "your_",   "your-",       "redacted", "dummy",     "xxxx",       "****",
                                                            "...."};
    // As people type them: lower case, upper case or capitalised ("example", "EXAMPLE",
    // "Example"); a random mixed-case token holds "xXXx" or "DUmMy" now and then, and it is
    // still a token (in 1,000 random 1Password or Perplexity keys, 1 to 4 did).
    const std::string lower = ascii_lower(s);
    for (std::string_view w : words)
        for (std::size_t at = lower.find(w); at != std::string::npos; at = lower.find(w, at + 1)) {
            const std::string_view typed = s.substr(at, w.size());
            bool all_lower = true, all_upper = true, capitalised = std::isupper(static_cast<unsigned char>(typed[0])) != 0;
            for (std::size_t i = 0; i < typed.size(); ++i) {
                const unsigned char c = static_cast<unsigned char>(typed[i]);
                if (std::isupper(c)) all_lower = false;
                if (std::islower(c)) all_upper = false;
                if (i > 0 && std::isupper(c)) capitalised = false;
            }
            if (all_lower || all_upper || capitalised) return quoted("contains", typed);
        }
    // Values published in providers' documentation, reported by every scanner that lacks them:
    // jwt.io's example tokens (their signatures, the older and the current one) and the test
    // keys in Stripe's API reference.
    // RFC 6749's (OAuth 2.0) and RFC 5849's (OAuth 1.0) example tokens, client secrets and
    // nonces, quoted by every OAuth library's documentation and tests.
    static constexpr std::array<std::string_view, 17> documented{
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "KMUFsIDTnFmyG3nMiGM6H9FNFUROf3wh7SmqJp-QV30", "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "sk_test_BQokikJOvBiI2HlWgH4olfQ2",            "2YotnFZFEjr1zCsicMWpAA",                       "tGzv3JOkF0XG5Qx2TlKWIA",
        "SplxlOBeZQQYbYS6WxSbIA",                      "czZCaGRSa3F0MzpnWDFmQmF0M2JW",                 "gX1fBat3bV",
        "ad180jjd733klru7",                            "kd94hf93k423kf44",                             "hh5s93j4hdidpola",
        "nnch734d00sl2jdk",                            "pfkkdhi9sl3r4s00",                             "hdhd0244k9j7ao03",
        "dpf43f3p2l4k3l03",                            "7Fjfp0ZBr1KtDRbnfVdmIw"};
    for (std::string_view d : documented)
        if (s.find(d) != std::string_view::npos) return "is a value published in documentation";
    // A run of 6+ equal or ascending characters that is at least a quarter of the value: typed
    // filler ("000000", "123456789012"). Encoded binary structures have runs too (the zero bytes
    // of an OpenSSH key body encode as "AAAAAA"), but short against their length.
    std::size_t same = 1, ascending = 1, longest = 1, end = 0;
    for (std::size_t i = 1; i < s.size(); ++i) {
        same = s[i] == s[i - 1] ? same + 1 : 1;
        ascending = (is_ident(s[i]) && s[i] == s[i - 1] + 1) ? ascending + 1 : 1;
        if (std::max(same, ascending) > longest) {
            longest = std::max(same, ascending);
            end = i + 1;
        }
    }
    if (longest >= 6 && longest * 4 >= s.size()) return quoted("has the run", s.substr(end - longest, longest)) + ", a quarter of it or more";
    return "";
}

/// The letters of a value as a person typed them: lower-cased, a digit or symbol between two
/// letters read as the letter it stands for (P4ssw0rd, p@ss), other digits and symbols dropped.
std::string typed_letters(std::string_view s)
{
    auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (letter(c)) {
            out += static_cast<char>(c | 0x20);
            continue;
        }
        if (i == 0 || i + 1 == s.size() || !letter(s[i - 1]) || !letter(s[i + 1])) continue;
        switch (c) {
        case '4': case '@': out += 'a'; break;
        case '0': out += 'o'; break;
        case '3': out += 'e'; break;
        case '5': case '$': out += 's'; break;
        case '1': case '!': out += 'i'; break;
        case '7': out += 't'; break;
        default: break;
        }
    }
    return out;
}

enum class FixtureWord { none, filler, weak, test };

FixtureWord fixture_word(std::string_view w)
{
    static constexpr std::array<std::string_view, 10> weak{"pass", "password", "passwd", "secret", "qwerty", "hunter", "letmein",
                                                           "changeit", "admin", "root"};
    static constexpr std::array<std::string_view, 14> test{"test", "testing", "tester", "fake", "mock", "sample", "dummy", "foo",
                                                           "bar", "baz", "foobar", "demo", "temp", "tmp"};
    static constexpr std::array<std::string_view, 12> filler{"my",  "the", "your", "our", "super", "default",
                                                             "some", "new", "old", "value", "key", "here"};
    if (std::find(weak.begin(), weak.end(), w) != weak.end()) return FixtureWord::weak;
    if (std::find(test.begin(), test.end(), w) != test.end()) return FixtureWord::test;
    if (std::find(filler.begin(), filler.end(), w) != filler.end()) return FixtureWord::filler;
    return FixtureWord::none;
}

/// The fixture word `letters` is made of ("password", "test"), when it is one weak word, or
/// words of which one is a test word (testpass, mockpassword), with fillers (my, super) around;
/// "" otherwise (secretpassword, briapass: chosen by someone).
std::string fixture_spelling(const std::string& letters)
{
    // best[i]: (weak words, test words, the first non-filler word) of a split of letters[0, i).
    struct Split { int weak = -1, test = 0; std::string word; };
    std::vector<Split> best(letters.size() + 1);
    best[0].weak = 0;
    for (std::size_t i = 0; i < letters.size(); ++i) {
        if (best[i].weak < 0) continue;
        for (std::size_t len = 2; i + len <= letters.size() && len <= 8; ++len) {
            const std::string_view w(letters.data() + i, len);
            const FixtureWord kind = fixture_word(w);
            if (kind == FixtureWord::none) continue;
            Split next = best[i];
            next.weak += kind == FixtureWord::weak, next.test += kind == FixtureWord::test;
            if (next.word.empty() && kind != FixtureWord::filler) next.word = std::string(w);
            if (best[i + len].weak < 0 || next.test > best[i + len].test) best[i + len] = next;
        }
    }
    const Split& all = best[letters.size()];
    if (all.weak < 0 || all.word.empty()) return "";
    return (all.test > 0 || all.weak == 1) ? all.word : "";
}

/// Whether the digits of `s` that do not stand for letters (typed_letters) are four or more and
/// not a run (1234, 0000): a number someone chose, a year or a PIN (Qwerty.74055442, Adm1n1997!),
/// which makes a weak word a deployed password rather than a fixture (password123, Passw0rd!).
bool chosen_digits(std::string_view s)
{
    auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    std::string digits;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] >= '0' && s[i] <= '9' && !(i > 0 && i + 1 < s.size() && letter(s[i - 1]) && letter(s[i + 1]))) digits += s[i];
    if (digits.size() < 4) return false;
    bool same = true, up = true, down = true;
    for (std::size_t i = 1; i < digits.size(); ++i) {
        same = same && digits[i] == digits[i - 1];
        up = up && digits[i] == digits[i - 1] + 1;
        down = down && digits[i] == digits[i - 1] - 1;
    }
    return !(same || up || down);
}

/// Generic rules: a value that spells a well-known test or weak password, also with digits for
/// letters (P4ssw0rd, password123, testpass): fixtures, not deployed secrets. Passwords people
/// choose around such words (S3cr3tPassw0rd, bria@pass135!, Qwerty.74055442) are not fixtures.
std::string why_fixture(std::string_view s)
{
    if (s.size() < 6) return "is shorter than 6 characters"; // shorter than password policies allow (NIST SP 800-63B: 8)
    const std::string lower = ascii_lower(s);
    if (const std::string w = fixture_spelling(typed_letters(s)); !w.empty() && !chosen_digits(s)) return quoted("spells the test word", w);
    // Documented default credentials, as the whole value: RabbitMQ's guest, MySQL's and
    // PostgreSQL's superusers, Java keystores' changeit.
    static constexpr std::array<std::string_view, 12> defaults{"pass", "root", "toor", "guest", "admin", "user", "postgres",
                                                               "mysql", "default", "changeit", "demo", "pw"};
    if (std::find(defaults.begin(), defaults.end(), lower) != defaults.end()) return "is a documented default credential";
    return "";
}

bool all_hex(std::string_view s) noexcept { return !s.empty() && std::all_of(s.begin(), s.end(), is_hex); }

bool is_hash(std::string_view s) noexcept
{
    static constexpr std::array<std::size_t, 6> digest_lengths{32, 40, 56, 64, 96, 128};
    if (all_hex(s) && std::find(digest_lengths.begin(), digest_lengths.end(), s.size()) != digest_lengths.end()) return true;
    for (std::string_view p : {std::string_view("sha256-"), std::string_view("sha384-"), std::string_view("sha512-"), std::string_view("h1:")})
        if (s.starts_with(p) && s.size() > p.size() + 20 && std::all_of(s.begin() + static_cast<std::ptrdiff_t>(p.size()), s.end(), is_b64))
            return true;
    for (std::string_view p : {std::string_view("sha1:"), std::string_view("sha256:"), std::string_view("sha512:"), std::string_view("md5:")})
        if (s.starts_with(p) && all_hex(s.substr(p.size())) && s.size() - p.size() >= 32) return true;
    return false;
}

bool is_uuid(std::string_view s) noexcept
{
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < 36; ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
    }
    return true;
}

} // namespace

std::string_view to_string(FilterClass c) noexcept
{
    switch (c) {
    case FilterClass::none: return "none";
    case FilterClass::template_: return "template";
    case FilterClass::placeholder: return "placeholder";
    case FilterClass::fixture: return "fixture";
    case FilterClass::hash: return "hash";
    case FilterClass::uuid: return "uuid";
    case FilterClass::example_host: return "example-host";
    case FilterClass::lockfile: return "lockfile";
    }
    return "none";
}

FilterVerdict explain_secret(std::string_view secret, bool generic)
{
    if (std::string why = why_template(secret); !why.empty()) return {FilterClass::template_, why};
    if (std::string why = why_placeholder(secret); !why.empty()) return {FilterClass::placeholder, why};
    if (generic)
        if (std::string why = why_fixture(secret); !why.empty()) return {FilterClass::fixture, why};
    if (generic && is_hash(secret)) return {FilterClass::hash, "is a digest"};
    if (generic && is_uuid(secret)) return {FilterClass::uuid, "is a UUID"};
    return {FilterClass::none, ""};
}

FilterClass classify_secret(std::string_view secret, bool generic) noexcept
{
    try {
        return explain_secret(secret, generic).cls;
    } catch (...) { // out of memory: keep the match
        return FilterClass::none;
    }
}

bool credentials_for_example_host(std::string_view text, std::size_t secret_end) noexcept
{
    if (secret_end >= text.size() || text[secret_end] != '@') return false;
    std::size_t h = secret_end + 1;
    while (h < text.size() && (std::isalnum(static_cast<unsigned char>(text[h])) || text[h] == '.' || text[h] == '-')) ++h;
    return is_example_host(text.substr(secret_end + 1, h - secret_end - 1));
}

bool is_lockfile(std::string_view path) noexcept
{
    static constexpr std::array<std::string_view, 23> names{
        "package-lock.json", "npm-shrinkwrap.json", "yarn.lock",      "pnpm-lock.yaml",  "bun.lock",       "deno.lock",
        "Cargo.lock",        "go.sum",              "poetry.lock",    "Pipfile.lock",    "pdm.lock",       "uv.lock",
        "Gemfile.lock",      "composer.lock",       "packages.lock.json", "paket.lock",  "flake.lock",     "mix.lock",
        "pubspec.lock",      "Podfile.lock",        "Package.resolved", "gradle.lockfile", "conan.lock"};
    const std::size_t slash = path.rfind('/');
    const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
    return std::find(names.begin(), names.end(), base) != names.end();
}

bool is_example_host(std::string_view host) noexcept
{
    std::string h = ascii_lower(host);
    while (!h.empty() && h.back() == '.') h.pop_back();
    auto is_or_under = [&h](std::string_view domain) {
        return h == domain || (h.size() > domain.size() && h.ends_with(domain) && h[h.size() - domain.size() - 1] == '.');
    };
    for (std::string_view d : {"example.com", "example.net", "example.org", "example", "test", "invalid"})
        if (is_or_under(d)) return true;
    return false;
}

} // namespace secretscan
