#pragma once
// The decode stage's first step, bytes to text (encodings, binary detection), and line/column
// mapping (docs/architecture.md, "Decoders").

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// What a chunk of bytes was decided to be.
enum class Encoding {
    utf8,     ///< UTF-8 or ASCII (or any 8-bit text; bytes are passed through as they are)
    utf8_bom, ///< UTF-8 with a byte-order mark, which is removed
    utf16le,  ///< UTF-16 little-endian, with or without a BOM; transcoded to UTF-8
    utf16be,  ///< UTF-16 big-endian, with or without a BOM; transcoded to UTF-8
    binary,   ///< a NUL byte in the first 8,000 bytes and not UTF-16 (git's rule): skipped
};

/// Bytes that git's binary probe inspects (git's xdiff `FIRST_FEW_BYTES`).
inline constexpr std::size_t binary_probe_bytes = 8000;

/// NUL bytes a text may hold in its probe and still be text (see detect_encoding).
inline constexpr std::size_t stray_nul_limit = 2;

/// Decides the encoding of `bytes`: a BOM wins; otherwise UTF-16 without a BOM is recognised when
/// the NUL bytes in the probe sit almost all at odd (LE) or even (BE) offsets, as in mostly-ASCII
/// UTF-16 text; otherwise a NUL in the first 8,000 bytes means binary, as git decides, except
/// for text with at most `stray_nul_limit` NULs and under 5 % control bytes (plus 1 byte of
/// slack), which is text: one NUL must not hide a whole file's secrets. Never throws.
Encoding detect_encoding(std::string_view bytes) noexcept;

/// Decoded text of a chunk. For utf8 the text is the input as is; UTF-16 is transcoded (an
/// unpaired surrogate becomes U+FFFD); a UTF-8 BOM is dropped. `text` is empty for binary.
struct Decoded {
    Encoding encoding = Encoding::utf8;
    std::string text;
};

/// Decodes `bytes` as detect_encoding decides. Never throws except std::bad_alloc.
Decoded decode(std::string_view bytes);

/// The text of `bytes` in encoding `e` (not binary), without a copy where none is needed: UTF-8
/// is `bytes` itself (a UTF-8 BOM dropped); UTF-16 is transcoded into `storage`. The view
/// points into `bytes` or `storage`. Never throws except std::bad_alloc.
std::string_view text_of(std::string_view bytes, Encoding e, std::string& storage);

/// Maps byte offsets in a text to 1-based lines and columns. Lines end at '\n'; a '\r' before
/// it is not part of the line. Columns count Unicode code points from the line start (1-based).
/// Holds a view of the text: the text must outlive the index. Immutable after construction.
class LineIndex {
public:
    explicit LineIndex(std::string_view text);

    /// 1-based line holding byte `offset` (offset == text size maps to the last line).
    std::size_t line_of(std::size_t offset) const noexcept;
    /// 1-based column (in code points) of byte `offset` on its line.
    std::size_t column_of(std::size_t offset) const noexcept;
    /// The text of 1-based line `line`, without its '\n' or '\r\n'. Empty when out of range.
    std::string_view line_text(std::size_t line) const noexcept;
    /// Byte offset where 1-based line `line` starts (the text size when out of range).
    std::size_t start_of(std::size_t line) const noexcept;
    /// Number of lines (a trailing '\n' does not start a new line).
    std::size_t line_count() const noexcept;

private:
    std::string_view m_text;
    std::vector<std::size_t> m_starts; // byte offset of each line start
};

} // namespace secretscan
