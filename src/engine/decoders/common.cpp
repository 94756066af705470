#include "common.hpp"

namespace secretscan::decoders {

namespace {

/// Length of the UTF-8 sequence a lead byte starts (0: not a lead byte).
std::size_t sequence_length(unsigned char c) noexcept
{
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) return 2;
    if (c >= 0xe0 && c <= 0xef) return 3;
    if (c >= 0xf0 && c <= 0xf4) return 4;
    return 0;
}

/// is_text, or text_prefix when `prefix`.
bool text_bytes(std::string_view bytes, bool prefix) noexcept
{
    for (std::size_t i = 0; i < bytes.size();) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        std::size_t n = sequence_length(c);
        if (n == 0) return false;
        if (i + n > bytes.size()) {
            if (!prefix) return false;
            n = bytes.size() - i;
        }
        if (n == 1 && !text_byte(c)) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(bytes[i + k]) & 0xc0) != 0x80) return false;
        // Overlong three- and four-byte forms and surrogates (RFC 3629, section 4).
        const auto c1 = n > 1 ? static_cast<unsigned char>(bytes[i + 1]) : 0;
        if (n > 1 && ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f) || (c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 > 0x8f))) return false;
        i += n;
    }
    return true;
}

} // namespace

bool is_text(std::string_view bytes) noexcept { return text_bytes(bytes, false); }

bool text_prefix(std::string_view bytes) noexcept { return text_bytes(bytes, true); }

} // namespace secretscan::decoders
