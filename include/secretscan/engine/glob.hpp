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

/// glob_match with the path already split at '/' (empty segments dropped).
bool glob_match(const std::string& glob, const std::vector<std::string>& path_segments);

/// One glob, split and classified once, for matching many paths (rules' `paths`, one path
/// against many globs): matches() answers as glob_match does. Thread-safe once built.
class Glob {
public:
    explicit Glob(const std::string& glob);
    /// Whether a path split at '/' (empty segments dropped) matches.
    bool matches(const std::vector<std::string>& path_segments) const;

    /// One segment of a glob: matched whole ("config"), as a suffix ("*.yml": the text after
    /// '*', on a name not starting with '.'), with fnmatch (any other wildcard), or "**".
    struct Segment {
        enum Kind : unsigned char { exact, suffix, pattern, any_depth };
        std::string text;
        Kind kind;
        bool matches(const std::string& segment) const;
    };

private:
    std::vector<Segment> m_segments;
    bool m_name = false; // no '/': one segment, matched against each of the path's
};

/// Whether a path split at '/' matches one of `globs` (none: false).
bool any_glob_matches(const std::vector<Glob>& globs, const std::vector<std::string>& path_segments);

} // namespace secretscan
