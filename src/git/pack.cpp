#include "git/pack.hpp"

#include "git/bytes.hpp"

#include <libdeflate.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace secretscan::git {

namespace {

[[noreturn]] void corrupt(const std::string& where, const std::string& what)
{
    throw Error(ErrorKind::runtime, where + ": " + what + " (the repository is damaged: git fsck names what to repair)");
}

/// Where in a pack an object lies, for an error message (built only when one is thrown).
struct Place {
    const std::string& pack;
    std::uint64_t offset;
};

[[noreturn]] void corrupt(const Place& where, const std::string& what)
{
    corrupt(where.pack + " at offset " + std::to_string(where.offset), what);
}

} // namespace

struct PackSet::Pack {
    std::string path;              // the .pack
    int fd = -1;
    std::uint32_t fanout[256]{};   // objects whose id's first byte is <= i
    std::vector<unsigned char> ids; // 20 bytes each, sorted
    std::vector<std::uint64_t> offsets; // in id order
    std::vector<std::uint64_t> sorted;  // every offset, ascending, then where the objects end

    ~Pack()
    {
        if (fd >= 0) ::close(fd);
    }

    /// Where the object at `offset` ends: the next object's offset, or the trailing checksum.
    std::uint64_t end_of(std::uint64_t offset) const
    {
        const auto it = std::upper_bound(sorted.begin(), sorted.end(), offset);
        return it == sorted.end() ? offset : *it;
    }
};

namespace {

/// Reads a version 2 index into `p`; false (with the reason in `why`) for another version.
/// Throws Error(runtime) for one that is truncated or inconsistent.
bool read_index(const std::string& idx_path, PackSet::Pack& p, std::string& why)
{
    std::vector<unsigned char> idx;
    if (!read_whole(idx_path, idx)) corrupt(idx_path, "cannot be read");
    if (idx.size() < 8 + 1024 || std::memcmp(idx.data(), "\377tOc", 4) != 0 || be32(&idx[4]) != 2) {
        why = "not a version 2 pack index";
        return false;
    }
    for (int i = 0; i < 256; ++i) p.fanout[i] = be32(&idx[8 + 4 * i]);
    const std::size_t n = p.fanout[255];
    const std::size_t ids_at = 8 + 1024, crc_at = ids_at + 20 * n, off_at = crc_at + 4 * n, big_at = off_at + 4 * n;
    if (idx.size() < big_at + 40) corrupt(idx_path, "truncated pack index");
    for (int i = 1; i < 256; ++i)
        if (p.fanout[i] < p.fanout[i - 1]) corrupt(idx_path, "pack index fan-out out of order");
    p.ids.assign(idx.begin() + static_cast<std::ptrdiff_t>(ids_at), idx.begin() + static_cast<std::ptrdiff_t>(crc_at));
    p.offsets.resize(n);
    const std::size_t big_count = (idx.size() - 40 - big_at) / 8;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t small = be32(&idx[off_at + 4 * i]);
        if (!(small & 0x80000000u)) {
            p.offsets[i] = small;
            continue;
        }
        const std::size_t k = small & 0x7fffffffu;
        if (k >= big_count) corrupt(idx_path, "pack index offset out of range");
        p.offsets[i] = (std::uint64_t{be32(&idx[big_at + 8 * k])} << 32) | be32(&idx[big_at + 8 * k + 4]);
    }
    return true;
}

/// Opens the .pack of `p` and checks its header against the index; false (with the reason) for
/// an unknown version. Throws Error(runtime) for a pack that cannot be read or does not match.
bool open_pack(PackSet::Pack& p, std::string& why)
{
    p.fd = ::open(p.path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    unsigned char head[12];
    if (p.fd < 0 || ::fstat(p.fd, &st) != 0 || !read_at(p.fd, 0, sizeof head, reinterpret_cast<char*>(head)))
        corrupt(p.path, "cannot be read");
    if (std::memcmp(head, "PACK", 4) != 0 || (be32(head + 4) != 2 && be32(head + 4) != 3)) {
        why = "not a version 2 or 3 pack";
        return false;
    }
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (be32(head + 8) != p.offsets.size() || size < 32) corrupt(p.path, "object count differs from its index");
    p.sorted = p.offsets;
    std::sort(p.sorted.begin(), p.sorted.end());
    if (!p.sorted.empty() && (p.sorted.front() < 12 || p.sorted.back() >= size - 20)) corrupt(p.path, "index offsets outside the pack");
    p.sorted.push_back(size - 20);
    return true;
}

} // namespace

