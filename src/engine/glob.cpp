#include <secretscan/engine/glob.hpp>

#include "util/strings.hpp"

#include <fnmatch.h>

#include <vector>

namespace secretscan {

namespace {

/// fnmatch, without calling it for the two shapes most globs have: no wildcard (".npmrc"), equal
/// strings; '*' then no wildcard ("*.yml"), the suffix, on a name not starting with '.' (as
/// FNM_PERIOD wants).
bool segment_match(const std::string& glob, const std::string& segment)
{
    const std::size_t wild = glob.find_first_of("*?[\\");
    if (wild == std::string::npos) return glob == segment;
    if (wild == 0 && glob[0] == '*' && glob.find_first_of("*?[\\", 1) == std::string::npos)
        return !segment.empty() && segment[0] != '.' && segment.size() >= glob.size() - 1 &&
               segment.compare(segment.size() - (glob.size() - 1), glob.size() - 1, glob, 1) == 0;
    return fnmatch(glob.c_str(), segment.c_str(), FNM_PERIOD) == 0;
}

/// Whether path segments `p` match glob segments `g`, where a "**" segment matches any number
/// of path segments (none included) and any other one exactly one segment (segment_match).
/// The classic wildcard walk: on a mismatch, only the last "**" seen takes one more segment, and
/// earlier ones never need to (whatever they could take, the last one can take instead). So
/// there is no recursion, and at most |g| x |p| segment comparisons, however many "**" the glob
/// has (the recursive search this replaces took minutes for eight of them).
bool segments_match(const std::vector<std::string>& g, const std::vector<std::string>& p)
{
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    std::size_t gi = 0, pi = 0;
    std::size_t star = none, star_pi = 0; // the last "**" seen, and the first path segment it did not take
    while (pi < p.size()) {
        if (gi < g.size() && g[gi] == "**") {
            star = gi++, star_pi = pi;
        } else if (gi < g.size() && segment_match(g[gi], p[pi])) {
            ++gi, ++pi;
        } else if (star != none) {
            gi = star + 1, pi = ++star_pi; // the "**" takes one more segment
        } else {
            return false;
        }
    }
    while (gi < g.size() && g[gi] == "**") ++gi;
    return gi == g.size();
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
    if (glob.find('/') == std::string::npos) { // a name at any depth
        for (const auto& seg : p)
            if (segment_match(glob, seg)) return true;
        return false;
    }
    std::vector<std::string> g = split_nonempty(glob, "/");
    // "dir/" or "dir/**": everything below; a trailing "**" already does that.
    if (!glob.empty() && glob.back() == '/') g.push_back("**");
    if (segments_match(g, p)) return true;
    g.push_back("**"); // a folder glob covers what is inside it
    return segments_match(g, p);
}

} // namespace secretscan
