#pragma once
// Findings: what a scan reports (docs/architecture.md, "Findings").

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// Where the scanned text came from.
enum class SourceKind {
    file,           ///< a file on disk (scan)
    stdin_input,    ///< standard input (scan -)
    staged,         ///< a staged blob in the index (staged)
    blob,           ///< a blob in history (history); see commit
    commit_message, ///< a commit's message (history); path is empty
    tag_message,    ///< an annotated tag's message (history); path is empty
    message_file,   ///< a commit message file (message FILE); path is empty
};

/// "file", "stdin", "staged", "blob", "commit-message", "tag-message" or "message-file".
std::string_view to_string(SourceKind k) noexcept;

/// A secret's place on a finding's line_text: bytes [begin, end). `cut` when the secret starts
/// before line_text does (a line over 1,000 bytes is kept as the 1,000 bytes around its finding).
struct LineSpan {
    std::size_t begin = 0;
    std::size_t end = 0;
    bool cut = false;
};

/// One reported secret. A finding is one (rule, secret, path); in history it is attributed to
/// the first commit (parents first) whose content holds it, and later commits that still hold it
/// add to `occurrences`.
struct Finding {
    std::string rule_id;
    std::string rule_name;
    std::string secret;      ///< the secret itself (UTF-8); redact before display
    std::string line_text;   ///< the decoded line where the secret starts, without end of line
    /// The whole text the rule matched, of which the secret is a part (at most 4,096 bytes): what
    /// a gitleaks allowlist with regexTarget = "match" searches. Not in reports.
    std::string match;
    SourceKind source = SourceKind::file;
    std::string path;        ///< path as given / relative to the repository top; empty for messages
    std::string source_name; ///< for messages: "commit <sha>", "tag <name>" or the message file path
    std::size_t line = 0;    ///< 1-based line of the secret's first character
    std::size_t column = 0;  ///< 1-based column of the secret's first character, in Unicode code points
    std::size_t end_line = 0;///< 1-based line of the match end (a PEM block spans lines)
    /// 1-based column (in code points) of the secret's last character, on the line it ends on;
    /// for a decoded secret, of the encoded text's last character.
    std::size_t end_column = 0;
    std::string commit;      ///< full commit id (history only)
    std::string author;      ///< "Name <email>" (history only)
    std::string date;        ///< author date, ISO 8601 with offset (history only)
    std::string tag;         ///< tag name (tag messages only)
    /// History only: the subject (first line) of `commit`'s message, every secret found in that
    /// message redacted (redact()) whatever --no-redact says; a report redacts this finding's
    /// secret in it too, as in line_text.
    std::string commit_message;
    /// History only: every scanned commit that writes a blob holding this secret at this path
    /// (or holds it in its message), full ids, parents first; `commit` is the first.
    std::vector<std::string> commits;
    /// History only: full names of the refs whose history holds one of `commits` (for a tag
    /// message, the tag's ref), sorted: what must be rewritten to remove the secret.
    std::vector<std::string> refs;
    std::size_t occurrences = 1;
    std::string fingerprint; ///< see fingerprint()
    std::string confidence;  ///< the rule's confidence
    std::string validation;  ///< what the rule's offline validator established, e.g. "AWS account
                             ///< 123456789012" or "CRC-32 check digits valid"; empty when none
    /// Whether the secret is still in the file at HEAD: 1 yes, 0 only in history, -1 unknown
    /// (a message, stdin, or a scan outside git). Files and staged blobs are current: 1.
    int present_at_head = -1;
    bool baseline_expired = false; ///< matched a baseline entry whose `expires` date has passed
    std::string decoder;     ///< the decoder whose output held the secret (decoder.hpp); empty: the text itself
    /// Every secret on line_text, as byte ranges of line_text: this finding's (its encoded text
    /// when it was decoded) and any other finding's on the same line. What a redacted report
    /// hides in line_text (redact_line).
    std::vector<LineSpan> line_spans;
    /// History only: where a single process's history scan reports this finding, as (slot,
    /// index): the slot is its commit message, (path, blob) change, tag or ref-named blob in the
    /// order every shard of `history --shard` walks alike, the index its place among that slot's
    /// findings. What `report merge` interleaves the shards by (a shard's report writes it).
    /// Empty for other sources.
    std::vector<std::size_t> shard_order;
};

/// Lowercase hex SHA-256 of rule_id, one NUL byte, then the secret's UTF-8 bytes: stable across
/// moves, renames and rebases, so baselines and SARIF's partialFingerprints follow a secret.
/// 64 characters. Thread-safe.
std::string fingerprint(std::string_view rule_id, std::string_view secret);

/// A secret as shown when redacted: with `percent` -1 (the default), its first 4 code points
/// followed by "…" (U+2026); with 0 to 100 (gitleaks' --redact=N), that share of its code points
/// hidden: the first floor(count × (100 − percent) / 100) kept, then "…" (0: the whole secret,
/// no "…"; 100: "…" alone).
std::string redact(std::string_view secret, int percent = -1);

/// `line` with every occurrence of `secret` replaced by redact(secret, percent).
std::string redact_in(std::string_view line, std::string_view secret, int percent = -1);

/// The finding's line_text with each of its line_spans redacted (redact(), or a lone "…" for a
/// secret that starts before line_text), overlapping spans as one; without line_spans (a finding
/// made outside the scanner), each occurrence of its secret. No secret of the line, encoded or
/// not, is left in it, however long the line.
std::string redact_line(const Finding& f, int percent = -1);

/// The place a finding is shown at: its path, else its source_name.
std::string display_location(const Finding& f);

/// "location:line:column", the position every human-readable output shows.
std::string display_position(const Finding& f);

/// Sorts by path (or source name), line, column, rule id, then commit: the report order.
void sort_findings(std::vector<Finding>& findings);

} // namespace secretscan
