#pragma once
// Base64 (RFC 4648: section 4, the standard alphabet, and section 5, the URL- and
// filename-safe one): a base64 PEM key in a .env file, a kubeconfig's client-key-data, a base64
// service-account JSON in a CI variable. RunDecoder (runs.hpp) finds the runs; this decodes one.
// docs/architecture.md, "Decoders".

#include <secretscan/engine/decoder.hpp>

#include <cstddef>
#include <string_view>
#include <vector>

namespace secretscan::decoders {

/// Shortest run decoded as base64 (characters): 18 bytes, enough for a PEM header or a small
/// JSON object.
inline constexpr std::size_t min_base64_run = 24;

/// Decodes the run text[begin, end) of base64 characters (runs.hpp) when it
/// is in one alphabet, has both upper- and lower-case letters, and decodes to text (util/encoding.hpp,
/// is_printable_text). A run wrapped over lines of one width between 60 and 100 characters (`base64`'s
/// 76, PEM's 64), each line holding only the run after the same indentation, is one span; up to
/// two '=' of padding belong to it. Appends the span to `out` (decoder "base64") and returns
/// where the span ends; returns at least `end`. Limits in common.hpp. Thread-safe.
std::size_t decode_base64_run(std::string_view text, std::size_t begin, std::size_t end, std::vector<DecodedSpan>& out);

} // namespace secretscan::decoders
