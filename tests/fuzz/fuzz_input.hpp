#pragma once
// Shared by the libFuzzer targets: the input as text, and as a file for the loaders that only
// read files. Only secretscan::Error is an expected rejection; any other exception escapes to
// libFuzzer, which reports it as a crash.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

namespace secretscan::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size)
{
    return {reinterpret_cast<const char*>(data), size};
}

/// One temporary file per process (removed at exit), rewritten with each input; its path.
inline const std::string& input_file(const std::uint8_t* data, std::size_t size)
{
    static const std::string path = [] {
        std::string templ = "/tmp/secretscan-fuzz-XXXXXX";
        const int fd = mkstemp(templ.data());
        if (fd < 0) {
            std::perror("secretscan fuzz: mkstemp");
            std::abort();
        }
        close(fd);
        static std::string removed;
        removed = templ;
        std::atexit([] { std::remove(removed.c_str()); });
        return templ;
    }();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) {
        std::perror("secretscan fuzz: writing the input file");
        std::abort();
    }
    return path;
}

} // namespace secretscan::fuzz
