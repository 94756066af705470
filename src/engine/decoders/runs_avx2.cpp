// The run finder's loop with AVX2: 32 bytes classified at once. CMake compiles this file alone with
// -mavx2; runs.cpp calls it only where the processor has AVX2 (see runs_loop.hpp).

#include "runs_loop.hpp"

#include <immintrin.h>

namespace secretscan::decoders {

namespace {

/// The class bits of 64 bytes, 32 at a time (as runs.cpp's Sse2Mask, twice as wide).
struct Avx2Mask {
    const __m256i zero = _mm256_set1_epi8('0'), digits = _mm256_set1_epi8(9), case_bit = _mm256_set1_epi8(0x20);
    const __m256i a = _mm256_set1_epi8('a'), letters = _mm256_set1_epi8(25);
    const __m256i plus = _mm256_set1_epi8('+'), symbols = _mm256_set1_epi8(4), one = _mm256_set1_epi8(1), underscore = _mm256_set1_epi8('_');

    std::uint64_t operator()(const char* p) const noexcept
    {
        std::uint64_t m = 0;
        for (int k = 0; k < 2; ++k) {
            const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * k));
            const __m256i d0 = _mm256_sub_epi8(v, zero), d1 = _mm256_sub_epi8(_mm256_or_si256(v, case_bit), a);
            __m256i in = _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_min_epu8(d0, digits), d0), _mm256_cmpeq_epi8(_mm256_min_epu8(d1, letters), d1));
            const __m256i d2 = _mm256_sub_epi8(v, plus);
            const __m256i odd = _mm256_cmpeq_epi8(_mm256_and_si256(v, one), one);
            in = _mm256_or_si256(in, _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_min_epu8(d2, symbols), d2), odd));
            in = _mm256_or_si256(in, _mm256_cmpeq_epi8(v, underscore));
            m |= std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(in))} << (32 * k);
        }
        return m;
    }
};

} // namespace

void find_runs_avx2(const char* text, std::size_t size, std::size_t min_length, RunSink sink, void* context)
{
    scan_runs(Avx2Mask(), text, size, min_length, sink, context);
}

} // namespace secretscan::decoders
