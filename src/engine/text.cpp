#include <secretscan/engine/text.hpp>

#include "util/encoding.hpp"
#include "util/strings.hpp"

#include <algorithm>

namespace secretscan {

Encoding detect_encoding(std::string_view bytes) noexcept
{
    auto byte = [&bytes](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    if (bytes.size() >= 3 && byte(0) == 0xEF && byte(1) == 0xBB && byte(2) == 0xBF) return Encoding::utf8_bom;
    if (bytes.size() >= 2 && ((byte(0) == 0xFF && byte(1) == 0xFE) || (byte(0) == 0xFE && byte(1) == 0xFF))) {
        // A UTF-16 byte order mark, or two stray bytes before UTF-8 text: decided by what
        // follows, so that "\xFF\xFEpassword=..." is not read as CJK and its secrets missed.
        const std::string_view rest = bytes.substr(2, binary_probe_bytes);
        const bool utf8_after = rest.find('\0') == std::string_view::npos && is_printable_text_prefix(rest);
        if (!utf8_after) return byte(0) == 0xFF ? Encoding::utf16le : Encoding::utf16be;
    }
    const std::size_t n = std::min(bytes.size(), binary_probe_bytes);
    std::size_t nul_even = 0, nul_odd = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (bytes[i] == '\0') ++(i % 2 ? nul_odd : nul_even);
    }
    if (nul_even + nul_odd == 0) return Encoding::utf8;
    // Mostly-ASCII UTF-16: every other byte is NUL. Ask for at least a third of the code units
    // to be ASCII and for (nearly) no NUL on the other side.
    const std::size_t units = n / 2;
    if (units >= 2) {
        if (nul_odd * 3 >= units && nul_even * 50 <= nul_odd) return Encoding::utf16le;
        if (nul_even * 3 >= units && nul_odd * 50 <= nul_even) return Encoding::utf16be;
    }
    // A stray NUL or two in otherwise printable text (an RTF closed by a NUL, a NUL-separated
    // header) does not make a file binary: binary data has many NULs and control bytes.
    std::size_t control = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1B) || c == 0x7F) ++control;
    }
    if (nul_even + nul_odd <= stray_nul_limit && control * 100 < n * 5 + 100) return Encoding::utf8;
    return Encoding::binary;
}

namespace {

void append_utf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string utf16_to_utf8(std::string_view bytes, bool little_endian)
{
    std::string out;
    out.reserve(bytes.size() / 2 + 16);
    auto unit = [&](std::size_t i) -> char32_t {
        const auto a = static_cast<unsigned char>(bytes[i]);
        const auto b = static_cast<unsigned char>(bytes[i + 1]);
        return little_endian ? static_cast<char32_t>(a | (b << 8)) : static_cast<char32_t>((a << 8) | b);
    };
    std::size_t i = 0;
    if (bytes.size() >= 2 && unit(0) == 0xFEFF) i = 2;
    for (; i + 1 < bytes.size(); i += 2) {
        char32_t u = unit(i);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < bytes.size()) {
            const char32_t lo = unit(i + 2);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
                i += 2;
                continue;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF) u = 0xFFFD;
        append_utf8(out, u);
    }
    return out;
}

} // namespace

std::string_view text_of(std::string_view bytes, Encoding e, std::string& storage)
{
    switch (e) {
    case Encoding::utf8: return bytes;
    case Encoding::utf8_bom: return bytes.substr(3);
    case Encoding::utf16le: return storage = utf16_to_utf8(bytes, true);
    case Encoding::utf16be: return storage = utf16_to_utf8(bytes, false);
    case Encoding::binary: break;
    }
    return {};
}

Decoded decode(std::string_view bytes)
{
    Decoded d;
    d.encoding = detect_encoding(bytes);
    std::string storage;
    const std::string_view text = text_of(bytes, d.encoding, storage);
    d.text = storage.empty() ? std::string(text) : std::move(storage);
    return d;
}

LineIndex::LineIndex(std::string_view text) : m_text(text)
{
    m_starts.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n' && i + 1 < text.size()) m_starts.push_back(i + 1);
}

std::size_t LineIndex::line_of(std::size_t offset) const noexcept
{
    const auto it = std::upper_bound(m_starts.begin(), m_starts.end(), offset);
    return static_cast<std::size_t>(it - m_starts.begin());
}

std::size_t LineIndex::column_of(std::size_t offset) const noexcept
{
    const std::size_t start = m_starts[line_of(offset) - 1];
    return utf8_length(m_text.substr(start, offset - start)) + 1;
}

std::string_view LineIndex::line_text(std::size_t line) const noexcept
{
    if (line == 0 || line > m_starts.size()) return {};
    const std::size_t start = m_starts[line - 1];
    std::size_t end = line < m_starts.size() ? m_starts[line] - 1 : m_text.size();
    if (end > start && m_text[end - 1] == '\n') --end;
    if (end > start && m_text[end - 1] == '\r') --end;
    return m_text.substr(start, end - start);
}

std::size_t LineIndex::start_of(std::size_t line) const noexcept
{
    if (line == 0 || line > m_starts.size()) return m_text.size();
    return m_starts[line - 1];
}

std::size_t LineIndex::line_count() const noexcept
{
    return m_text.empty() ? 0 : m_starts.size();
}

} // namespace secretscan
