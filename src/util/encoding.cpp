#include "util/encoding.hpp"

#include <cstdint>

namespace secretscan {

namespace {

int base64_value(char c, bool url) noexcept
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == (url ? '-' : '+')) return 62;
    if (c == (url ? '_' : '/')) return 63;
    return -1;
}

int hex_value(char c) noexcept
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> base64_body(std::string_view s, bool url)
{
    if (s.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(s.size() * 3 / 4);
    std::uint32_t acc = 0;
    int nbits = 0;
    for (char c : s) {
        const int v = base64_value(c, url);
        if (v < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        nbits += 6;
        if (nbits >= 8) {
            nbits -= 8;
            out.push_back(static_cast<char>((acc >> nbits) & 0xFFu));
        }
    }
    return out;
}

/// Length of the UTF-8 sequence starting with byte `c` (0: not a start byte).
int utf8_length(unsigned char c) noexcept
{
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return 2;
    if (c >= 0xE0 && c <= 0xEF) return 3;
    if (c >= 0xF0 && c <= 0xF4) return 4;
    return 0;
}

/// Valid UTF-8 of printable characters; with `prefix`, the last sequence may be cut short.
bool printable(std::string_view s, bool prefix) noexcept
{
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        auto n = static_cast<std::size_t>(utf8_length(c));
        if (n == 0 || (n == 1 && !is_text_byte(c))) return false;
        if (i + n > s.size()) {
            if (!prefix) return false;
            n = s.size() - i;
        }
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        // Overlong three- and four-byte forms and surrogates (RFC 3629, section 4).
        const auto c1 = n > 1 ? static_cast<unsigned char>(s[i + 1]) : 0;
        if (n > 1 && ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)))
            return false;
        i += n;
    }
    return true;
}

} // namespace

std::optional<std::string> decode_base64_strict(std::string_view s, bool url)
{
    if (!url) {
        if (s.size() % 4 != 0) return std::nullopt;
        std::size_t pad = 0;
        while (pad < 2 && pad < s.size() && s[s.size() - 1 - pad] == '=') ++pad;
        s.remove_suffix(pad);
    }
    return base64_body(s, url);
}

std::optional<std::string> decode_base64_lenient(std::string_view s)
{
    while (!s.empty() && s.back() == '=') s.remove_suffix(1);
    const bool url = s.find_first_of("-_") != std::string_view::npos;
    if (url && s.find_first_of("+/") != std::string_view::npos) return std::nullopt;
    return base64_body(s, url);
}

std::optional<std::string> decode_hex(std::string_view s)
{
    if (s.size() % 2) return std::nullopt;
    std::string out;
    out.reserve(s.size() / 2);
    for (std::size_t i = 0; i < s.size(); i += 2) {
        const int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<char>(hi * 16 + lo));
    }
    return out;
}

std::optional<std::string> decode_percent(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out.push_back(s[i]);
            continue;
        }
        if (i + 2 >= s.size() || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0) return std::nullopt;
        out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
        i += 2;
    }
    return out;
}

bool is_printable_text(std::string_view s) noexcept
{
    return !s.empty() && printable(s, false);
}

bool is_printable_text_prefix(std::string_view s) noexcept
{
    return printable(s, true);
}

int hex_digit(char c) noexcept
{
    return hex_value(c);
}

} // namespace secretscan
