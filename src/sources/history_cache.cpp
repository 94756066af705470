#include "sources/history_cache.hpp"

#include <cstdint>
#include <cstring>
#include <optional>

namespace secretscan::history {

namespace {

void put_u32(std::string& out, std::uint32_t v)
{
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

/// Count, then each change as (path length, path, blob id).
std::string encode(const std::vector<Change>& changes)
{
    std::string out;
    put_u32(out, static_cast<std::uint32_t>(changes.size()));
    for (const Change& c : changes) {
        put_u32(out, static_cast<std::uint32_t>(c.path.size()));
        out += c.path;
        out.append(reinterpret_cast<const char*>(c.blob.id), GIT_OID_RAWSZ);
    }
    return out;
}

/// nullopt when `bytes` are not what encode() writes.
std::optional<std::vector<Change>> decode(std::string_view bytes)
{
    std::size_t at = 0;
    const auto u32 = [&](std::uint32_t& v) {
        if (bytes.size() - at < sizeof v) return false;
        std::memcpy(&v, bytes.data() + at, sizeof v);
        at += sizeof v;
        return true;
    };
    std::uint32_t n = 0;
    if (!u32(n) || n > bytes.size()) return std::nullopt;
    std::vector<Change> out(n);
    for (Change& c : out) {
        std::uint32_t len = 0;
        if (!u32(len) || bytes.size() - at < static_cast<std::size_t>(len) + GIT_OID_RAWSZ) return std::nullopt;
        c.path.assign(bytes.substr(at, len));
        std::memcpy(c.blob.id, bytes.data() + at + len, GIT_OID_RAWSZ);
        at += len + GIT_OID_RAWSZ;
    }
    if (at != bytes.size()) return std::nullopt;
    return out;
}

std::string raw(const git_oid& id)
{
    return std::string(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ);
}

} // namespace

CommitWork cached_commit_work(ScanCache* cache, const git_oid& id, bool boundary, const std::function<CommitWork()>& inspect,
                              std::atomic<std::size_t>& hits)
{
    if (!cache || !cache->active()) return inspect();
    const std::string key = "C" + raw(id) + (boundary ? "S" : "-");
    if (std::string_view bytes; cache->find_commit(key, bytes))
        if (auto changes = decode(bytes)) {
            hits.fetch_add(1, std::memory_order_relaxed);
            return CommitWork{std::move(*changes), {}};
        }
    CommitWork work = inspect();
    cache->store_commit(key, encode(work.changes));
    return work;
}

std::string blob_cache_key(const git_oid& blob, const std::string& path_key)
{
    return "B" + raw(blob) + path_key;
}

std::string message_cache_key(const git_oid& commit)
{
    return "M" + raw(commit);
}

} // namespace secretscan::history