PackSet::PackSet(const std::string& objects_dir, std::vector<std::string>& notes)
{
    namespace fs = std::filesystem;
    std::vector<fs::path> indexes;
    std::error_code ec;
    for (fs::directory_iterator it(fs::path(objects_dir) / "pack", ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".idx") indexes.push_back(it->path());
    std::sort(indexes.begin(), indexes.end());
    for (const fs::path& idx : indexes) {
        auto p = std::make_unique<Pack>();
        p->path = fs::path(idx).replace_extension(".pack").string();
        if (!fs::exists(p->path, ec)) continue; // an index being written, or left by an interrupted repack
        std::string why;
        if (read_index(idx.string(), *p, why) && open_pack(*p, why)) m_packs.push_back(std::move(p));
        else notes.push_back(idx.filename().string() + ": " + why + "; its objects are read through libgit2");
    }
}

PackSet::~PackSet() = default;

PackPosition PackSet::find(const git_oid& id) const noexcept
{
    for (std::uint32_t i = 0; i < m_packs.size(); ++i) {
        const Pack& p = *m_packs[i];
        const unsigned first = id.id[0];
        std::size_t lo = first ? p.fanout[first - 1] : 0, hi = p.fanout[first];
        const std::uint64_t want = be64(id.id);
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            const std::uint64_t have = be64(&p.ids[20 * mid]); // most steps decide on the first 8 bytes
            const int c = have != want ? (have < want ? -1 : 1) : std::memcmp(&p.ids[20 * mid + 8], id.id + 8, 12);
            if (c == 0) return {i, p.offsets[mid]};
            if (c < 0) lo = mid + 1;
            else hi = mid;
        }
    }
    return {};
}

struct ObjectReader::Cached {
    ObjectType type;
    SharedBytes bytes;
    std::list<std::uint64_t>::iterator at;
};

ObjectReader::ObjectReader(const PackSet& packs, git_repository* repo, std::size_t cache_bytes)
    : m_packs(packs), m_repo(repo), m_cache_limit(cache_bytes), m_inflater(libdeflate_alloc_decompressor()), m_odb(odb(repo))
{
    if (!m_inflater) throw std::bad_alloc();
}

ObjectReader::~ObjectReader()
{
    libdeflate_free_decompressor(m_inflater);
}

namespace {

std::uint64_t cache_key(std::uint32_t pack, std::uint64_t offset) noexcept
{
    return (std::uint64_t{pack} << 44) | offset;
}

Place at(const PackSet::Pack& p, std::uint64_t offset)
{
    return {p.path, offset};
}

/// A pack object's header: its type number, its size (inflated; a delta's own size), and where
/// its data (a delta's base reference first) starts in `span`.
struct Header {
    unsigned type;
    std::uint64_t size;
    std::size_t data;
};

Header parse_header(std::string_view span, const Place& where)
{
    std::size_t i = 0;
    if (span.empty()) corrupt(where, "empty object");
    unsigned c = static_cast<unsigned char>(span[i++]);
    Header h{(c >> 4) & 7u, c & 15u, 0};
    for (unsigned shift = 4; c & 0x80u; shift += 7) {
        if (i >= span.size() || shift > 57) corrupt(where, "bad object header");
        c = static_cast<unsigned char>(span[i++]);
        h.size |= std::uint64_t{c & 0x7fu} << shift;
    }
    h.data = i;
    return h;
}

/// A delta's varint (its base's or its result's size); advances `i`.
std::uint64_t delta_varint(std::string_view d, std::size_t& i, const Place& where)
{
    std::uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        if (i >= d.size() || shift > 63) corrupt(where, "truncated delta");
        const unsigned c = static_cast<unsigned char>(d[i++]);
        v |= std::uint64_t{c & 0x7fu} << shift;
        if (!(c & 0x80u)) return v;
    }
}

/// One copy instruction `op` of delta `d` (at `i`, advanced): the base's range it copies.
std::pair<std::uint64_t, std::uint64_t> copy_range(unsigned op, std::string_view d, std::size_t& i, const Place& where)
{
    std::uint64_t off = 0, len = 0;
    for (unsigned k = 0; k < 7; ++k) {
        if (!(op & (1u << k))) continue;
        if (i >= d.size()) corrupt(where, "truncated delta");
        const std::uint64_t byte = static_cast<unsigned char>(d[i++]);
        if (k < 4) off |= byte << (8 * k);
        else len |= byte << (8 * (k - 4));
    }
    return {off, len ? len : 0x10000};
}

