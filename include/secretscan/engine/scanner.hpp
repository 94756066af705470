#pragma once
// The scanner: decoded text with provenance in, findings out. Applies the line-level filters
// (inline allow markers, the staged scan's added lines) on top of the matcher.

#include <secretscan/engine/finding.hpp>
#include <secretscan/engine/matcher.hpp>
#include <secretscan/engine/text.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// Where a text came from; copied into every finding made from it.
struct Provenance {
    SourceKind source = SourceKind::file;
    std::string path;        ///< file path or path in the repository; empty for messages
    std::string source_name; ///< for messages: what to show instead of a path
};

/// An input that was not scanned, and why ("binary", "too large (12345678 bytes)", ...).
struct Skipped {
    std::string name;
    std::string reason;
};

/// Counters of one scan. `items` counts files, blobs or messages scanned; `bytes` their size
/// before decoding. Skipped inputs are listed, never counted in `items`.
struct ScanStats {
    std::uint64_t items = 0;
    std::uint64_t bytes = 0;
    std::vector<Skipped> skipped;
    double seconds = 0.0;
    std::string unit = "files"; ///< what items are: "files", "blobs", "lines"...

    /// Adds another worker's counters to these.
    void merge(const ScanStats& other);
};

/// The findings and counters of a whole scan.
struct ScanResult {
    std::vector<Finding> findings;
    ScanStats stats;
    std::vector<std::string> warnings; ///< e.g. "shallow repository: history is incomplete"
    std::vector<std::string> notes;    ///< progress facts for --verbose (phase timings, counts)
};

/// Settings shared by every scan.
struct ScanOptions {
    std::uint64_t max_file_size = 10u << 20; ///< bytes; larger inputs are skipped and listed
    unsigned threads = 0;                    ///< 0 = one per core
    bool no_ignore = false;                  ///< scan: do not skip what .gitignore ignores
};

/// Markers that, anywhere on the line where a match starts or ends, suppress it (DESIGN §3).
inline constexpr std::string_view inline_allow_markers[] = {"secretscan:allow", "gitleaks:allow", "pragma: allowlist secret"};

/// Number of files or blobs from which a scan switches the matcher to its bulk prefilter
/// (Matcher::accelerate): below it, compiling that prefilter would cost more than it saves.
inline constexpr std::size_t bulk_scan_items = 256;

/// Lines of context matched on either side of a run of added lines (scan_text with
/// added_lines): a multi-line secret edited in its middle is still matched whole. An RSA-8192
/// PEM block is about 75 lines.
inline constexpr std::size_t added_context_lines = 100;

/// Turns texts into findings with a shared Matcher. Stateless besides the matcher reference:
/// const members are safe to call from many threads at once.
class Scanner {
public:
    /// `inline_allow`: honour inline_allow_markers (off in git-secrets mode, which has none).
    explicit Scanner(const Matcher& matcher, bool inline_allow = true) : m_matcher(matcher), m_inline_allow(inline_allow) {}

    /// Findings in decoded UTF-8 `text`. When `added_lines` is non-null (sorted, 1-based line
    /// numbers) a match is kept only if one of the lines it spans is in it, and only the text
    /// within added_context_lines of an added line is matched. Of matches whose secrets overlap
    /// only one becomes a finding: a pack rule's over a git-secrets pattern's, a provider rule's
    /// over a generic rule's, then the higher confidence, then the earlier rule (a Shopify token
    /// assigned to `password` is reported as the Shopify token). Findings come in text order;
    /// fingerprints are filled in. Throws what Matcher::find throws.
    std::vector<Finding> scan_text(std::string_view text, const Provenance& where,
                                   const std::vector<std::size_t>* added_lines = nullptr) const;

    /// Decodes raw bytes and scans them, counting into `stats`: a binary input or one larger
    /// than `options.max_file_size` is listed in stats.skipped under `where`'s name instead.
    std::vector<Finding> scan_bytes(std::string_view bytes, const Provenance& where, const ScanOptions& options,
                                    ScanStats& stats, const std::vector<std::size_t>* added_lines = nullptr) const;

    const Matcher& matcher() const noexcept { return m_matcher; }

private:
    const Matcher& m_matcher;
    bool m_inline_allow;
};

/// Runs fn(worker, i) for every i in [0, n) on `threads` workers (at least 1, at most n), each
/// worker taking the next index in order. The first exception thrown stops the other workers
/// taking new work and is rethrown in the caller.
void parallel_for(std::size_t n, unsigned threads, const std::function<void(unsigned, std::size_t)>& fn);

/// `threads`, or the number of cores when it is 0.
unsigned effective_threads(unsigned threads) noexcept;

} // namespace secretscan
