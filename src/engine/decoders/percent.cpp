#include "percent.hpp"

#include "common.hpp"
#include "util/encoding.hpp"

#include <cstring>

namespace secretscan::decoders {

namespace {

bool in_run(char c) noexcept
{
    return c > ' ' && c < 0x7f && c != '"' && c != '\'' && c != '<' && c != '>' && c != '`';
}

bool escape_at(std::string_view text, std::size_t i) noexcept
{
    return i + 2 < text.size() && text[i] == '%' && hex_digit(text[i + 1]) >= 0 && hex_digit(text[i + 2]) >= 0;
}

/// The run decoded, or "" when it is not text or no escape hid a credential's separator.
std::string decode_text(std::string_view run)
{
    std::string out;
    out.reserve(run.size());
    bool separator = false;
    for (std::size_t i = 0; i < run.size(); ++i) {
        if (!escape_at(run, i)) {
            out += run[i];
            continue;
        }
        const auto byte = static_cast<unsigned char>(hex_digit(run[i + 1]) << 4 | hex_digit(run[i + 2]));
        if (!is_text_byte(byte)) return {};
        separator |= byte == ':' || byte == '@' || byte == '=' || byte == '/';
        out += static_cast<char>(byte);
        i += 2;
    }
    return separator && is_printable_text(out) ? out : std::string();
}

} // namespace

void PercentDecoder::decode(std::string_view text, std::vector<DecodedSpan>& out) const
{
    std::size_t total = 0;
    for (std::size_t at = 0; at < text.size() && total < max_total;) {
        const void* hit = std::memchr(text.data() + at, '%', text.size() - at);
        if (!hit) break;
        const std::size_t pct = static_cast<std::size_t>(static_cast<const char*>(hit) - text.data());
        if (!escape_at(text, pct)) {
            at = pct + 1;
            continue;
        }
        std::size_t begin = pct, end = pct;
        while (begin > 0 && in_run(text[begin - 1]) && text[begin - 1] != '=') --begin; // a key= stays context
        while (end < text.size() && in_run(text[end])) ++end;
        at = end;
        // printf's "%02x" is no escape of text: the run is not decoded (nor allocated for).
        if (end - begin > max_span || !is_text_byte(static_cast<unsigned char>(hex_digit(text[pct + 1]) << 4 | hex_digit(text[pct + 2])))) continue;
        std::string decoded = decode_text(text.substr(begin, end - begin));
        if (decoded.empty()) continue;
        total += decoded.size();
        out.push_back({begin, end, std::move(decoded), "percent"});
    }
}

} // namespace secretscan::decoders
