#pragma once
// The matcher: text in, every rule's regex matches (byte spans) out. Knows nothing of files,
// lines, filters or git: what a match is worth is the filter chain's question (filter_chain.hpp).

#include <secretscan/engine/lineage.hpp>
#include <secretscan/rules/rule.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace secretscan {

/// One match of one rule in a text. Offsets are 0-based byte offsets into the text given to
/// Matcher::find, half-open ([begin, end)).
struct RawMatch {
    std::size_t rule = 0;         ///< index into Matcher::rules()
    std::size_t begin = 0;        ///< whole match
    std::size_t end = 0;
    std::size_t secret_begin = 0; ///< the rule's secret group
    std::size_t secret_end = 0;
};

/// Rules compiled for matching. Construction compiles only the prefilters: one RE2::Set over
/// every rule's keywords, and one RE2::Set of the regexes of rules that have no keywords
/// (patterns taken from git config). A rule's own regex is compiled the first time its keywords
/// occur in a text, so a scan pays only for the rules its input can trigger.
///
/// Thread-safety: after construction every const member may be called from any number of
/// threads at once (lazy compilation is guarded by std::call_once).
class Matcher {
public:
    /// Throws Error(config) when a prefilter cannot be compiled or a keyword-less rule's regex
    /// is invalid.
    explicit Matcher(std::vector<Rule> rules);
    ~Matcher();
    Matcher(const Matcher&) = delete;
    Matcher& operator=(const Matcher&) = delete;

    const std::vector<Rule>& rules() const noexcept { return m_rules; }

    /// Appends to `out` every match in `text` of every rule whose keyword occurs in it (ASCII
    /// case-insensitive), in rule order then text order, unfiltered. A rule with `paths` runs
    /// only when `path` (the chunk's) matches one of them; one with `paths` and no keywords then
    /// runs on the whole text. A match whose secret group did not take part or is empty is not a
    /// match. Matches of one rule never overlap. `text` is UTF-8 (bytes that are not valid UTF-8
    /// never match a non-ASCII class, and never crash).
    /// Throws Error(runtime) when RE2's DFA runs out of memory (never reported as "no match"),
    /// Error(config) when a rule's regex does not compile (file, line, rule id).
    /// With `lineage` (lineage.hpp), a bulk scan (accelerate()) searches only the new bytes and
    /// the seams for keywords when the base's hits are known, and sets lineage->facts.hits;
    /// without Hyperscan it is ignored.
    void find(std::string_view text, std::vector<RawMatch>& out, std::string_view path = {}, Lineage* lineage = nullptr) const;

    /// The matches of rule `rule` (an index into rules()) in the whole of `text`, whether its
    /// keywords occur or not: for explaining why a text gave no finding. Throws as find does.
    void find_rule(std::size_t rule, std::string_view text, std::vector<RawMatch>& out) const;

    /// Whether one of rule `rule`'s keywords occurs in `text` (ASCII case-insensitive).
    bool keyword_occurs(std::size_t rule, std::string_view text) const;

    /// Compiles every rule now. Throws Error(config) on the first regex that fails.
    void compile_all() const;

    /// For bulk scans (history, directories): switches the keyword prefilter to Hyperscan when
    /// the build has it (several times faster than RE2::Set on large inputs; compiling the
    /// shipped rules' keywords costs some 40 ms, which a hook should not pay). Returns whether it
    /// is now in use.
    /// Thread-safe; call before or between finds.
    bool accelerate() const;
    /// Compiles what accelerate() switches to, without switching: a scan may start it on another
    /// thread before it knows whether it will be a bulk one. Returns whether it is available.
    /// Thread-safe.
    bool prepare_acceleration() const;

private:
    bool applies_here(std::size_t rule, std::string_view path) const; // applies_to, remembered per thread
    struct Impl;
    std::vector<Rule> m_rules;
    std::unique_ptr<Impl> m_impl;
};

/// Whether `rule` applies to a file at `path`: it has no `paths`, or `path` matches one of them
/// (glob.hpp). Thread-safe.
bool applies_to(const Rule& rule, std::string_view path);

/// Shannon entropy of `s` in bits per byte (0 for an empty string, at most 8).
double shannon_entropy(std::string_view s) noexcept;

} // namespace secretscan
