#include "git/commit_graph.hpp"

#include "git/bytes.hpp"

#include <mbedtls/sha1.h>

#include <cstring>
#include <filesystem>
#include <fstream>

namespace secretscan::git {

/// One file of the graph, read whole; chunk places are byte offsets into it.
struct CommitGraph::Layer {
    std::vector<unsigned char> bytes;
    std::uint32_t first = 0, count = 0; // the position of its first commit (across layers); its commits
    std::size_t fanout = 0, ids = 0, data = 0, edges = 0, edge_count = 0, bases = 0;
    const unsigned char* at(std::size_t offset) const noexcept { return bytes.data() + offset; }
    /// Its checksum (the trailing 20 bytes): what a chain and the layers above it call it.
    const unsigned char* checksum() const noexcept { return bytes.data() + bytes.size() - 20; }
};

namespace {

constexpr std::size_t hash_size = 20, data_size = hash_size + 16;
constexpr std::uint32_t no_parent = 0x70000000u, high_bit = 0x80000000u;

struct Span {
    std::size_t at = 0, length = 0;
};

/// The places of the chunks OIDF, OIDL, CDAT, EDGE and BASE (in that order; length 0 when
/// absent) from the chunk table of `b`; false, with the reason, when the table is malformed.
bool chunk_table(const std::vector<unsigned char>& b, Span (&out)[5], std::string& why)
{
    const std::size_t chunks = b[6], end = b.size() - hash_size, table_end = 8 + 12 * (chunks + 1);
    if (table_end > end) return why = "truncated chunk table", false;
    static constexpr const char* names[5] = {"OIDF", "OIDL", "CDAT", "EDGE", "BASE"};
    std::uint64_t previous = table_end;
    for (std::size_t i = 0; i < chunks; ++i) {
        const unsigned char* e = &b[8 + 12 * i];
        const std::uint64_t at = be64(e + 4), next = be64(e + 16);
        if (at < previous || next < at || next > end) return why = "chunk " + std::to_string(i) + " out of place", false;
        previous = at;
        for (int k = 0; k < 5; ++k)
            if (std::memcmp(e, names[k], 4) == 0) out[k] = {static_cast<std::size_t>(at), static_cast<std::size_t>(next - at)};
    }
    if (be32(&b[8 + 12 * chunks]) != 0) return why = "chunk table not terminated", false;
    return true;
}

/// Checks the chunks of `l` against each other and fills in their places; false with the reason.
bool read_chunks(CommitGraph::Layer& l, std::string& why)
{
    Span c[5];
    if (!chunk_table(l.bytes, c, why)) return false;
    const auto& [fanout, ids, data, edges, bases] = c;
    if (fanout.length != 1024 || ids.length == 0 || data.length == 0) return why = "a required chunk is missing", false;
    for (int i = 1; i < 256; ++i)
        if (be32(l.at(fanout.at + 4 * i)) < be32(l.at(fanout.at + 4 * (i - 1)))) return why = "fan-out out of order", false;
    l.count = be32(l.at(fanout.at + 1020));
    if (ids.length != std::size_t{l.count} * hash_size || data.length != std::size_t{l.count} * data_size || edges.length % 4 != 0 ||
        bases.length != std::size_t{l.bytes[7]} * hash_size)
        return why = "chunk sizes do not match its commit count", false;
    for (std::size_t i = 1; i < l.count; ++i)
        if (std::memcmp(l.at(ids.at + hash_size * (i - 1)), l.at(ids.at + hash_size * i), hash_size) >= 0)
            return why = "commit ids out of order", false;
    l.fanout = fanout.at, l.ids = ids.at, l.data = data.at, l.edges = edges.at, l.edge_count = edges.length / 4, l.bases = bases.at;
    return true;
}

/// Reads the graph file `path` into `l`; false with the reason.
bool read_layer(const std::string& path, CommitGraph::Layer& l, std::string& why)
{
    if (!read_whole(path, l.bytes)) return why = "not a regular file, or it cannot be read", false;
    const auto& b = l.bytes;
    if (b.size() < 8 + 12 + hash_size || std::memcmp(b.data(), "CGPH", 4) != 0) return why = "not a commit-graph file", false;
    if (b[4] != 1) return why = "version " + std::to_string(b[4]) + " (this reader knows version 1)", false;
    if (b[5] != 1) return why = "hash version " + std::to_string(b[5]) + " (this reader knows SHA-1 only)", false;
    unsigned char digest[hash_size];
    mbedtls_sha1_ret(b.data(), b.size() - hash_size, digest);
    if (std::memcmp(digest, l.checksum(), hash_size) != 0) return why = "checksum mismatch (damaged or torn)", false;
    return read_chunks(l, why);
}

/// Whether `l` lists exactly the layers below it (`below`, base first) as its bases.
bool fits_on(const CommitGraph::Layer& l, const std::vector<CommitGraph::Layer>& below, std::string& why)
{
    bool fits = l.bytes[7] == below.size();
    for (std::size_t i = 0; fits && i < below.size(); ++i)
        fits = std::memcmp(l.at(l.bases + hash_size * i), below[i].checksum(), hash_size) == 0;
    if (!fits) why = "its base graphs are not the layers below it";
    return fits;
}

/// The graph files git reads, in order: info/commit-graph alone, else the chain's layers.
std::vector<std::string> graph_files(const std::string& objects_dir)
{
    namespace fs = std::filesystem;
    const fs::path info = fs::path(objects_dir) / "info";
    std::error_code ec;
    if (fs::exists(info / "commit-graph", ec)) return {(info / "commit-graph").string()};
    std::vector<std::string> files;
    std::ifstream chain(info / "commit-graphs" / "commit-graph-chain");
    for (std::string line; std::getline(chain, line);)
        if (!line.empty()) files.push_back((info / "commit-graphs" / ("graph-" + line + ".graph")).string());
    return files;
}

} // namespace

CommitGraph::CommitGraph(const std::string& objects_dir, std::vector<std::string>& notes)
{
    std::uint32_t total = 0;
    const std::vector<std::string> files = graph_files(objects_dir);
    for (const std::string& file : files) {
        Layer l;
        std::string why;
        if (!read_layer(file, l, why) || !fits_on(l, m_layers, why)) { // the layers below stay good: none names one above
            const std::size_t above = files.size() - m_layers.size() - 1;
            notes.push_back(file + ": " + why + "; the commits it holds" +
                            (above ? " and those of the " + std::to_string(above) + " layer(s) above it" : std::string()) +
                            " are read from the object database");
            return;
        }
        l.first = total;
        total += l.count;
        m_layers.push_back(std::move(l));
    }
}

CommitGraph::~CommitGraph() = default;

std::size_t CommitGraph::size() const noexcept
{
    return m_layers.empty() ? 0 : std::size_t{m_layers.back().first} + m_layers.back().count;
}

bool CommitGraph::id_at(std::uint32_t position, git_oid& out) const
{
    for (const Layer& l : m_layers)
        if (position - l.first < l.count) {
            std::memcpy(out.id, l.at(l.ids + hash_size * (position - l.first)), hash_size);
            return true;
        }
    return false;
}

bool CommitGraph::find(const git_oid& id, Commit& out) const
{
    for (const Layer& l : m_layers) {
        const unsigned first = id.id[0];
        std::size_t lo = first ? be32(l.at(l.fanout + 4 * (first - 1))) : 0, hi = be32(l.at(l.fanout + 4 * first));
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            const int c = std::memcmp(l.at(l.ids + hash_size * mid), id.id, hash_size);
            if (c == 0) return entry(l, mid, out);
            if (c < 0) lo = mid + 1;
            else hi = mid;
        }
    }
    return false;
}

bool CommitGraph::entry(const Layer& l, std::size_t k, Commit& out) const
{
    const unsigned char* d = l.at(l.data + data_size * k);
    std::memcpy(out.tree.id, d, hash_size);
    out.time = static_cast<std::int64_t>((std::uint64_t{be32(d + 28) & 3u} << 32) | be32(d + 32));
    out.parents.clear();
    const std::uint32_t first = be32(d + 20), second = be32(d + 24);
    git_oid p;
    if (first != no_parent) {
        if (!id_at(first, p)) return false;
        out.parents.push_back(p);
    }
    if (second == no_parent) return true;
    if (!(second & high_bit)) return id_at(second, p) && (out.parents.push_back(p), true);
    for (std::size_t e = second & ~high_bit; e < l.edge_count; ++e) { // an octopus merge: the rest are in EDGE
        const std::uint32_t v = be32(l.at(l.edges + 4 * e));
        if (!id_at(v & ~high_bit, p)) return false;
        out.parents.push_back(p);
        if (v & high_bit) return true;
    }
    return false;
}

} // namespace secretscan::git
