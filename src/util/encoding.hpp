#pragma once
// Decoding base64, hex and percent-encoding: one implementation for the validators, the
// extractors and the decoders. Internal.

#include <optional>
#include <string>
#include <string_view>

namespace secretscan {

/// Base64 (RFC 4648 §4, padding required and only at the end) or, with `url`, base64url
/// without padding (§5, as JWS uses). nullopt when `s` is not strictly that.
std::optional<std::string> decode_base64_strict(std::string_view s, bool url);

/// Base64 as people write it: the standard or the URL-safe alphabet (not both), padding optional.
std::optional<std::string> decode_base64_lenient(std::string_view s);

/// Hexadecimal, an even number of digits of either case.
std::optional<std::string> decode_hex(std::string_view s);

/// Percent-decoding (RFC 3986 §2.1); nullopt for a '%' not followed by two hex digits.
std::optional<std::string> decode_percent(std::string_view s);

/// The value of hex digit `c` (either case), or -1.
int hex_digit(char c) noexcept;

/// Whether byte `c` can stand in printable text: not a control character other than tab, CR
/// and LF (bytes of multi-byte UTF-8 sequences can).
inline bool is_text_byte(unsigned char c) noexcept
{
    return c >= 0x20 ? c != 0x7f : (c == '\t' || c == '\n' || c == '\r');
}

/// Whether `s` is text a person could have typed: valid UTF-8 (RFC 3629: no overlong forms, no
/// surrogates) without control characters other than tab, CR and LF, and not empty.
bool is_printable_text(std::string_view s) noexcept;

/// is_printable_text for the start of a text: its last UTF-8 sequence may be cut short. The
/// decoders try a run's first bytes with it before decoding all of it.
bool is_printable_text_prefix(std::string_view s) noexcept;

} // namespace secretscan
