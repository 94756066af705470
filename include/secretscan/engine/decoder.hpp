#pragma once
// Decoders: the pipeline stage between a chunk's text and the matcher (docs/architecture.md,
// "Decoders"). A chunk's bytes are first decoded to UTF-8 text (text.hpp: encodings, binary
// detection). Each decoder given to the Scanner then looks in that text for encoded spans (such
// as base64 or escaped text) and returns their decoded text; the matcher scans those texts too,
// and a finding in one is located at the first character of its encoded span, with
// Finding::decoder naming the decoder. The product's decoders live in src/engine/decoders/.

#include <secretscan/engine/lineage.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// One encoded span of a text and what it decodes to.
struct DecodedSpan {
    std::size_t begin = 0; ///< byte offsets of the encoded span in the text given to Decoder::decode
    std::size_t end = 0;   ///< (half-open); a marker the decoder recognises ("b64:") may be part of it:
                           ///< findings in the decoded text are located at `begin`
    std::string text;      ///< the decoded content, UTF-8; the matcher scans it whole
    std::string_view decoder; ///< the encoding's name ("hex") when a decoder handles several;
                              ///< empty: Decoder::name(). Must outlive the span (a literal)
};

/// Finds and decodes encoded spans. Implementations are immutable after construction: decode is
/// called from many threads at once.
class Decoder {
public:
    virtual ~Decoder() = default;
    /// A short lower-case name shown with findings (e.g. "base64").
    virtual std::string_view name() const noexcept = 0;
    /// Appends to `out` every span of `text` (UTF-8) this decoder decodes. Spans may not overlap
    /// one another. Must not throw except std::bad_alloc.
    virtual void decode(std::string_view text, std::vector<DecodedSpan>& out) const = 0;
    /// The same, for a text with a lineage (lineage.hpp): a decoder that makes a whole-text pass
    /// may read only what differs from the base, and records its facts. The spans are the same.
    /// Default: decode(text, out).
    virtual void decode_with_lineage(std::string_view text, std::vector<DecodedSpan>& out, Lineage* lineage) const
    {
        (void)lineage;
        decode(text, out);
    }
};

} // namespace secretscan
