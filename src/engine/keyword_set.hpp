#pragma once
// The keyword prefilter for small inputs (a hook's staged lines, a few files): which of the
// rules' keywords occur in a text, ASCII case-insensitively. Internal to the engine.
//
// An Aho-Corasick automaton (Aho and Corasick, "Efficient string matching", CACM 18(6), 1975):
// the keywords' trie with failure links. The root's moves are a 256-entry table, the other
// states keep their few edges; building it is linear in the keywords' length (1,547 keywords,
// some 8,500 states, well under a millisecond), searching linear in the text. RE2::Set did the
// same job but took some 5 ms to compile at every start with 741 rules; bulk scans use
// Hyperscan where the build has it (matcher.cpp).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace secretscan {

class KeywordSet {
public:
    /// `keywords`: distinct; compared ASCII case-insensitively (bytes 0x80 and up as they are).
    /// Index i of the vector is the keyword's id in find()'s answer. An empty keyword occurs in
    /// every non-empty text.
    explicit KeywordSet(const std::vector<std::string>& keywords);

    /// The ids of the keywords that occur in `text` at least once, each once, ascending, in `hits`
    /// (cleared first). Linear in text.size(). Thread-safe (const).
    void find(std::string_view text, std::vector<int>& hits) const;

private:
    using Edges = std::vector<std::pair<unsigned char, std::uint32_t>>; ///< (folded byte, state)
    std::uint32_t child(std::uint32_t state, unsigned char c) const; ///< 0: none
    std::uint32_t step(std::uint32_t state, unsigned char c) const;  ///< the automaton's move on byte c
    void link();

    std::array<std::uint32_t, 256> m_root{}; ///< folded byte -> the root's child (0: none)
    std::vector<Edges> m_edges;              ///< state -> its trie edges (the root's are in m_root)
    std::vector<std::uint32_t> m_fail;       ///< state -> its failure state
    std::vector<std::int32_t> m_own;         ///< state -> the keyword it spells, or -1
    std::vector<std::int32_t> m_dict;        ///< state -> the nearest failure state that spells a keyword, or -1
    std::size_t m_keywords = 0;
};

} // namespace secretscan
