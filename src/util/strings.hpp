#pragma once
// String helpers: ASCII case, kebab-case ids, UTF-8 code points. Internal.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

inline std::string ascii_lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

inline bool is_kebab_case(std::string_view s)
{
    if (s.empty() || s.front() < 'a' || s.front() > 'z' || s.back() == '-') return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

/// The non-empty runs of `s` between any of the `separators`.
inline std::vector<std::string> split_nonempty(std::string_view s, std::string_view separators)
{
    std::vector<std::string> out;
    for (std::size_t at = 0; at < s.size();) {
        const std::size_t end = std::min(s.find_first_of(separators, at), s.size());
        if (end > at) out.emplace_back(s.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

/// `s` safe to print on a terminal: each C0 control byte, DEL and each C1 control (U+0080 to
/// U+009F) becomes \xHH, so that a file name, an author or a rule id cannot move the cursor,
/// recolour the screen or hide text; `keep` lists control bytes to leave as they are (such as
/// "\n" for a multi-line message). Other bytes, UTF-8 included, are unchanged.
inline std::string printable(std::string_view s, std::string_view keep = {})
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(s.size());
    const auto escape = [&out](unsigned char b) { out.append({'\\', 'x', hex[b >> 4], hex[b & 15]}); };
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto b = static_cast<unsigned char>(s[i]);
        const bool c1 = b == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                        static_cast<unsigned char>(s[i + 1]) <= 0x9F;
        if ((b < 0x20 || b == 0x7F) && keep.find(s[i]) == std::string_view::npos) {
            escape(b);
        } else if (c1) {
            escape(static_cast<unsigned char>(s[++i]));
        } else {
            out += s[i];
        }
    }
    return out;
}

/// A size as people write it: decimal digits and an optional unit, K, M, G or T (KiB, MiB, GiB,
/// TiB; "KB", "KiB" and lower case too), e.g. "10M" = 10485760. Nothing else: no sign, no
/// fraction, no blank. Returns false for anything else or a value over 2^64 - 1.
inline bool parse_size(std::string_view text, std::uint64_t& bytes)
{
    std::size_t digits = 0;
    std::uint64_t n = 0;
    for (; digits < text.size() && text[digits] >= '0' && text[digits] <= '9'; ++digits) {
        if (n > (UINT64_MAX - 9) / 10) return false;
        n = n * 10 + static_cast<std::uint64_t>(text[digits] - '0');
    }
    const std::string unit = ascii_lower(text.substr(digits));
    static constexpr std::string_view units = "kmgt";
    int shift = 0;
    if (!unit.empty()) {
        const std::size_t at = units.find(unit[0]);
        if (at == std::string_view::npos || (unit.size() > 1 && unit.substr(1) != "b" && unit.substr(1) != "ib")) return false;
        shift = 10 * static_cast<int>(at + 1);
    }
    if (digits == 0 || (shift && n > (UINT64_MAX >> shift))) return false;
    bytes = n << shift;
    return true;
}

/// Number of Unicode code points in UTF-8 text (counts bytes that are not continuation bytes).
inline std::size_t utf8_length(std::string_view s)
{
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

/// The first `n` code points of UTF-8 text.
inline std::string_view utf8_prefix(std::string_view s, std::size_t n)
{
    std::size_t i = 0;
    for (std::size_t seen = 0; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (seen == n) break;
            ++seen;
        }
    }
    return s.substr(0, i);
}

} // namespace secretscan
