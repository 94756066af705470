#pragma once
// What the hook files and the code that runs them share. Internal to src/hooks/.

#include <string>

namespace secretscan {

/// `s` as one POSIX shell word: single-quoted, with each ' written as '\''.
inline std::string shell_quote(const std::string& s)
{
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace secretscan
