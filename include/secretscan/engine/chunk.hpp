#pragma once
// Chunks: the unit of input a Source hands to the pipeline (docs/architecture.md, "Pipeline").

#include <secretscan/engine/finding.hpp>
#include <secretscan/engine/matcher.hpp>
#include <secretscan/engine/text.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// Where a chunk came from; copied into every finding made from it.
struct Provenance {
    SourceKind source = SourceKind::file;
    std::string path;        ///< file path or path in the repository; empty for messages
    std::string source_name; ///< for messages: what to show instead of a path; for blobs: the path
                             ///< with the blob's id, "src/app.env (blob 1a2b3c4d5e6f)"

    /// The source name, else the path: how skipped inputs and errors name the chunk.
    const std::string& name() const noexcept { return source_name.empty() ? path : source_name; }
};

/// One input to scan: raw bytes with their provenance.
struct Chunk {
    Chunk(std::string_view b, Provenance w) : bytes(b), where(std::move(w)) {}

    std::string_view bytes;  ///< raw bytes; valid only during the call that receives the chunk
    Provenance where;
    /// Sorted 1-based numbers of the lines that count (a staged file's added lines): a match is
    /// reported only when one of the lines it spans is among them. Null: every line counts.
    const std::vector<std::size_t>* added_lines = nullptr;
    /// The encoding, when the source knows it (a commit message is text: git refuses NUL bytes
    /// in one). Unset: the decode stage detects it (detect_encoding).
    std::optional<Encoding> encoding;
    /// Scanned whatever its size (messages, which git commits whatever their size); otherwise a
    /// chunk larger than ScanOptions::max_file_size is skipped and listed.
    bool unlimited = false;
    /// One segment of a text read piece by piece (a large file): `lines_before` lines of the
    /// text come before it (added to its findings' lines), and it reports only the findings
    /// whose secret starts on its lines own_first_line..own_last_line (1-based, within the
    /// segment). The lines around those are context, whose findings the segment before or after
    /// reports. The defaults describe a whole text.
    std::size_t lines_before = 0;
    std::size_t own_first_line = 1;
    std::size_t own_last_line = SIZE_MAX;
    /// What the bytes copy from a text scanned before (Lineage; a history blob stored as a git
    /// delta), and where the keyword hits of these bytes are handed back. Null: none. Used only
    /// when the bytes are scanned as they are (UTF-8); the findings do not depend on it.
    Lineage* lineage = nullptr;
};

} // namespace secretscan
