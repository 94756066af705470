#pragma once
// Finding runs of base64 characters fast, and decoding them as hex or base64: every byte of every
// scanned text passes through here, so 64 bytes at a time are classified into a bit mask (SSE2,
// AVX2 where the processor has it, a table elsewhere) and runs are read off the mask
// (runs_loop.hpp).

#include <secretscan/engine/decoder.hpp>

#include <string_view>
#include <vector>

namespace secretscan::decoders {

/// Base64 and hex in one pass over the text (a second pass costs as much as the first): each
/// run of at least 16 base64 characters that is all hex digits is decoded as hex (hex.hpp),
/// any other of at least 24 as base64 (base64.hpp). Hex bounded by '+', '/' or '-' is part of
/// a longer run and not decoded. Spans name their decoder ("base64" or "hex"). At most
/// common.hpp's max_total bytes are decoded per text. Immutable; thread-safe.
class RunDecoder : public Decoder {
public:
    std::string_view name() const noexcept override { return "base64"; }
    void decode(std::string_view text, std::vector<DecodedSpan>& out) const override;
    /// The same spans; the runs are searched for only where the text differs from its lineage's
    /// base when the base's runs are known, and recorded in lineage->facts.runs.
    void decode_with_lineage(std::string_view text, std::vector<DecodedSpan>& out, Lineage* lineage) const override;
};

} // namespace secretscan::decoders
