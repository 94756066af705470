#include "engine/keyword_set.hpp"

namespace secretscan {

namespace {

unsigned char fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}

} // namespace

KeywordSet::KeywordSet(const std::vector<std::string>& keywords) : m_edges(1), m_own(1, -1), m_keywords(keywords.size())
{
    for (std::size_t id = 0; id < keywords.size(); ++id) {
        std::uint32_t at = 0;
        for (unsigned char raw : keywords[id]) {
            const unsigned char c = fold(raw);
            std::uint32_t next = child(at, c);
            if (next == 0) {
                next = static_cast<std::uint32_t>(m_own.size());
                m_own.push_back(-1);
                m_edges.emplace_back();
                if (at == 0) m_root[c] = next;
                else m_edges[at].emplace_back(c, next);
            }
            at = next;
        }
        m_own[at] = static_cast<std::int32_t>(id);
    }
    link();
}

std::uint32_t KeywordSet::child(std::uint32_t state, unsigned char c) const
{
    if (state == 0) return m_root[c];
    for (const auto& [symbol, target] : m_edges[state])
        if (symbol == c) return target;
    return 0;
}

std::uint32_t KeywordSet::step(std::uint32_t state, unsigned char c) const
{
    for (; state != 0; state = m_fail[state])
        if (const std::uint32_t next = child(state, c)) return next;
    return m_root[c];
}

/// Failure links, breadth first: a state's is the longest proper suffix of its text that is
/// also in the trie; its dictionary link the nearest of those that spells a keyword.
void KeywordSet::link()
{
    m_fail.assign(m_own.size(), 0);
    m_dict.assign(m_own.size(), m_own[0] >= 0 ? 0 : -1);
    m_dict[0] = -1;
    std::vector<std::uint32_t> queue;
    for (std::uint32_t s : m_root)
        if (s) queue.push_back(s);
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const std::uint32_t at = queue[head];
        for (const auto& [c, next] : m_edges[at]) {
            const std::uint32_t f = step(m_fail[at], c);
            m_fail[next] = f;
            m_dict[next] = m_own[f] >= 0 ? static_cast<std::int32_t>(f) : m_dict[f];
            queue.push_back(next);
        }
    }
}

void KeywordSet::find(std::string_view text, std::vector<int>& hits) const
{
    hits.clear();
    if (m_keywords == 0) return;
    std::vector<char> seen(m_keywords, 0);
    std::uint32_t at = 0;
    for (unsigned char raw : text) {
        at = step(at, fold(raw));
        for (std::int32_t t = m_own[at] >= 0 ? static_cast<std::int32_t>(at) : m_dict[at]; t >= 0; t = m_dict[static_cast<std::size_t>(t)])
            seen[static_cast<std::size_t>(m_own[static_cast<std::size_t>(t)])] = 1;
    }
    for (std::size_t k = 0; k < m_keywords; ++k)
        if (seen[k]) hits.push_back(static_cast<int>(k));
}

} // namespace secretscan
