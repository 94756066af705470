#include "engine/detectors/syntax.hpp"

#include <algorithm>
#include <cstring>

namespace secretscan::detect {

namespace {

constexpr std::size_t max_value = 256; // longer values are data, not a credential someone typed

bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
bool is_key_char(char c) noexcept { return is_alpha(c) || is_digit(c) || c == '_' || c == '.' || c == '-'; }
bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }
bool is_quote(char c) noexcept { return c == '"' || c == '\'' || c == '`'; }

char lower(char c) noexcept { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

std::size_t skip_blanks(std::string_view t, std::size_t p) noexcept
{
    while (p < t.size() && is_blank(t[p])) ++p;
    return p;
}

/// A quoted string starting at `p` (an optional b/r/u/f/@ prefix, then ' " or `), on one line,
/// backslash escapes skipped: the span inside the quotes.
std::optional<Span> quoted_at(std::string_view t, std::size_t p)
{
    if (p + 1 < t.size() && std::string_view("bBrRuUfF@").find(t[p]) != npos && is_quote(t[p + 1])) ++p;
    if (p >= t.size() || !is_quote(t[p])) return std::nullopt;
    const char q = t[p];
    for (std::size_t i = p + 1; i < t.size() && t[i] != '\n'; ++i) {
        if (t[i] == '\\') ++i;
        else if (t[i] == q) return Span{p + 1, i};
    }
    return std::nullopt;
}

/// Whether the '(' or '[' at `p` of the unquoted value starting at `start` opens a call's
/// arguments or an index, which end the value: a '(' after a name, closed later on the line
/// (getpass.getpass("Password: "), Field(..., min_length=8)); a '[' holding a quoted string, a
/// number or a name (config['x'], argv[1]). A password holding brackets (to[4MN_Lg:+w;c3]oSR,
/// G[6c(F,%+oo) does not.
bool opens_call(std::string_view t, std::size_t start, std::size_t p) noexcept
{
    const std::size_t eol = line_end(t, p);
    if (t[p] == '(') {
        // A name, with the separators of static and member calls: Hash::make(, $this->load(.
        auto name_char = [](char c) { return is_key_char(c) || c == ':' || c == '>' || c == '$'; };
        if (p == start || !(is_alpha(t[start]) || t[start] == '$' || t[start] == '_') ||
            !std::all_of(t.begin() + static_cast<std::ptrdiff_t>(start), t.begin() + static_cast<std::ptrdiff_t>(p), name_char))
            return false;
        return t.find(')', p) < eol;
    }
    const std::size_t close = t.find(']', p);
    if (close >= eol || close == p + 1) return false;
    const std::string_view inside = t.substr(p + 1, close - p - 1);
    if (is_quote(inside.front())) return inside.size() >= 2 && inside.back() == inside.front();
    return std::all_of(inside.begin(), inside.end(), [](char c) { return is_alpha(c) || is_digit(c) || c == '_'; });
}

/// An unquoted value at `p`: to white space (or a quote, a call's '(' or an index's '[', or a
/// closing tag's "</"; a <placeholder> stays in it), its trailing , ; ) } ] removed.
Span bare_at(std::string_view t, std::size_t p) noexcept
{
    std::size_t e = p;
    while (e < t.size() && std::string_view(" \t\r\n\"'`").find(t[e]) == npos && !(t[e] == '<' && e + 1 < t.size() && t[e + 1] == '/') &&
           !((t[e] == '(' || t[e] == '[') && opens_call(t, p, e)))
        ++e;
    // Trailing punctuation of the statement (, ; and a sentence's :) and closers without their opener.
    for (bool more = true; more && e > p;) {
        const char c = t[e - 1];
        const std::string_view v = t.substr(p, e - p);
        const char opener = c == ')' ? '(' : c == '}' ? '{' : c == ']' ? '[' : '\0';
        more = c == ',' || c == ';' || c == ':' || (opener && v.find(opener) == npos);
        if (more) --e;
    }
    return {p, e};
}

/// `v` without escape sequences that end a string printed by code (printf "password=x\n") and
/// without escaped quotes around it ("\"$token\"": the value is $token, quoted once more).
Span without_trailing_escapes(std::string_view t, Span v) noexcept
{
    while (v.e >= v.b + 2 && t[v.e - 2] == '\\' && (t[v.e - 1] == 'n' || t[v.e - 1] == 'r' || t[v.e - 1] == 't')) v.e -= 2;
    if (v.e >= v.b + 4 && t[v.b] == '\\' && t[v.e - 2] == '\\' && is_quote(t[v.b + 1]) && t[v.e - 1] == t[v.b + 1]) v.b += 2, v.e -= 2;
    return v;
}

/// The last string of a tuple or list of up to three string literals: ("user", "secret").
std::optional<Span> last_in_tuple(std::string_view t, std::size_t p)
{
    const char close = t[p] == '(' ? ')' : ']';
    std::optional<Span> last;
    for (int items = 0; items < 3; ++items) {
        p = skip_blanks(t, p + 1);
        last = quoted_at(t, p);
        if (!last) return std::nullopt;
        p = skip_blanks(t, last->e + 1);
        if (p < t.size() && t[p] == close) return last;
        if (p >= t.size() || t[p] != ',') return std::nullopt;
    }
    return std::nullopt;
}

/// The value starting at `p` (after the operator): quoted, a tuple of strings, or bare.
std::optional<Span> value_at(std::string_view t, std::size_t p)
{
    p = skip_blanks(t, p);
    if (p >= t.size() || t[p] == '\n' || t[p] == '\r' || t[p] == '|' || t[p] == '>') return std::nullopt;
    std::optional<Span> v;
    if ((t[p] == '(' || t[p] == '[') && p + 1 < t.size()) v = last_in_tuple(t, p);
    else if (const auto q = quoted_at(t, p)) v = q;
    else if (!is_quote(t[p])) v = bare_at(t, p);
    if (v) v = without_trailing_escapes(t, *v);
    if (!v || v->e <= v->b || v->e - v->b > max_value) return std::nullopt;
    return v;
}

/// Whether the key is the first word of its line (after indentation, and after `ENV`, `export`
/// or `set`), and only one more word follows it: `password s3cret` in .netrc-like files.
bool two_word_line(std::string_view t, Span key, std::size_t value_start)
{
    std::string_view before = t.substr(line_start(t, key.b), key.b - line_start(t, key.b));
    while (!before.empty() && is_blank(before.front())) before.remove_prefix(1);
    if (!(before.empty() || before == "ENV " || before == "export " || before == "set ")) return false;
    const Span v = bare_at(t, value_start);
    return v.e > v.b && skip_blanks(t, v.e) == line_end(t, v.e);
}

/// Whether the key is the name of a C preprocessor macro: `#define WIFI_PASSWORD "v"`.
bool defined_macro(std::string_view t, Span key)
{
    std::string_view before = t.substr(line_start(t, key.b), key.b - line_start(t, key.b));
    while (!before.empty() && is_blank(before.front())) before.remove_prefix(1);
    if (!before.starts_with("#define") || before.size() == 7) return false;
    before.remove_prefix(7);
    return std::all_of(before.begin(), before.end(), is_blank);
}

/// Whether the quote at `quote` opens the first item of a pair: '(' or '[' before it, blanks
/// aside. ("PASSWORD", "v") is a pair; a set or list of names ({'AAAttribution', ...},
/// "md5", "password", "scram-sha-256") is not.
bool opens_pair(std::string_view t, std::size_t quote)
{
    std::size_t i = quote;
    while (i > 0 && is_blank(t[i - 1])) --i;
    return i > 0 && (t[i - 1] == '(' || t[i - 1] == '[');
}

/// Where the value starts after the key, or npos when no assignment follows it.
std::size_t after_operator(std::string_view t, Span key, bool& element)
{
    std::size_t p = key.e;
    if (key.b > 0 && t[key.b - 1] == '<' && p < t.size() && t[p] == '>') return element = true, p + 1; // <password>v</password>
    const bool quoted = key.b > 0 && is_quote(t[key.b - 1]) && p < t.size() && t[p] == t[key.b - 1];
    if (quoted) ++p;
    if (p < t.size() && t[p] == ']') ++p; // config['password']
    const std::size_t op = skip_blanks(t, p);
    const std::string_view rest = t.substr(std::min(op, t.size()));
    if (rest.starts_with(":=") || rest.starts_with("=>") || rest.starts_with("?=")) return op + 2;
    if (rest.starts_with("=") && !rest.starts_with("==")) return op + 1;
    if (rest.starts_with(":") && !rest.starts_with("::")) return op + 1;
    if (rest.starts_with(",") && quoted && opens_pair(t, key.b - 1)) return op + 1; // ("PASSWORD", "v"), define('AUTH_KEY', 'v')
    if (rest.starts_with("(") && !quoted) return op;    // setPassword("v")
    if (op > p && (two_word_line(t, key, op) || defined_macro(t, key))) return op;
    return npos;
}

} // namespace

std::size_t find_ci(std::string_view text, std::size_t from, std::size_t to, std::string_view needle) noexcept
{
    to = std::min(to, text.size());
    if (needle.empty() || to < needle.size() || from > to - needle.size()) return npos;
    // Candidates are where either case of the first character occurs: memchr finds them (it
    // reads many bytes a step), each case's next occurrence kept until it is passed.
    const char first = needle[0], upper = is_alpha(first) ? static_cast<char>(first - 'a' + 'A') : first;
    const std::size_t last = to - needle.size(); // the last start that fits
    auto next = [&](char c, std::size_t i) -> std::size_t {
        const void* at = std::memchr(text.data() + i, c, last + 1 - i);
        return at ? static_cast<std::size_t>(static_cast<const char*>(at) - text.data()) : npos;
    };
    std::size_t lo = next(first, from), up = upper == first ? npos : next(upper, from);
    while (lo != npos || up != npos) {
        const std::size_t i = std::min(lo, up);
        std::size_t k = 1;
        while (k < needle.size() && lower(text[i + k]) == needle[k]) ++k;
        if (k == needle.size()) return i;
        if (i == lo) lo = i < last ? next(first, i + 1) : npos;
        else up = i < last ? next(upper, i + 1) : npos;
    }
    return npos;
}

Span identifier_around(std::string_view text, std::size_t p) noexcept
{
    std::size_t b = p, e = p;
    while (b > 0 && is_key_char(text[b - 1])) --b;
    while (e < text.size() && is_key_char(text[e])) ++e;
    while (b < e && (text[b] == '.' || text[b] == '-')) ++b; // a leading '-' is a YAML list or an option
    return {b, e};
}

std::vector<std::string> split_words(std::string_view key)
{
    std::vector<std::string> words;
    std::string w;
    for (std::size_t i = 0; i < key.size(); ++i) {
        const char c = key[i];
        const bool boundary = !w.empty() && ((is_upper(c) && !is_upper(key[i - 1])) ||                          // dbPassword
                                             (is_upper(c) && i + 1 < key.size() && key[i + 1] >= 'a' && key[i + 1] <= 'z' &&
                                              is_upper(key[i - 1])) ||                                            // APIKey
                                             (is_digit(c) != is_digit(key[i - 1])));
        if (!is_alpha(c) && !is_digit(c)) {
            if (!w.empty()) words.push_back(std::move(w)), w.clear();
            continue;
        }
        if (boundary) words.push_back(std::move(w)), w.clear();
        w += lower(c);
    }
    if (!w.empty()) words.push_back(std::move(w));
    return words;
}

/// Whether byte `p` is inside parentheses opened earlier on its line: a parameter list or a
/// call's arguments, where `name: word` is a type annotation or a variable passed by name.
bool inside_parentheses(std::string_view t, std::size_t p) noexcept
{
    int depth = 0;
    for (std::size_t i = line_start(t, p); i < p; ++i) depth += t[i] == '(' ? 1 : t[i] == ')' ? -1 : 0;
    return depth > 0;
}

/// A bare value in a form that ends before white space does: a <placeholder with words> reads
/// to its '>', and a field of a connection string (;Password=v; ,password=v,) or of a query
/// (?pw=v&) to its separator.
std::optional<Span> special_bare(std::string_view t, Span key, std::size_t p)
{
    p = skip_blanks(t, p);
    if (p >= t.size()) return std::nullopt;
    const std::size_t eol = line_end(t, p);
    if (t[p] == '<') {
        const std::size_t gt = t.find('>', p);
        if (gt < eol) return Span{p, gt + 1};
    }
    const char before = key.b > 0 ? t[key.b - 1] : '\0';
    // ;Password=v; (ADO.NET), ,password=v, (StackExchange.Redis) and ?user=u&password=v&to=...
    if (before == ';' || before == ',' || before == '?' || before == '&') {
        const char end = before == ';' || before == ',' ? before : '&';
        std::size_t e = p;
        while (e < eol && t[e] != end && !(end == '&' && t[e] == '#') && !is_quote(t[e]) && !is_blank(t[e])) ++e;
        if (e > p) return Span{p, e};
    }
    return std::nullopt;
}

/// The value of an element whose key is given by name: `<Environment name="api_token"
/// value="v"/>`, `<add key="ClearTextPassword" value="v" />`, the same tag's `value` attribute.
std::optional<Span> named_attribute_value(std::string_view t, Span key)
{
    if (key.b < 7 || key.e >= t.size() || !is_quote(t[key.b - 1]) || t[key.e] != t[key.b - 1]) return std::nullopt;
    const std::string_view before = t.substr(0, key.b - 1);
    if (!(before.ends_with(" name=") || before.ends_with(" key=") || before.ends_with(" id="))) return std::nullopt;
    const std::size_t end = std::min(t.find('>', key.e), line_end(t, key.e));
    const std::size_t attr = t.substr(0, end).find(" value=", key.e);
    if (attr == npos) return std::nullopt;
    const auto v = quoted_at(t, attr + 7);
    if (!v || v->e == v->b || v->e - v->b > max_value) return std::nullopt;
    return v;
}

/// The value after a type annotation: `token: string = 'v'`, `password?: String = "v"`.
std::optional<Span> annotated_value(std::string_view t, std::size_t p)
{
    if (p >= t.size() || !is_alpha(t[p])) return std::nullopt;
    std::size_t e = p;
    while (e < t.size() && (is_key_char(t[e]) || std::string_view("<>[]?|").find(t[e]) != npos)) ++e;
    const std::size_t op = skip_blanks(t, e);
    if (op == e || op >= t.size() || t[op] != '=' || (op + 1 < t.size() && (t[op + 1] == '=' || t[op + 1] == '>'))) return std::nullopt;
    return value_at(t, op + 1);
}

std::optional<Span> value_after(std::string_view text, Span key)
{
    if (const auto v = named_attribute_value(text, key)) return v;
    bool element = false;
    const std::size_t p = after_operator(text, key, element);
    if (p == npos) return std::nullopt;
    const std::size_t v = skip_blanks(text, p);
    const bool bare = v < text.size() && !is_quote(text[v]) && text[v] != '(' && text[v] != '[' && !element;
    const char op = p > 0 ? text[p - 1] : '\0';
    if (bare && (op == ',' || (op == ':' && inside_parentheses(text, key.b)))) return std::nullopt; // f(x, token); f(token: String)
    if (bare && key.b > 0 && text[key.b - 1] == '$') return std::nullopt; // $pass = x: a variable used, as in shell comments
    if (bare && op == ':')
        if (const auto a = annotated_value(text, v)) return a;
    if (bare)
        if (const auto s = special_bare(text, key, v)) return s;
    if (element) {
        std::size_t e = p;
        while (e < text.size() && text[e] != '<' && text[e] != '\n') ++e;
        if (e >= text.size() || text[e] != '<' || e == p || e - p > max_value) return std::nullopt;
        return Span{p, e};
    }
    if (p < text.size() && text[p] == '(') return last_in_tuple(text, p); // setPassword("v")
    return value_at(text, p);
}

std::optional<Span> last_literal_argument(std::string_view text, std::size_t name_end)
{
    if (name_end >= text.size() || text[name_end] != '(') return std::nullopt;
    const std::size_t close = text.find(')', name_end);
    if (close == npos || text.find('\n', name_end) < close) return std::nullopt;
    const std::size_t comma = text.rfind(',', close);
    if (comma == npos || comma < name_end) return std::nullopt; // one argument: login("alice")
    const auto last = quoted_at(text, skip_blanks(text, comma + 1));
    if (!last || skip_blanks(text, last->e + 1) != close || last->e == last->b) return std::nullopt;
    return last;
}

void append_matches(std::size_t rule_index, std::vector<std::pair<Span, Span>>& found, std::vector<RawMatch>& out)
{
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first.b < b.first.b; });
    std::size_t last_end = 0;
    for (const auto& [key, value] : found) {
        if (key.b < last_end) continue; // matches of one rule never overlap
        out.push_back(RawMatch{rule_index, key.b, value.e, value.b, value.e});
        last_end = value.e;
    }
}

} // namespace secretscan::detect
