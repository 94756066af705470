#pragma once
// Lineage: what a text shares with a text scanned before it, so that the whole-text passes of a
// scan (the keyword prefilter, the search for base64 runs) read only the bytes that differ. A
// history scan reads blobs git stores as deltas on other blobs: most of each blob's bytes are
// copies (docs/architecture.md, "Reading history"). The findings never depend on a lineage:
// tests/unit/engine/test_matcher.cpp and test_decoders.cpp compare every result with a whole pass.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace secretscan {

/// One occurrence of a keyword in a text: the keyword's index in the Matcher that found it and
/// the byte offset just past the occurrence. Texts of 4 GiB or more have none (not prefiltered).
struct KeywordHit {
    std::uint32_t keyword = 0;
    std::uint32_t end = 0;
    bool operator==(const KeywordHit&) const noexcept = default;
};

/// A maximal run of base64 characters (both alphabets) of at least 16 bytes: [begin, end).
struct TextRun {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    bool operator==(const TextRun&) const noexcept = default;
};

/// What the whole-text passes found in one text, in text order: every keyword hit (by end, then
/// keyword) and every run. Each `known` flag says the list is complete (the pass ran).
struct TextFacts {
    std::vector<KeywordHit> hits;
    bool hits_known = false;
    std::vector<TextRun> runs;
    bool runs_known = false;
};

/// `length` bytes a text copies, at `to`, from an earlier text's byte `from` (a git delta's copy
/// instruction).
struct Copy {
    std::size_t to = 0, from = 0, length = 0;
};

/// A text's lineage: the facts of the earlier text it copies from (`base`, of the same Matcher
/// and decoders; null when unknown), the ranges it copies, in the text's order and not
/// overlapping (the rest of the text is new), and the text's own facts, filled in by the passes
/// that ran (Matcher::find, a decoder's decode), for the texts that copy from it.
struct Lineage {
    const TextFacts* base = nullptr;
    std::vector<Copy> copies;
    TextFacts facts;
};

} // namespace secretscan
