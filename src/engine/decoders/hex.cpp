#include "hex.hpp"

#include "common.hpp"

#include <array>
#include <string>

namespace secretscan::decoders {

namespace {


constexpr std::array<signed char, 256> make_nibbles()
{
    std::array<signed char, 256> n{};
    for (auto& v : n) v = -1;
    for (int i = 0; i < 10; ++i) n['0' + i] = static_cast<signed char>(i);
    for (int i = 0; i < 6; ++i) n['a' + i] = n['A' + i] = static_cast<signed char>(10 + i);
    return n;
}
constexpr std::array<signed char, 256> nibbles = make_nibbles();

inline int nibble(char c) noexcept { return nibbles[static_cast<unsigned char>(c)]; }

bool word_char(char c) noexcept
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/// The bytes `digits` encode, or "" when the run mixes letter cases or cannot be text.
std::string decode_text(std::string_view digits)
{
    bool upper = false, lower = false;
    std::string out;
    out.reserve(digits.size() / 2);
    for (std::size_t i = 0; i + 1 < digits.size(); i += 2) {
        const char hi = digits[i], lo = digits[i + 1];
        upper |= (hi >= 'A' && hi <= 'F') || (lo >= 'A' && lo <= 'F');
        lower |= (hi >= 'a' && hi <= 'f') || (lo >= 'a' && lo <= 'f');
        const auto byte = static_cast<unsigned char>(nibble(hi) << 4 | nibble(lo));
        if ((upper && lower) || !text_byte(byte)) return {};
        out += static_cast<char>(byte);
    }
    return is_text(out) ? out : std::string();
}

} // namespace

void decode_hex_run(std::string_view text, std::size_t begin, std::size_t end, std::vector<DecodedSpan>& out)
{
    const std::size_t n = end - begin;
    if (n < min_hex_run || n % 2 != 0 || n > max_span) return;
    if ((begin > 0 && word_char(text[begin - 1])) || (end < text.size() && word_char(text[end]))) return;
    char first[8]; // what the first 16 digits decode to: most runs (hashes, ids) are not text there
    for (std::size_t i = 0; i < 8; ++i) first[i] = static_cast<char>(nibble(text[begin + 2 * i]) << 4 | nibble(text[begin + 2 * i + 1]));
    if (!text_prefix(std::string_view(first, 8))) return;
    std::string decoded = decode_text(text.substr(begin, n));
    if (!decoded.empty()) out.push_back({begin, end, std::move(decoded), "hex"});
}

} // namespace secretscan::decoders
