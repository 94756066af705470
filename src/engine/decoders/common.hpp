#pragma once
// The limits the standard decoders share (docs/architecture.md, "Decoders"). Whether a decoded
// span is text worth scanning again is util/encoding.hpp's is_printable_text, as for the
// extractors.

#include <cstddef>

namespace secretscan::decoders {

/// Longest encoded span decoded (bytes): a base64 kubeconfig or service-account key is a few
/// KiB; a megabyte of base64 is an embedded file, not a setting.
inline constexpr std::size_t max_span = 256 * 1024;
/// Most decoded bytes one decoder returns for one text; spans past it are not decoded.
inline constexpr std::size_t max_total = 4 * 1024 * 1024;

} // namespace secretscan::decoders
