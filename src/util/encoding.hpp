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

/// Whether `s` is text a person could have typed: valid UTF-8 without control characters other
/// than tab, CR and LF, and not empty.
bool is_printable_text(std::string_view s) noexcept;

} // namespace secretscan
