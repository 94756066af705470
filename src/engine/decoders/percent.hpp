#pragma once
// The percent decoder (RFC 3986, section 2.1): a URL or form value whose credentials are
// percent-encoded (`https%3A%2F%2Fdeploy%3AS3cr3t%40host`). docs/architecture.md, "Decoders".

#include <secretscan/engine/decoder.hpp>

namespace secretscan::decoders {

/// Decodes each run of printable, non-space ASCII that holds a `%XX` escape (quotes, '<', '>'
/// and '`' end a run, and an '=' before its first escape starts it: `NEXT=https%3A...` is decoded
/// from `https`), when the decoded run is text (util/encoding.hpp, is_printable_text) and holds a ':', '@',
/// '=' or '/' that was escaped: what makes a credential in a URL or a form. '+' stays '+'.
/// Limits in common.hpp. Immutable; thread-safe.
class PercentDecoder : public Decoder {
public:
    std::string_view name() const noexcept override { return "percent"; }
    void decode(std::string_view text, std::vector<DecodedSpan>& out) const override;
};

} // namespace secretscan::decoders
