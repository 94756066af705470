#pragma once
// The loop that finds RunDecoder's runs (runs.hpp), shared by runs.cpp (SSE2, or a table) and runs_avx2.cpp
// (compiled with -mavx2, used where the processor has AVX2). Everything here has internal
// linkage and uses raw pointers and compiler builtins only: no inline function of another header
// is compiled in the AVX2 file, so its copy can never be the one a processor without AVX2 runs.

#include <array>
#include <cstddef>
#include <cstdint>

namespace secretscan::decoders {

/// Where the loop reports a run [begin, end): returns the offset to go on from (at least end).
using RunSink = std::size_t (*)(void* context, std::size_t begin, std::size_t end);

/// scan_runs with AVX2 masks (runs_avx2.cpp), for processors that have it.
void find_runs_avx2(const char* text, std::size_t size, std::size_t min_length, RunSink sink, void* context);

namespace {

constexpr std::size_t block = 64; // bytes classified into one 64-bit mask

constexpr std::array<bool, 256> make_base64_chars()
{
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c)
        t[c] = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '+' || c == '/' || c == '-' || c == '_';
    return t;
}
/// The characters of runs: base64's, both alphabets.
constexpr std::array<bool, 256> base64_chars = make_base64_chars();

/// Class bits of the `n` (at most 64) bytes at `p`, from the table.
inline std::uint64_t table_mask(const char* p, std::size_t n) noexcept
{
    std::uint64_t m = 0;
    for (std::size_t i = 0; i < n; ++i) m |= std::uint64_t{base64_chars[static_cast<unsigned char>(p[i])]} << i;
    return m;
}

/// Bit i set when bits i to i + 15 of `m` are all set: a run of 16 starts there.
inline std::uint64_t runs_of_16(std::uint64_t m) noexcept
{
    m &= m >> 1;
    m &= m >> 2;
    m &= m >> 4;
    return m & (m >> 8);
}

/// Calls `sink` for each maximal run of at least `min_length` (16 or more) base64 characters,
/// in text order; it returns the offset to go on from. `block_mask(p)` gives the class bits of
/// the 64 bytes at p (a functor holding its constants, so they are made once per text). Per
/// block, the run it ends (begun in earlier blocks) and the runs of 16 inside it are read off
/// the mask; the run it starts goes on into the next.
template <class BlockMask>
void scan_runs(const BlockMask& block_mask, const char* text, std::size_t size, std::size_t min_length, RunSink sink, void* context)
{
    std::size_t run = 0; // class bytes just before `at`
    for (std::size_t at = 0; at < size;) {
        const std::size_t n = size - at < block ? size - at : block;
        const std::uint64_t m = n == block ? block_mask(text + at) : table_mask(text + at, n);
        const std::uint64_t all = n == block ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
        if (m == all) {
            run += n, at += n;
            continue;
        }
        const auto lead = static_cast<std::size_t>(__builtin_ctzll(~m));
        const auto trail = static_cast<std::size_t>(__builtin_clzll(~(m << (64 - n)) | 1)); // < n: m is not all
        std::size_t resume = 0;
        if (run + lead >= min_length && (resume = sink(context, at - run, at + lead)) > at + lead) {
            at = resume, run = 0;
            continue;
        }
        const std::uint64_t before_trail = n - trail == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << (n - trail)) - 1;
        std::uint64_t x = runs_of_16(m) & ~((std::uint64_t{2} << lead) - 1) & before_trail;
        while (x != 0) {
            const auto b = static_cast<std::size_t>(__builtin_ctzll(x));
            const auto e = b + static_cast<std::size_t>(__builtin_ctzll(~(m >> b))); // < n - trail
            if (e - b >= min_length && (resume = sink(context, at + b, at + e)) > at + e) break;
            x &= ~((std::uint64_t{2} << e) - 1);
        }
        if (x != 0) {
            at = resume, run = 0;
            continue;
        }
        run = trail, at += n;
    }
    if (run >= min_length) sink(context, size - run, size);
}

} // namespace

} // namespace secretscan::decoders
