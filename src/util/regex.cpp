#include "util/regex.hpp"

#include <cctype>

namespace secretscan {

namespace {

bool is_operator(char c)
{
    return std::string_view(".+*?()|[]{}^$").find(c) != std::string_view::npos;
}

/// The index of the `]` closing the class that opens at `open`, or npos.
std::size_t class_end(std::string_view regex, std::size_t open)
{
    std::size_t i = open + 1;
    if (i < regex.size() && regex[i] == '^') ++i;
    if (i < regex.size() && regex[i] == ']') ++i; // a leading ] is literal
    for (; i < regex.size() && regex[i] != ']'; ++i) {
        if (regex[i] == '\\') {
            ++i;
        } else if (regex[i] == '[' && i + 1 < regex.size() && regex[i + 1] == ':') {
            i = regex.find(":]", i + 2);
            if (i == std::string_view::npos) return i;
            ++i;
        }
    }
    return i < regex.size() ? i : std::string_view::npos;
}

/// Whether `regex` has a `|` outside every group and class: an alternation of whole regexes.
bool top_level_alternation(std::string_view regex)
{
    int depth = 0;
    for (std::size_t i = 0; i < regex.size(); ++i) {
        const char c = regex[i];
        if (c == '\\' && i + 1 < regex.size() && regex[i + 1] == 'Q') {
            const std::size_t close = regex.find("\\E", i + 2);
            if (close == std::string_view::npos) return false;
            i = close + 1;
        } else if (c == '\\') {
            ++i;
        } else if (c == '[') {
            i = class_end(regex, i);
            if (i == std::string_view::npos) return true; // unterminated: claim the worst
        } else if (c == '(') {
            ++depth;
        } else if (c == ')') {
            --depth;
        } else if (c == '|' && depth == 0) {
            return true;
        }
    }
    return false;
}

/// Skips leading flag groups (`(?i)`, `(?s-i)`) and zero-width `\b`, `\B`, `\A` and `^` at `i`,
/// noting whether the text after them is case-insensitive.
std::size_t skip_prologue(std::string_view regex, bool& caseless)
{
    std::size_t i = 0;
    for (;;) {
        if (regex.substr(i, 2) == "\\b" || regex.substr(i, 2) == "\\B" || regex.substr(i, 2) == "\\A") {
            i += 2;
        } else if (i < regex.size() && regex[i] == '^') {
            ++i;
        } else if (regex.substr(i, 2) == "(?") {
            std::size_t j = i + 2;
            bool negated = false, flags = caseless;
            for (; j < regex.size() && std::string_view("imsU-").find(regex[j]) != std::string_view::npos; ++j) {
                if (regex[j] == '-') negated = true;
                if (regex[j] == 'i') flags = !negated;
            }
            if (j >= regex.size() || regex[j] != ')') return i; // a group, not flags alone
            caseless = flags;
            i = j + 1;
        } else {
            return i;
        }
    }
}

} // namespace

std::string leading_literal(std::string_view regex, bool& caseless)
{
    caseless = false;
    if (top_level_alternation(regex)) return "";
    std::string out;
    for (std::size_t i = skip_prologue(regex, caseless); i < regex.size();) {
        const unsigned char c = static_cast<unsigned char>(regex[i]);
        std::size_t next = i + 1;
        char literal = regex[i];
        if (c >= 0x80 || is_operator(regex[i])) break;
        if (regex[i] == '\\') {
            if (i + 1 >= regex.size() || !std::ispunct(static_cast<unsigned char>(regex[i + 1]))) break;
            literal = regex[i + 1];
            next = i + 2;
        }
        const char after = next < regex.size() ? regex[next] : '\0';
        if (after == '*' || after == '?' || after == '{') break; // the character may be missing
        out += literal;
        if (after == '+') break; // at least once: the text after it is not known
        i = next;
    }
    return out;
}

} // namespace secretscan
