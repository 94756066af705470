#include <secretscan/engine/glob.hpp>

#include "util/strings.hpp"

#include <fnmatch.h>

#include <vector>

namespace secretscan {

namespace {

bool segments_match(const std::vector<std::string>& g, std::size_t gi, const std::vector<std::string>& p, std::size_t pi)
{
    if (gi == g.size()) return pi == p.size();
    if (g[gi] == "**") {
        for (std::size_t k = pi; k <= p.size(); ++k)
            if (segments_match(g, gi + 1, p, k)) return true;
        return false;
    }
    return pi < p.size() && fnmatch(g[gi].c_str(), p[pi].c_str(), FNM_PERIOD) == 0 && segments_match(g, gi + 1, p, pi + 1);
}

} // namespace

bool glob_match(const std::string& glob, const std::string& path)
{
    const std::vector<std::string> p = split_nonempty(path, "/");
    if (glob.find('/') == std::string::npos) { // a name at any depth
        for (const auto& seg : p)
            if (fnmatch(glob.c_str(), seg.c_str(), FNM_PERIOD) == 0) return true;
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
