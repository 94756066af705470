#pragma once
// Path globs, as the allowlist step of the filter chain matches them (docs/config.md, "Path globs").

#include <string>
#include <vector>

namespace secretscan {

/// Whether `path` (relative, '/'-separated) matches `glob`: `*` and `?` and [...] within one
/// path segment (fnmatch), `**` any number of segments; a glob without '/' matches any segment
/// (a file or folder name at any depth, like .gitignore), so `testdata` covers a whole folder.
bool glob_match(const std::string& glob, const std::string& path);

/// Why `glob` is not a valid glob, or "" when it is: it is empty, a bracket expression has no
/// closing ']' or a reversed range ("[z-a]", which fnmatch would silently never match), or it
/// ends in a lone '\\'. For checking globs where they are written (configuration files);
/// glob_match itself accepts anything.
std::string glob_error(const std::string& glob);

/// glob_match with the path already split at '/' (empty segments dropped): for matching one path
/// against many globs, as rules' `paths` are.
bool glob_match(const std::string& glob, const std::vector<std::string>& path_segments);

} // namespace secretscan
