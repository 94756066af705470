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

bool segments_match(const std::vector<std::string>& g, std::size_t gi, const std::vector<std::string>& p, std::size_t pi)
{
    if (gi == g.size()) return pi == p.size();
    if (g[gi] == "**") {
        for (std::size_t k = pi; k <= p.size(); ++k)
            if (segments_match(g, gi + 1, p, k)) return true;
        return false;
    }
    return pi < p.size() && segment_match(g[gi], p[pi]) && segments_match(g, gi + 1, p, pi + 1);
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
    if (segments_match(g, 0, p, 0)) return true;
    g.push_back("**"); // a folder glob covers what is inside it
    return segments_match(g, 0, p, 0);
}

} // namespace secretscan
