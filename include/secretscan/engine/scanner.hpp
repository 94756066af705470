#pragma once
// The scanner: one chunk in, its findings out. Runs the decode stage, the matcher and the filter
// chain's match, overlap and line steps (docs/architecture.md, "Pipeline").

#include <secretscan/engine/chunk.hpp>
#include <secretscan/engine/decoder.hpp>
#include <secretscan/engine/filter_chain.hpp>
#include <secretscan/engine/finding.hpp>
#include <secretscan/engine/matcher.hpp>
#include <secretscan/engine/text.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// Lines of context matched on either side of a run of added lines (scan_text with
/// added_lines): a multi-line secret edited in its middle is still matched whole. An RSA-8192
/// PEM block is about 75 lines.
inline constexpr std::size_t added_context_lines = 100;

/// How many decoders deep a text is decoded (base64 inside base64 is decoded twice).
inline constexpr int max_decode_depth = 2;

/// A match the filter chain dropped: which rule, where its secret starts in the text, and why.
struct TraceEntry {
    std::size_t rule = 0;
    std::size_t secret_begin = 0;
    Drop drop;
};

/// The file a rule's examples are scanned as: "example", or a name its first `paths` glob
/// matches ("*.env" gives "example.env").
std::string example_path(const Rule& rule);

/// The decoders every native scan runs after the text stage (decoder.hpp), in order: the list in
/// src/engine/decoders/standard.cpp, where a new decoder is added.
std::vector<std::shared_ptr<const Decoder>> standard_decoders();

/// Turns chunks into findings with a shared Matcher and FilterChain (which must outlive it) and
/// `decoders` (standard_decoders() for native scans; none for git-secrets, which greps raw
/// text). Immutable: const members are safe to call from many threads at once.
class Scanner {
public:
    Scanner(const Matcher& matcher, const FilterChain& chain, std::vector<std::shared_ptr<const Decoder>> decoders);

    /// The decode stage, then scan_text. Returns nullopt for a binary chunk (detect_encoding),
    /// which is not scanned. Does not look at the chunk's size (run_scan does). When `drops` is
    /// non-null, each match the filter chain dropped in the chunk's text (not in decoded spans)
    /// is appended to it as "NAME:LINE:COLUMN: rule ID, step STEP: REASON" (--explain-drops); with
    /// `validator_only`, only the matches a validator dropped (-v).
    /// A segment (Chunk::lines_before, own_first_line, own_last_line) keeps only the findings
    /// and drops on its own lines, numbered as lines of the whole text.
    std::optional<std::vector<Finding>> scan_chunk(const Chunk& chunk, std::vector<std::string>* drops = nullptr, bool validator_only = false) const;

    /// Findings in decoded UTF-8 `text`: the matcher's matches through the filter chain's match
    /// steps, one finding per secret (overlap), then the line steps. When `added_lines` is
    /// non-null (sorted, 1-based) only the text within added_context_lines of an added line is
    /// matched. Then each decoder's spans are scanned the same way, up to max_decode_depth, and
    /// their findings located at the encoded span. Findings come in text order, fingerprints
    /// filled in. Every dropped match is counted in the chain and, when `trace` is non-null,
    /// appended there. `lineage` (Matcher::find) lets the keyword prefilter search only what
    /// `text` does not copy from a text scanned before; the findings are the same.
    /// Throws what Matcher::find throws.
    std::vector<Finding> scan_text(std::string_view text, const Provenance& where,
                                   const std::vector<std::size_t>* added_lines = nullptr,
                                   std::vector<TraceEntry>* trace = nullptr, Lineage* lineage = nullptr) const;

    /// Why `text`, scanned as a file at example_path(), gives no finding of rule `rule` (an index
    /// into the matcher's rules), as the pipeline decides it: no keyword, no regex match, or the
    /// first step that dropped its match. nullopt when it gives one. For `rules check`.
    std::optional<std::string> explain_miss(std::size_t rule, std::string_view text) const;

    const Matcher& matcher() const noexcept { return m_matcher; }
    const FilterChain& chain() const noexcept { return m_chain; }

    /// Rules whose matches are redacted from findings' line texts but never reported: the
    /// built-in rules a scan disabled (`disable:`, --disable-rule, --no-builtin), so that switching
    /// a rule off never shows its secrets in clear on another finding's line. Only lines that hold
    /// a finding are searched, with no filter step. `redact_only` must outlive the Scanner; null
    /// (the default) searches nothing. Call before scanning; not thread-safe against scans.
    void set_redact_only(const Matcher* redact_only) noexcept { m_redact_only = redact_only; }

private:
    std::vector<Finding> scan_layer(std::string_view text, const Provenance& where, const std::vector<std::size_t>* added_lines,
                                    std::vector<TraceEntry>* trace, int depth, Lineage* lineage = nullptr) const;
    std::vector<Finding> scan_span(const Decoder& decoder, const DecodedSpan& span, std::string_view text, const LineIndex& lines,
                                   const Provenance& where, int depth) const;
    std::vector<RawMatch> kept_matches(std::string_view text, const Provenance& where, const std::vector<std::size_t>* added_lines,
                                       std::vector<TraceEntry>* trace, std::vector<MatchResult>& results,
                                       std::vector<std::pair<std::size_t, std::size_t>>& every_secret, Lineage* lineage) const;

    const Matcher& m_matcher;
    const FilterChain& m_chain;
    std::vector<std::shared_ptr<const Decoder>> m_decoders;
    const Matcher* m_redact_only = nullptr;
};

} // namespace secretscan
