#pragma once
// The one place RE2 is configured. Internal.

#include <re2/re2.h>

#include <cstdint>

namespace secretscan {

/// Memory for one rule's compiled regex and its DFA: RE2's default (8 MiB) is too little for
/// counted repetitions such as [A-Za-z0-9/+=]{40} over long inputs.
inline constexpr std::int64_t rule_regex_memory = 64 << 20;

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

} // namespace secretscan
