#pragma once
// git's commit-graph, read for history walks: each commit's tree, parents and committer time
// without inflating the commit. git writes one on gc, on fetch (fetch.writeCommitGraph) and with
// `git commit-graph write`; a commit it does not hold is read from the object database as
// before. Internal: it exposes libgit2's git_oid.
//
// Format (git's Documentation/gitformat-commit-graph.txt): "CGPH", version 1, the hash version
// (1: SHA-1), the number of chunks and of base graphs; a table of (4-byte chunk id, 8-byte
// offset) entries ending with id 0 at the end of the last chunk; then the chunks: OIDF, 256
// big-endian cumulative counts by first id byte; OIDL, the sorted 20-byte commit ids; CDAT, per
// commit the root tree's id, the positions of the first and second parents (0x70000000: none;
// the high bit set on the second: the rest of the parents are listed in EDGE from that index)
// and 8 bytes whose low 34 bits are the commit time; EDGE, 4-byte parent positions, the last of
// each commit marked by the high bit; BASE, in a split graph, the checksums of the graphs below
// it. Last comes the SHA-1 of everything before it. A split graph is the list
// objects/info/commit-graphs/commit-graph-chain (one checksum per line, base first) of the files
// graph-CHECKSUM.graph there; positions count across the layers, from the base's first commit.

#include "git/repository.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace secretscan::git {

/// The commit-graph of one repository, read whole when opened (about 56 bytes per commit) and
/// then shared read-only by every worker.
class CommitGraph {
public:
    /// Reads `objects_dir`/info/commit-graph, else the split graph of info/commit-graphs/, as git
    /// does. None: an empty graph. A graph that fails its checksum, is truncated, has chunks out
    /// of place or out of order, a chain whose layers do not name each other, or is in a format
    /// this reader does not know (another version, SHA-256): an empty graph, the reason appended
    /// to `notes` (the walk then reads every commit). Never throws for the graph's content.
    CommitGraph(const std::string& objects_dir, std::vector<std::string>& notes);

    /// What the graph says of one commit.
    struct Commit {
        git_oid tree{};
        std::vector<git_oid> parents; ///< in the commit's order
        std::int64_t time = 0;        ///< committer time, seconds since the epoch, 34 bits (git's parse of the committer line)
    };
    /// Fills `out` with commit `id`'s entry; false when the graph does not hold it or the entry
    /// names a parent position the graph does not have. Thread-safe.
    bool find(const git_oid& id, Commit& out) const;
    /// The number of commits the graph holds.
    std::size_t size() const noexcept;

    struct Layer; ///< one file of the graph
    CommitGraph(const CommitGraph&) = delete;
    CommitGraph& operator=(const CommitGraph&) = delete;
    ~CommitGraph();

private:
    bool entry(const Layer& l, std::size_t k, Commit& out) const;
    bool id_at(std::uint32_t position, git_oid& out) const;
    std::vector<Layer> m_layers; // base first
};

} // namespace secretscan::git
