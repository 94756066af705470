#pragma once
// The one place RE2 is configured. Internal.

#include <re2/re2.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace secretscan {

/// Memory for one rule's compiled regex and its DFA: RE2's default (8 MiB) is too little for
/// counted repetitions such as [A-Za-z0-9/+=]{40} over long inputs.
inline constexpr std::int64_t rule_regex_memory = 64 << 20;

/// The memory the regexes of rules loaded at run time (packs named by --rules or a
/// configuration, git-secrets patterns) share for their programs and DFAs: a committed pack of
/// thousands of rules, each filling a 64 MiB DFA on crafted text, took gigabytes.
inline constexpr std::int64_t loaded_rules_memory = 256 << 20;

/// One loaded rule's share of loaded_rules_memory when `count` are loaded: between 1 MiB (every
/// program within max_rule_program_size fits; the DFA then falls back to RE2's slower NFA where
/// it runs short, never to a wrong answer) and rule_regex_memory.
inline std::int64_t loaded_rule_memory(std::size_t count)
{
    const std::int64_t share = count ? loaded_rules_memory / static_cast<std::int64_t>(count) : loaded_rules_memory;
    return share < (1 << 20) ? (1 << 20) : share > rule_regex_memory ? rule_regex_memory : share;
}

/// RE2 options for every regex secretscan compiles: never log to stderr (an error is returned
/// and reported with the place of the regex), and `max_mem` bytes for the program and its DFA.
/// Callers add case-insensitivity or literal mode where they need it.
inline RE2::Options re2_options(std::int64_t max_mem = rule_regex_memory)
{
    RE2::Options o;
    o.set_log_errors(false);
    o.set_max_mem(max_mem);
    return o;
}

/// The most instructions one rule's compiled regex may have (RE2::ProgramSize()): about 3.6
/// times the largest shipped rule's (13,751). Compiling costs about a microsecond per
/// instruction, and a counted repetition of a Unicode class multiplies them: [\pL\pN]{1,250}
/// is 250 copies of a class of some 1,300 instructions (docs/rules.md, "Regex size").
inline constexpr int max_rule_program_size = 50'000;

/// The most instructions the regexes of all the packs one run loads may have together: 8 times
/// the shipped rules' (244,343), so compiling them stays around a second at worst.
inline constexpr std::int64_t max_total_program_size = 2'000'000;

/// The memory the size check compiles a regex in: every program of max_rule_program_size
/// instructions fits (1 MiB already does), and one far larger fails after some 40 ms instead of
/// compiling for seconds.
inline constexpr std::int64_t size_check_memory = 4 << 20;

/// Why `pattern` is too large for a rule, or "" (also when it does not compile at all: the
/// caller reports RE2's own error). Sets `size` to its program size (0 when not compiled).
/// Compiles it once within size_check_memory. Thread-safe.
inline std::string regex_size_problem(const std::string& pattern, int& size)
{
    size = 0;
    const RE2 re(pattern, re2_options(size_check_memory));
    const std::string remedy = "; simplify the regex: a smaller counted repetition (a {1,250} of a Unicode class such as \\pL is "
                               "250 copies of a class of over a thousand instructions), or an ASCII class instead of a Unicode one";
    if (re.error_code() == RE2::ErrorPatternTooLarge)
        return "the regex is too large to compile within " + std::to_string(size_check_memory >> 20) + " MiB, far over the limit of " +
               std::to_string(max_rule_program_size) + " RE2 instructions" + remedy;
    if (!re.ok()) return "";
    size = re.ProgramSize();
    if (size <= max_rule_program_size) return "";
    return "the regex compiles to " + std::to_string(size) + " RE2 instructions, more than the limit of " +
           std::to_string(max_rule_program_size) + remedy;
}

/// `regex` as the engine runs a rule's regex: `^` and `$` anchor lines, as in a line-oriented
/// scanner (RE2's (?m)), and `$` also holds before the "\r" of a CRLF line end, so a rule
/// anchored at the line's end matches in files written on Windows (each `$` outside a character
/// class becomes `(?:\r?$)`; the match may then end with that CR, which the matcher leaves out of
/// the secret). Capture groups are unchanged. Thread-safe.
inline std::string line_anchored(const std::string& regex)
{
    std::string out = "(?m)";
    out.reserve(regex.size() + 16);
    bool in_class = false;
    for (std::size_t i = 0; i < regex.size(); ++i) {
        const char c = regex[i];
        if (c == '\\' && i + 1 < regex.size() && regex[i + 1] == 'Q') { // \Q...\E is literal text
            const auto close = regex.find("\\E", i + 2);
            const std::size_t end = close == std::string::npos ? regex.size() : close + 2;
            out += regex.substr(i, end - i);
            i = end - 1;
        } else if (c == '\\' && i + 1 < regex.size()) {
            out += regex.substr(i++, 2);
        } else if (!in_class && c == '[') {
            in_class = true;
            out += c;
            if (i + 1 < regex.size() && regex[i + 1] == '^') out += regex[++i];
            if (i + 1 < regex.size() && regex[i + 1] == ']') out += regex[++i]; // a leading ] is literal
        } else if (in_class && c == '[' && i + 1 < regex.size() && regex[i + 1] == ':') {
            const auto close = regex.find(":]", i + 2); // [:alpha:] inside a class
            const std::size_t end = close == std::string::npos ? regex.size() : close + 2;
            out += regex.substr(i, end - i);
            i = end - 1;
        } else {
            if (in_class && c == ']') in_class = false;
            out += !in_class && c == '$' ? std::string("(?:\\r?$)") : std::string(1, c);
        }
    }
    return out;
}

/// The literal text every match of `regex` (a rule's regex as written) starts with, or "": the
/// characters before its first operator, class, group or escape of a letter, after leading
/// flag groups such as `(?i)` and zero-width `\b` and `^`. A character a quantifier follows is
/// not part of it, and a regex with `|` outside its groups has none. `caseless` says whether the
/// text matches case-insensitively (a leading `(?i)`). Conservative: "" is always a safe answer.
/// Thread-safe.
std::string leading_literal(std::string_view regex, bool& caseless);

} // namespace secretscan
