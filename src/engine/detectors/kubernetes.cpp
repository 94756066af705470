// The "kubernetes-secret" detector (engine/detectors.hpp): every value of a Kubernetes Secret
// manifest's data: map, whatever its key's name.

#include "engine/detectors/syntax.hpp"

#include <algorithm>

namespace secretscan::detect {

namespace {

std::size_t indent(std::string_view line) noexcept
{
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    return i;
}

/// The YAML document holding byte `p`: from after the "---" line before it to the next one.
Span document_at(std::string_view t, std::size_t p)
{
    std::size_t b = line_start(t, p);
    while (b > 0 && !t.substr(b).starts_with("---")) b = line_start(t, b - 1);
    std::size_t e = line_end(t, p);
    while (e < t.size() && !t.substr(e + 1).starts_with("---")) e = line_end(t, e + 1);
    return {b, e};
}

/// The value of a `key: value` map entry on `line` (starting at byte `at` of the text), quotes
/// removed; nullopt for an entry without a value on its line.
std::optional<Span> entry_value(std::string_view line, std::size_t at)
{
    const std::size_t colon = line.find(": ");
    if (colon == npos) return std::nullopt;
    std::size_t b = colon + 2, e = line.size();
    while (b < e && line[b] == ' ') ++b;
    while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\r')) --e;
    if (e - b >= 2 && (line[b] == '"' || line[b] == '\'') && line[e - 1] == line[b]) ++b, --e;
    if (b >= e) return std::nullopt;
    return Span{at + b, at + e};
}

/// Every entry of the top-level data: map in [doc.b, doc.e), as (key line start, value).
void data_entries(std::string_view t, Span doc, std::vector<std::pair<Span, Span>>& found)
{
    bool inside = false;
    for (std::size_t b = doc.b; b < doc.e; b = line_end(t, b) + 1) {
        const std::string_view line = t.substr(b, line_end(t, b) - b);
        const std::size_t in = indent(line);
        if (in == line.size() || line[in] == '#') continue; // blank lines and comments
        if (in == 0) {
            inside = line.starts_with("data:") && line.find_first_not_of(" \t\r", 5) == npos;
            continue;
        }
        if (inside)
            if (const auto v = entry_value(line, b)) found.emplace_back(Span{b + in, v->b}, *v);
    }
}

void kubernetes_secret(const Rule& rule, std::size_t rule_index, std::string_view text, std::size_t begin, std::size_t end,
                       std::vector<RawMatch>& out)
{
    std::vector<std::pair<Span, Span>> found;
    std::size_t done = 0; // documents already read
    for (const std::string& keyword : rule.keywords)
        for (std::size_t p = find_ci(text, begin, end, keyword); p != npos; p = find_ci(text, p + 1, end, keyword)) {
            if (p < done || line_start(text, p) != p) continue; // `kind:` starts its line
            const Span doc = document_at(text, p);
            data_entries(text, doc, found);
            done = doc.e;
        }
    append_matches(rule_index, found, out);
}

} // namespace

DetectorFn kubernetes_secret_detector() noexcept
{
    return kubernetes_secret;
}

} // namespace secretscan::detect
