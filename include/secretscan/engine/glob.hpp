#pragma once
// Path globs, as the allowlist step of the filter chain matches them (docs/config.md, "Path globs").

#include <string>
#include <vector>

namespace secretscan {

/// Whether `path` (relative, '/'-separated) matches `glob`: `*` and `?` and [...] within one
/// path segment (fnmatch), `**` any number of segments; a glob without '/' matches any segment
/// (a file or folder name at any depth, like .gitignore), so `testdata` covers a whole folder.
bool glob_match(const std::string& glob, const std::string& path);

/// glob_match with the path already split at '/' (empty segments dropped): for matching one path
/// against many globs, as rules' `paths` are.
bool glob_match(const std::string& glob, const std::vector<std::string>& path_segments);

} // namespace secretscan
