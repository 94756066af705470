#include <secretscan/engine/glob.hpp>

#include "util/strings.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <vector>

namespace secretscan {

namespace {

/// The kind of glob segment `text` is: "**" (where segments are globs of a path), no wildcard,
/// '*' then no wildcard, or anything else.
Glob::Segment::Kind kind_of(const std::string& text, bool in_path)
{
    if (in_path && text == "**") return Glob::Segment::any_depth;
    const std::size_t wild = text.find_first_of("*?[\\");
    if (wild == std::string::npos) return Glob::Segment::exact;
    if (wild == 0 && text[0] == '*' && text.find_first_of("*?[\\", 1) == std::string::npos) return Glob::Segment::suffix;
    return Glob::Segment::pattern;
}

/// Whether path segments `p` match glob segments `g` followed by one more "**" (a glob of a
/// folder covers what is inside it), where a "**" segment matches any number of path segments
/// (none included) and any other one exactly one segment. The classic wildcard walk: on a mismatch, only the last "**" seen takes
/// one more segment, and earlier ones never need to (whatever they could take, the last one can
/// take instead). So there is no recursion, and at most |g| x |p| segment comparisons, however
/// many "**" the glob has (the recursive search this replaces took minutes for eight of them).
bool segments_match(const std::vector<Glob::Segment>& g, const std::vector<std::string>& p)
{
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    const std::size_t n = g.size() + 1; // the last: the implied "**"
    const auto star = [&](std::size_t i) { return i == g.size() || g[i].kind == Glob::Segment::any_depth; }; // i < n
    std::size_t gi = 0, pi = 0;
    std::size_t last = none, last_pi = 0; // the last "**" seen, and the first path segment it did not take
    while (pi < p.size()) {
        if (gi < n && star(gi)) {
            last = gi++, last_pi = pi;
        } else if (gi < n && g[gi].matches(p[pi])) {
            ++gi, ++pi;
        } else if (last != none) {
            gi = last + 1, pi = ++last_pi; // the "**" takes one more segment
        } else {
            return false;
        }
    }
    while (gi < n && star(gi)) ++gi;
    return gi == n;
}

/// The end of the bracket expression opening at glob[open] (the index of its ']'), or npos.
/// Sets `why` for a reversed range.
std::size_t bracket_end(const std::string& glob, std::size_t open, std::string& why)
{
    std::size_t i = open + 1;
    if (i < glob.size() && (glob[i] == '!' || glob[i] == '^')) ++i;
    const std::size_t first = i;
    for (; i < glob.size(); ++i) {
        if (glob[i] == ']' && i > first) return i;
        if (glob[i] == '[' && i + 1 < glob.size() && glob[i + 1] == ':') { // [:class:]
            const std::size_t end = glob.find(":]", i + 2);
            if (end == std::string::npos) return std::string::npos;
            i = end + 1;
            continue;
        }
        if (i + 2 < glob.size() && glob[i + 1] == '-' && glob[i + 2] != ']') { // a range
            if (static_cast<unsigned char>(glob[i + 2]) < static_cast<unsigned char>(glob[i]) && why.empty())
                why = "the range '" + glob.substr(i, 3) + "' is reversed (it can match nothing)";
            i += 2;
        }
    }
    return std::string::npos;
}

} // namespace

std::string glob_error(const std::string& glob)
{
    if (glob.empty()) return "an empty glob";
    for (std::size_t i = 0; i < glob.size(); ++i) {
        if (glob[i] == '\\') {
            if (++i == glob.size()) return "it ends in a lone '\\'";
        } else if (glob[i] == '[') {
            std::string why;
            const std::size_t end = bracket_end(glob, i, why);
            if (end == std::string::npos) return "a '[' without a closing ']'";
            if (!why.empty()) return why;
            i = end;
        }
    }
    return "";
}

bool glob_match(const std::string& glob, const std::string& path)
{
    return glob_match(glob, split_nonempty(path, "/"));
}

bool glob_match(const std::string& glob, const std::vector<std::string>& p)
{
    return Glob(glob).matches(p);
}

bool Glob::Segment::matches(const std::string& segment) const
{
    switch (kind) {
    case exact:
        return text == segment;
    case suffix: // "*.yml": fnmatch's answer without calling it (FNM_PERIOD: no leading '.')
        return !segment.empty() && segment[0] != '.' && segment.size() >= text.size() - 1 &&
               segment.compare(segment.size() - (text.size() - 1), text.size() - 1, text, 1) == 0;
    case pattern:
        return fnmatch(text.c_str(), segment.c_str(), FNM_PERIOD) == 0;
    case any_depth:
        break;
    }
    return false;
}

Glob::Glob(const std::string& glob) : m_name(glob.find('/') == std::string::npos)
{
    if (m_name) { // a name at any depth
        m_segments.push_back({glob, kind_of(glob, false)});
        return;
    }
    for (std::string& g : split_nonempty(glob, "/")) { // "dir/" covers everything below as "dir" does (matches())
        const Segment::Kind k = kind_of(g, true);
        m_segments.push_back({std::move(g), k});
    }
}

bool Glob::matches(const std::vector<std::string>& p) const
{
    if (m_name) return std::any_of(p.begin(), p.end(), [this](const std::string& seg) { return m_segments[0].matches(seg); });
    return segments_match(m_segments, p);
}

bool any_glob_matches(const std::vector<Glob>& globs, const std::vector<std::string>& path_segments)
{
    return std::any_of(globs.begin(), globs.end(), [&](const Glob& g) { return g.matches(path_segments); });
}

} // namespace secretscan
