#pragma once
// POSIX extended regular expressions (with GNU grep's extensions), as git-secrets stores its
// patterns, translated to RE2. References: POSIX.1-2017 XBD 9.4 "Extended Regular Expressions";
// the GNU grep manual, "Regular Expressions" (\w \W \s \S \b \B \< \> and bracket rules).

#include <string>
#include <vector>

namespace secretscan {

/// Translates one ERE to RE2 syntax with the same meaning on a single line:
/// - bracket expressions keep POSIX rules: a leading ']' is literal, a backslash inside is
///   literal, [:class:] names carry over, [=c=] and [.c.] become c;
/// - \w \W \s \S \b \B carry over, \< and \> become \b, \` and \' become ^ and $;
/// - a `{` that does not start a valid interval, and a repetition operator at the start of an
///   expression, are literal (GNU);
/// - nothing matches a newline (negated classes and \W exclude it), so a pattern never spans
///   lines when the text is matched whole;
/// - any other escaped character stands for itself.
/// Throws Error(config) naming the pattern for what RE2 cannot express (back-references
/// \1-\9) and for malformed input (a trailing backslash, an unclosed bracket expression).
std::string ere_to_re2(const std::string& ere);

/// The RE2 regex that finds `ere` as grep -w does: a match bounded on both sides by a line edge
/// or a character other than [A-Za-z0-9_]. Capture group 1 holds the match itself; ^ and $ match
/// at line boundaries. Throws as ere_to_re2 does, and Error(config) when RE2 rejects the result.
std::string ere_word_regex(const std::string& ere);

/// Literal strings (lower-case) of which at least one occurs in any text `re2_regex` matches,
/// computed by RE2's prefilter (re2/filtered_re2.h); empty when no such set exists (the regex
/// must then run on every input). Atoms shorter than `min_length` bytes are not used.
std::vector<std::string> required_literals(const std::string& re2_regex, int min_length = 3);

/// Literals (lower-case, each at least `min_length` bytes) of which every match of the ERE
/// `ere` contains one, read from its structure (literal runs, alternations of them, mandatory
/// groups); empty when none is certain. Complements required_literals, whose RE2 prefilter
/// gives up on alternations such as (A3T[A-Z0-9]|AKIA).
std::vector<std::string> ere_required_literals(const std::string& ere, std::size_t min_length = 3);

} // namespace secretscan
