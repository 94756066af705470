#pragma once
// A reader of git's pack files, for history scans: it reads a repository's packs itself (each
// object with one pread, inflated with libdeflate, deltas resolved through a bounded cache of
// recent bases) because libgit2 1.5 reads packed objects about 3 times slower than git does and
// maps whole packs into memory. Objects no pack holds (loose ones, those of an alternate object
// store, a pack in a format this reader does not know) are read through libgit2, which stays
// the reference the tests compare against. Internal: it exposes libgit2's git_oid.
//
// Formats (git's Documentation/gitformat-pack.txt): a version 2 index (.idx) is the magic
// "\377tOc", the version 2, a 256-entry fan-out of big-endian counts, the sorted 20-byte object
// ids, their CRC-32s, their 4-byte pack offsets (high bit set: an index into a table of 8-byte
// offsets that follows) and two checksums. A pack (.pack) is "PACK", version 2 or 3, the object
// count, then objects: a header of type (1 commit, 2 tree, 3 blob, 4 tag, 6 delta against an
// earlier offset, 7 delta against an object id) and inflated size in 7-bit little-endian groups,
// the base's negative offset or id for a delta, and the zlib stream. A delta is the base's size
// and the result's size as 7-bit varints, then instructions: copy (high bit set; bits 0-3 say
// which offset bytes follow, bits 4-6 which size bytes; size 0 means 0x10000) or insert (the low
// 7 bits are a count of literal bytes; 0 is reserved).

#include "git/repository.hpp"

#include <secretscan/engine/lineage.hpp>

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct libdeflate_decompressor;

namespace secretscan::git {

/// An object's bytes. Allocated uninitialised: the inflater or a delta writes every byte.
class Buffer {
public:
    explicit Buffer(std::size_t size) : m_data(new char[size]), m_size(size) {}
    char* data() noexcept { return m_data.get(); }
    std::size_t size() const noexcept { return m_size; }
    std::string_view view() const noexcept { return {m_data.get(), m_size}; }

private:
    std::unique_ptr<char[]> m_data;
    std::size_t m_size;
};
using SharedBytes = std::shared_ptr<const Buffer>;

/// The object types a pack stores whole (git's numbering).
enum class ObjectType : std::uint8_t { none = 0, commit = 1, tree = 2, blob = 3, tag = 4 };

/// Where a packed object lies: the pack's index in a PackSet and the object's byte offset in it.
struct PackPosition {
    std::uint32_t pack = UINT32_MAX; ///< UINT32_MAX: in no pack this reader opened
    std::uint64_t offset = 0;
    bool operator<(const PackPosition& o) const noexcept { return pack != o.pack ? pack < o.pack : offset < o.offset; }
};

/// The packs of one repository (objects/pack/pack-*.idx with their .pack), opened once, shared
/// read-only by every worker. Memory: each index is read whole (28 bytes per object, plus 8 per
/// object for the sorted offsets); pack contents are never mapped or held.
class PackSet {
public:
    /// Opens the packs in `objects_dir` (a repository's "objects" folder). A pack whose index
    /// is not version 2 (SHA-1), or whose .pack does not start with "PACK" version 2 or 3, is
    /// passed over (libgit2 reads its objects), and said in `notes`. Throws Error(runtime) for a
    /// pack index that is truncated or inconsistent.
    PackSet(const std::string& objects_dir, std::vector<std::string>& notes);
    ~PackSet();
    PackSet(const PackSet&) = delete;
    PackSet& operator=(const PackSet&) = delete;

    /// The position of `id`, or pack == UINT32_MAX when no opened pack holds it. Thread-safe.
    PackPosition find(const git_oid& id) const noexcept;

    struct Pack;
    const Pack& pack(std::uint32_t i) const { return *m_packs[i]; }
    std::size_t size() const noexcept { return m_packs.size(); }

private:
    std::vector<std::unique_ptr<Pack>> m_packs;
};

/// A copy instruction of a git delta: `length` bytes of the result at `to` are the base's at
/// `from` (the engine's Copy, which a blob's Lineage lists).
using DeltaCopy = secretscan::Copy;

/// One worker's reader: objects by id, from the packs or (for the rest) through libgit2, with a
/// cache of recently resolved objects (bounded by `cache_bytes`) so that a delta chain's bases
/// are inflated once while nearby objects are read. Not thread-safe: one per worker.
class ObjectReader {
public:
    /// `repo` reads what no pack holds; it must outlive the reader and belong to this worker.
    ObjectReader(const PackSet& packs, git_repository* repo, std::size_t cache_bytes);
    ~ObjectReader();
    ObjectReader(const ObjectReader&) = delete;
    ObjectReader& operator=(const ObjectReader&) = delete;

    /// An object: its type, its size in bytes, and its bytes (empty when the size is above the
    /// limit it was read with). The bytes stay valid until the next read.
    struct Object {
        ObjectType type = ObjectType::none;
        std::uint64_t size = 0;
        std::string_view data;
        /// Where it lies in the packs (0: in none); for a blob stored as a delta on another
        /// packed object, that base's place and the delta's copy instructions, in the blob's
        /// order (valid until the next read). Only for an object resolved by this read, not
        /// taken whole from the cache.
        std::uint64_t place = 0, base_place = 0;
        const std::vector<DeltaCopy>* copies = nullptr;
    };

    /// Reads object `id`. When its size exceeds `limit` bytes, returns its type and size only,
    /// without resolving it. Throws Error(runtime) naming the object and the pack for a missing
    /// object, a truncated or corrupt stream, or a delta that does not fit its base.
    Object read(const git_oid& id, std::uint64_t limit = UINT64_MAX);

    /// Reads object `id`, which must be of type `expected` (a tree or a commit, for a walk that
    /// holds several at once), into bytes the caller shares. Throws Error(runtime) as read()
    /// does, and naming the object when it has another type.
    SharedBytes read_owned(const git_oid& id, ObjectType expected);

private:
    struct Cached;
    SharedBytes resolve(std::uint32_t pack, std::uint64_t offset, ObjectType& type, std::uint64_t limit, std::uint64_t& size);
    SharedBytes base_by_id(const git_oid& id, ObjectType& type);
    SharedBytes cached(std::uint64_t key, ObjectType& type);
    void remember(std::uint64_t key, ObjectType type, const SharedBytes& bytes);
    std::string_view load(const PackSet::Pack& p, std::uint64_t offset);
    SharedBytes inflate(std::string_view stream, std::uint64_t size, const PackSet::Pack& p, std::uint64_t offset);

    const PackSet& m_packs;
    git_repository* m_repo;
    std::size_t m_cache_limit, m_cache_used = 0;
    libdeflate_decompressor* m_inflater;
    std::string m_span;                           // the last object's bytes as stored in its pack
    SharedBytes m_current;                        // the last object read
    std::vector<DeltaCopy> m_copies;              // the last blob's copy instructions, when it was a delta
    std::uint64_t m_base_place = 0;               // and its base's place
    Odb m_odb;                                    // libgit2's, for objects outside the packs
    OdbObject m_outside;                          // the last object read through it
    std::list<std::uint64_t> m_lru;               // cache keys, most recent first
    std::unordered_map<std::uint64_t, Cached> m_cache;
};

} // namespace secretscan::git
