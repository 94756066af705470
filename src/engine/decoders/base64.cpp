#include "base64.hpp"

#include "common.hpp"
#include "util/encoding.hpp"

#include <array>
#include <cstdint>
#include <string>

namespace secretscan::decoders {

namespace {

constexpr std::size_t min_wrap = 60, max_wrap = 100;

enum Class : unsigned char { other = 0, shared = 1, standard_only = 2, url_only = 4 };

constexpr std::array<unsigned char, 256> make_classes()
{
    std::array<unsigned char, 256> c{};
    for (int i = 'A'; i <= 'Z'; ++i) c[i] = shared;
    for (int i = 'a'; i <= 'z'; ++i) c[i] = shared;
    for (int i = '0'; i <= '9'; ++i) c[i] = shared;
    c['+'] = c['/'] = standard_only;
    c['-'] = c['_'] = url_only;
    return c;
}
constexpr std::array<unsigned char, 256> classes = make_classes();

inline bool in_run(char c) noexcept { return classes[static_cast<unsigned char>(c)] != other; }

/// Whether the characters of `run` can be base64 of text: one alphabet, both letter cases, and
/// not hex digits only.
bool plausible(std::string_view run) noexcept
{
    unsigned seen = 0;
    bool upper = false, lower = false, non_hex = false;
    for (char ch : run) {
        const auto c = static_cast<unsigned char>(ch);
        seen |= classes[c];
        upper |= c >= 'A' && c <= 'Z';
        lower |= c >= 'a' && c <= 'z';
        non_hex |= !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
    }
    return upper && lower && non_hex && (seen & (standard_only | url_only)) != (standard_only | url_only);
}

/// Whether the run's first 16 characters (12 bytes) can begin a text: most runs that are not
/// base64 of text (identifiers, tokens, hashes) fail here, before the run is copied.
bool starts_as_text(std::string_view run)
{
    // As decode_base64_lenient(run.substr(0, 16)), without allocating: this runs for every run of
    // an identifier's length in every file (a tenth of a history scan's time when it allocated).
    const std::string_view head = run.substr(0, 16);
    unsigned seen = 0;
    for (char c : head) seen |= classes[static_cast<unsigned char>(c)];
    if ((seen & (standard_only | url_only)) == (standard_only | url_only)) return false;
    char bytes[12];
    std::size_t n = 0;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char ch : head) {
        const auto c = static_cast<unsigned char>(ch);
        if (classes[c] == other) return false; // not base64 (runs hold none)
        const std::uint32_t v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26 : c >= '0' && c <= '9' ? c - '0' + 52
                                : c == '+' || c == '-'                                   ? 62
                                                                                         : 63; // '/' or '_'
        acc = (acc << 6) | v;
        if ((bits += 6) >= 8) bits -= 8, bytes[n++] = static_cast<char>((acc >> bits) & 0xFFu);
    }
    return is_printable_text_prefix(std::string_view(bytes, n));
}

/// Where a run filling its line continues over following lines of the same width and
/// indentation (wrapped base64); appends the run's characters to `chars`. Returns the end of
/// the last line's run, or `end` when the run is not wrapped.
std::size_t wrapped_end(std::string_view text, std::size_t begin, std::size_t end, std::string& chars)
{
    const std::size_t width = end - begin;
    const std::size_t line_start = text.rfind('\n', begin) == std::string_view::npos ? 0 : text.rfind('\n', begin) + 1;
    const std::string_view indent = text.substr(line_start, begin - line_start);
    if (width < min_wrap || width > max_wrap || indent.find_first_not_of(" \t") != std::string_view::npos) return end;
    std::size_t at = end;
    while (true) {
        const std::size_t next = text.compare(at, 2, "\r\n") == 0 ? at + 2 : (at < text.size() && text[at] == '\n' ? at + 1 : std::string_view::npos);
        if (next == std::string_view::npos || text.compare(next, indent.size(), indent) != 0) return at;
        std::size_t run_end = next + indent.size();
        while (run_end < text.size() && in_run(text[run_end])) ++run_end;
        const std::size_t run = run_end - next - indent.size();
        if (run == 0 || run > width || (run_end < text.size() && text[run_end] != '\n' && text[run_end] != '\r' && text[run_end] != '=')) return at;
        chars.append(text.substr(next + indent.size(), run));
        at = run_end;
        if (run < width || chars.size() > max_span) return at;
    }
}

} // namespace

std::size_t decode_base64_run(std::string_view text, std::size_t begin, std::size_t end, std::vector<DecodedSpan>& out)
{
    const std::string_view run = text.substr(begin, end - begin);
    if (run.size() < min_base64_run || !starts_as_text(run) || !plausible(run)) return end;
    std::string chars(run);
    std::size_t span_end = wrapped_end(text, begin, end, chars);
    for (int pad = 0; pad < 2 && span_end < text.size() && text[span_end] == '='; ++pad) ++span_end;
    if (chars.size() > max_span) return span_end;
    if (chars.size() % 4 == 1) chars.pop_back(); // six bits: no byte
    auto decoded = decode_base64_lenient(chars);
    if (!decoded || decoded->size() < min_base64_run * 3 / 4 || !is_printable_text(*decoded)) return span_end;
    out.push_back({begin, span_end, std::move(*decoded), "base64"});
    return span_end;
}

} // namespace secretscan::decoders
