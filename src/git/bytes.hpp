#pragma once
// Byte helpers shared by the readers of git's binary files (pack.cpp, commit_graph.cpp):
// big-endian integers as git writes them, and whole reads with pread.

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace secretscan::git {

/// The big-endian 32-bit integer at `p` (4 readable bytes).
inline std::uint32_t be32(const unsigned char* p) noexcept
{
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

/// The big-endian 64-bit integer at `p` (8 readable bytes).
inline std::uint64_t be64(const unsigned char* p) noexcept
{
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return __builtin_bswap64(v);
}

/// Reads exactly `n` bytes at `offset` of `fd` into `out`; false on a short read or an error.
inline bool read_at(int fd, std::uint64_t offset, std::size_t n, char* out) noexcept
{
    while (n > 0) {
        const ssize_t got = ::pread(fd, out, n, static_cast<off_t>(offset));
        if (got <= 0) return false;
        out += got, n -= static_cast<std::size_t>(got), offset += static_cast<std::uint64_t>(got);
    }
    return true;
}

/// The whole of regular file `path` into `out`; false when it is not a regular file (a folder,
/// a FIFO) or cannot be opened or read to its end.
inline bool read_whole(const std::string& path, std::vector<unsigned char>& out)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return false;
    struct stat st {};
    bool ok = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (ok) {
        out.resize(static_cast<std::size_t>(st.st_size));
        ok = read_at(fd, 0, out.size(), reinterpret_cast<char*>(out.data()));
    }
    ::close(fd);
    return ok;
}

} // namespace secretscan::git
