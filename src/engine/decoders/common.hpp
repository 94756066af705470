#pragma once
// What the standard decoders share (docs/architecture.md, "Decoders"): the limits on what they
// decode and the test that a decoded span is text worth scanning again.

#include <cstddef>
#include <string_view>

namespace secretscan::decoders {

/// Longest encoded span decoded (bytes): a base64 kubeconfig or service-account key is a few
/// KiB; a megabyte of base64 is an embedded file, not a setting.
inline constexpr std::size_t max_span = 256 * 1024;
/// Most decoded bytes one decoder returns for one text; spans past it are not decoded.
inline constexpr std::size_t max_total = 4 * 1024 * 1024;

/// Whether `bytes` is text: valid UTF-8 with no control character other than tab, CR and LF.
/// Random bytes (a real token's payload, a hash, an image) fail within a few bytes.
bool is_text(std::string_view bytes) noexcept;

/// Whether `bytes` can begin a text: is_text, except that its last UTF-8 sequence may be cut
/// short. The decoders try a run's first bytes with it before decoding all of it.
bool text_prefix(std::string_view bytes) noexcept;

/// Whether the bytes decoded so far can still be text: false at the first control character.
inline bool text_byte(unsigned char c) noexcept
{
    return c >= 0x20 ? c != 0x7f : (c == '\t' || c == '\n' || c == '\r');
}

} // namespace secretscan::decoders
