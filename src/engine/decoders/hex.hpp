#pragma once
// Hex (RFC 4648, section 8, base16): a keystore password stored as hex, an encoded connection
// string. RunDecoder (runs.hpp) finds the runs; this decodes one. docs/architecture.md,
// "Decoders".

#include <secretscan/engine/decoder.hpp>

#include <cstddef>
#include <string_view>
#include <vector>

namespace secretscan::decoders {

/// Shortest run decoded as hex (digits): 8 bytes.
inline constexpr std::size_t min_hex_run = 16;

/// Decodes the run text[begin, end) of hex digits when it is of even length and one letter
/// case, is not part of a longer word (a letter, digit or '_' on either side) and decodes to text
/// (util/encoding.hpp, is_printable_text): hashes and object ids decode to random bytes and are not returned.
/// Appends the span to `out` (decoder "hex"). Limits in common.hpp. Thread-safe.
void decode_hex_run(std::string_view text, std::size_t begin, std::size_t end, std::vector<DecodedSpan>& out);

} // namespace secretscan::decoders
