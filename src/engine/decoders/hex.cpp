#include "hex.hpp"

#include "common.hpp"
#include "util/encoding.hpp"

#include <string>

namespace secretscan::decoders {

namespace {

bool word_char(char c) noexcept
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/// Whether hex digits `digits` use both letter cases (0xAbCd is no one's encoding).
bool mixed_case(std::string_view digits) noexcept
{
    return digits.find_first_of("ABCDEF") != std::string_view::npos && digits.find_first_of("abcdef") != std::string_view::npos;
}

} // namespace

void decode_hex_run(std::string_view text, std::size_t begin, std::size_t end, std::vector<DecodedSpan>& out)
{
    const std::size_t n = end - begin;
    if (n < min_hex_run || n % 2 != 0 || n > max_span) return;
    if ((begin > 0 && word_char(text[begin - 1])) || (end < text.size() && word_char(text[end]))) return;
    // What the first 16 digits decode to: most runs (hashes, ids) are not text there.
    const auto head = decode_hex(text.substr(begin, 16));
    if (!head || !is_printable_text_prefix(*head) || mixed_case(text.substr(begin, n))) return;
    auto decoded = decode_hex(text.substr(begin, n));
    if (decoded && is_printable_text(*decoded)) out.push_back({begin, end, std::move(*decoded), "hex"});
}

} // namespace secretscan::decoders