/// The object delta `d` makes of `base`; its copy instructions are appended to `copies` when given.
SharedBytes apply_delta(std::string_view base, std::string_view d, const Place& where, std::vector<DeltaCopy>* copies = nullptr)
{
    std::size_t i = 0;
    if (delta_varint(d, i, where) != base.size()) corrupt(where, "delta does not fit its base");
    const auto made = std::make_shared<Buffer>(delta_varint(d, i, where));
    char* out = made->data();
    const std::size_t out_size = made->size();
    std::size_t w = 0;
    while (i < d.size()) {
        const unsigned op = static_cast<unsigned char>(d[i++]);
        if (op & 0x80u) {
            const auto [off, len] = copy_range(op, d, i, where);
            if (off + len > base.size() || len > out_size - w) corrupt(where, "delta copies outside its base");
            std::memcpy(out + w, base.data() + off, len);
            if (copies) copies->push_back({w, off, len});
            w += len;
        } else if (op != 0) {
            if (op > d.size() - i || op > out_size - w) corrupt(where, "delta inserts past its end");
            std::memcpy(out + w, d.data() + i, op);
            i += op, w += op;
        } else {
            corrupt(where, "reserved delta instruction");
        }
    }
    if (w != out_size) corrupt(where, "delta shorter than its result");
    return made;
}


/// A delta's base: an earlier object of the same pack, `back` bytes before it, or (back 0) the
/// object `id`; the delta's stream starts at `data`.
struct DeltaBase {
    std::uint64_t back = 0;
    git_oid id{};
    std::size_t data = 0;
};

DeltaBase parse_delta_base(std::string_view span, const Header& h, std::uint64_t offset, const Place& where)
{
    DeltaBase d;
    std::size_t i = h.data;
    if (h.type == 7) {
        if (span.size() < i + 20) corrupt(where, "truncated delta base id");
        std::memcpy(d.id.id, span.data() + i, 20);
        d.data = i + 20;
        return d;
    }
    unsigned c = 0x80;
    for (int n = 0; c & 0x80u; ++n) {
        if (i >= span.size() || n > 9) corrupt(where, "bad delta base offset");
        c = static_cast<unsigned char>(span[i++]);
        d.back = n ? ((d.back + 1) << 7) | (c & 0x7fu) : (c & 0x7fu);
    }
    if (d.back == 0 || d.back > offset) corrupt(where, "delta base outside the pack");
    d.data = i;
    return d;
}

/// The size of the object delta `d` makes.
std::uint64_t result_size(std::string_view d, const Place& where)
{
    std::size_t i = 0;
    delta_varint(d, i, where);
    return delta_varint(d, i, where);
}
} // namespace

std::string_view ObjectReader::load(const PackSet::Pack& p, std::uint64_t offset)
{
    const std::uint64_t end = p.end_of(offset);
    if (end <= offset) corrupt(at(p, offset), "no object there");
    m_span.resize(end - offset);
    if (!read_at(p.fd, offset, m_span.size(), m_span.data())) corrupt(at(p, offset), "cannot be read");
    return m_span;
}

SharedBytes ObjectReader::inflate(std::string_view stream, std::uint64_t size, const PackSet::Pack& p, std::uint64_t offset)
{
    const auto out = std::make_shared<Buffer>(size);
    std::size_t used = 0, made = 0;
    const libdeflate_result rc = libdeflate_zlib_decompress_ex(m_inflater, stream.data(), stream.size(), out->data(), size, &used, &made);
    if (rc != LIBDEFLATE_SUCCESS || made != size) corrupt(at(p, offset), "corrupt zlib stream");
    return out;
}

SharedBytes ObjectReader::cached(std::uint64_t key, ObjectType& type)
{
    const auto it = m_cache.find(key);
    if (it == m_cache.end()) return nullptr;
    m_lru.splice(m_lru.begin(), m_lru, it->second.at);
    type = it->second.type;
    return it->second.bytes;
}

void ObjectReader::remember(std::uint64_t key, ObjectType type, const SharedBytes& bytes)
{
    if (bytes->size() > m_cache_limit / 8 || m_cache.count(key)) return;
    m_lru.push_front(key);
    m_cache.emplace(key, Cached{type, bytes, m_lru.begin()});
    m_cache_used += bytes->size();
    while (m_cache_used > m_cache_limit && !m_lru.empty()) {
        const auto old = m_cache.find(m_lru.back());
        m_cache_used -= old->second.bytes->size();
        m_cache.erase(old);
        m_lru.pop_back();
    }
}

