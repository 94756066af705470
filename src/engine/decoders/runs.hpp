#pragma once
// Finding runs of base64 or hex characters fast, and decoding them: every byte of every scanned
// text passes through here, so 64 bytes at a time are classified into a bit mask (SSE2, AVX2
// where the processor has it, a table elsewhere) and runs are read off the mask (runs_loop.hpp).

#include <secretscan/engine/decoder.hpp>

#include <cstddef>
#include <functional>
#include <string_view>

namespace secretscan::decoders {

/// Which characters a run is made of.
enum class RunClass {
    base64, ///< A-Z a-z 0-9 + / - _ (RFC 4648's two alphabets together)
    hex     ///< 0-9 a-f A-F
};

/// Calls `on_run(begin, end)` (byte offsets, half-open) for each maximal run of at least
/// `min_length` bytes (16 or more: less is taken as 16) of class `cls` in `text`, in text order.
/// `on_run` returns the offset to go on from (at least `end`; a wrapped run may have consumed
/// more). Thread-safe.
using OnRun = std::function<std::size_t(std::size_t, std::size_t)>;
void find_runs(std::string_view text, RunClass cls, std::size_t min_length, const OnRun& on_run);

/// Base64 and hex in one pass over the text (a second pass costs as much as the first): each
/// run of at least 16 base64 characters that is all hex digits is decoded as hex (hex.hpp),
/// any other of at least 24 as base64 (base64.hpp). Hex bounded by '+', '/' or '-' is part of
/// a longer run and not decoded. Spans name their decoder ("base64" or "hex"). At most
/// common.hpp's max_total bytes are decoded per text. Immutable; thread-safe.
class RunDecoder : public Decoder {
public:
    std::string_view name() const noexcept override { return "base64"; }
    void decode(std::string_view text, std::vector<DecodedSpan>& out) const override;
};

} // namespace secretscan::decoders