SharedBytes ObjectReader::base_by_id(const git_oid& id, ObjectType& type)
{
    git_odb_object* raw = nullptr;
    check(git_odb_read(&raw, m_odb.get(), &id), "read delta base", to_hex(id));
    const OdbObject obj(raw);
    type = static_cast<ObjectType>(git_odb_object_type(raw));
    const auto out = std::make_shared<Buffer>(git_odb_object_size(raw));
    std::memcpy(out->data(), git_odb_object_data(raw), out->size());
    return out;
}

SharedBytes ObjectReader::resolve(std::uint32_t pack, std::uint64_t offset, ObjectType& type,
                                                         std::uint64_t limit, std::uint64_t& size)
{
    struct Step {
        std::uint64_t key;
        SharedBytes delta;
    };
    std::vector<Step> chain; // the deltas from the object read down to its first known base
    SharedBytes base;
    std::uint64_t base_place = 0; // where the chain's first known base lies (0: outside the packs)
    m_copies.clear();
    m_base_place = 0;
    for (std::uint32_t pk = pack; !(base = cached(base_place = cache_key(pk, offset), type));) {
        const PackSet::Pack& p = m_packs.pack(pk);
        const std::string_view span = load(p, offset);
        const Header h = parse_header(span, at(p, offset));
        if (h.type >= 1 && h.type <= 4) {
            type = static_cast<ObjectType>(h.type);
            if (chain.empty() && h.size > limit) return size = h.size, nullptr;
            base = inflate(span.substr(h.data), h.size, p, offset);
            if (type == ObjectType::tree || type == ObjectType::blob) remember(cache_key(pk, offset), type, base); // commits and tags are no one's base
            break;
        }
        if ((h.type != 6 && h.type != 7) || chain.size() > 10000) corrupt(at(p, offset), "unknown object type or endless delta chain");
        const DeltaBase d = parse_delta_base(span, h, offset, at(p, offset));
        chain.push_back({cache_key(pk, offset), inflate(span.substr(d.data), h.size, p, offset)});
        if (chain.size() == 1 && (size = result_size(chain[0].delta->view(), at(p, offset))) > limit) return type = ObjectType::none, nullptr;
        if (d.back) {
            offset -= d.back;
            continue;
        }
        const PackPosition where = m_packs.find(d.id);
        if (where.pack == UINT32_MAX) {
            base = base_by_id(d.id, type);
            base_place = 0;
            break;
        }
        pk = where.pack, offset = where.offset;
    }
    const bool lineage = !chain.empty() && type == ObjectType::blob; // what the blob copies, for Object::copies
    if (lineage) m_base_place = chain.size() > 1 ? chain[1].key : base_place;
    for (std::size_t k = chain.size(); k-- > 0;) {
        base = apply_delta(base->view(), chain[k].delta->view(), Place{m_packs.pack(pack).path, chain[k].key & ((std::uint64_t{1} << 44) - 1)},
                           k == 0 && lineage ? &m_copies : nullptr);
        remember(chain[k].key, type, base);
    }
    size = base->size();
    return base;
}

ObjectReader::Object ObjectReader::read(const git_oid& id, std::uint64_t limit)
{
    const PackPosition pos = m_packs.find(id);
    if (pos.pack != UINT32_MAX) {
        Object o;
        m_current = resolve(pos.pack, pos.offset, o.type, limit, o.size);
        if (m_current) o.data = m_current->view();
        o.place = cache_key(pos.pack, pos.offset);
        if (m_current && m_base_place) o.base_place = m_base_place, o.copies = &m_copies;
        return o;
    }
    m_current.reset();
    std::size_t size = 0;
    git_object_t type{};
    check(git_odb_read_header(&size, &type, m_odb.get(), &id), "read object", to_hex(id));
    if (size > limit) return {static_cast<ObjectType>(type), size, {}, 0, 0, nullptr};
    git_odb_object* raw = nullptr;
    check(git_odb_read(&raw, m_odb.get(), &id), "read object", to_hex(id));
    m_outside = OdbObject(raw);
    return {static_cast<ObjectType>(type), git_odb_object_size(raw),
            std::string_view(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw)), 0, 0, nullptr};
}

SharedBytes ObjectReader::read_owned(const git_oid& id, ObjectType expected)
{
    const Object o = read(id);
    if (o.type != expected)
        throw Error(ErrorKind::runtime, "read " + std::string(expected == ObjectType::tree ? "tree " : "commit ") + to_hex(id) +
                                            ": it is another type of object (the repository is damaged)");
    if (m_current) return m_current;
    const auto copy = std::make_shared<Buffer>(o.data.size());
    std::memcpy(copy->data(), o.data.data(), o.data.size());
    return copy;
}

} // namespace secretscan::git
