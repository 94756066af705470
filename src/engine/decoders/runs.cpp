#include "runs.hpp"

#include "base64.hpp"
#include "common.hpp"
#include "hex.hpp"
#include "runs_loop.hpp"
#include "util/encoding.hpp"

#include <algorithm>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace secretscan::decoders {

namespace {

#if defined(__SSE2__)
/// The class bits of 64 bytes, 16 at a time. x86 has no unsigned byte compare: a byte is within
/// [lo, lo + span] when its distance from lo equals the minimum of that distance and span.
/// Letters are folded to lower case by setting bit 0x20; + - / are the odd bytes of 0x2b-0x2f
/// (',' and '.' are even).
struct Sse2Mask {
    const __m128i zero = _mm_set1_epi8('0'), digits = _mm_set1_epi8(9), case_bit = _mm_set1_epi8(0x20);
    const __m128i a = _mm_set1_epi8('a'), letters = _mm_set1_epi8(25);
    const __m128i plus = _mm_set1_epi8('+'), symbols = _mm_set1_epi8(4), one = _mm_set1_epi8(1), underscore = _mm_set1_epi8('_');

    std::uint64_t operator()(const char* p) const noexcept
    {
        std::uint64_t m = 0;
        for (int k = 0; k < 4; ++k) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
            const __m128i d0 = _mm_sub_epi8(v, zero), d1 = _mm_sub_epi8(_mm_or_si128(v, case_bit), a);
            __m128i in = _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d0, digits), d0), _mm_cmpeq_epi8(_mm_min_epu8(d1, letters), d1));
            const __m128i d2 = _mm_sub_epi8(v, plus);
            const __m128i odd = _mm_cmpeq_epi8(_mm_and_si128(v, one), one);
            in = _mm_or_si128(in, _mm_and_si128(_mm_cmpeq_epi8(_mm_min_epu8(d2, symbols), d2), odd));
            in = _mm_or_si128(in, _mm_cmpeq_epi8(v, underscore));
            m |= std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(in))} << (16 * k);
        }
        return m;
    }
};
#else
struct Sse2Mask {
    std::uint64_t operator()(const char* p) const noexcept { return table_mask(p, block); }
};
#endif

/// The runs of `text` of at least `min_length` (16 or more): the SSE2 or AVX2 loop, as the
/// processor allows.
void runs(std::string_view text, std::size_t min_length, RunSink sink, void* context)
{
#if defined(__x86_64__)
    static const bool avx2 = __builtin_cpu_supports("avx2");
    if (avx2) return find_runs_avx2(text.data(), text.size(), min_length, sink, context);
#endif
    scan_runs(Sse2Mask(), text.data(), text.size(), min_length, sink, context);
}

/// What RunDecoder::decode's sink works on.
struct Decoding {
    std::string_view text;
    std::vector<DecodedSpan>& out;
    std::size_t total = 0; // bytes decoded so far (common.hpp, max_total)
};

/// RunDecoder's sink: a run of hex digits only is hex, any other base64.
std::size_t decode_run(void* context, std::size_t begin, std::size_t end)
{
    auto& d = *static_cast<Decoding*>(context);
    if (d.total >= max_total) return d.text.size();
    const std::size_t before = d.out.size();
    const char* p = d.text.data();
    const bool hex = std::all_of(p + begin, p + end, [](char c) { return hex_digit(c) >= 0; });
    const std::size_t resume = hex ? (decode_hex_run(d.text, begin, end, d.out), end) : decode_base64_run(d.text, begin, end, d.out);
    if (d.out.size() > before) d.total += d.out.back().text.size();
    return resume;
}

/// A sink that lists every run (TextRun) and goes on after it; its context is where to list
/// them, after `offset` (where the searched text lies in a larger one).
struct Listing {
    std::vector<TextRun>& runs;
    std::size_t offset;
};
std::size_t list_run(void* context, std::size_t begin, std::size_t end)
{
    auto& l = *static_cast<Listing*>(context);
    l.runs.push_back({static_cast<std::uint32_t>(l.offset + begin), static_cast<std::uint32_t>(l.offset + end)});
    return end;
}

bool run_char(char c) noexcept
{
    return base64_chars[static_cast<unsigned char>(c)];
}

/// Lists, in text order, the runs of a text made of copies of a base and new bytes. A run whose
/// bytes and the two bytes around it lie in one copy is a base run moved; any other touches a
/// seam (the text's ends, new bytes, the boundary of two copies), and lies in the run characters
/// around it, where the text is searched (from and to bytes that end runs, so what it finds is
/// maximal). A seam's search ends before the next copy's first moved run and starts after the
/// last copy's last one; two searches may overlap, and a run is listed once.
class RunInheritance {
public:
    RunInheritance(std::string_view text, std::vector<TextRun>& out) : m_text(text), m_out(out) {}

    /// Searches around the seam or new bytes [begin, end).
    void search(std::size_t begin, std::size_t end)
    {
        while (begin > 0 && run_char(m_text[begin - 1])) --begin;
        while (end < m_text.size() && run_char(m_text[end])) ++end;
        begin = std::max(begin, m_searched);
        if (begin >= end) return;
        std::vector<TextRun> found;
        Listing l{found, begin};
        runs(m_text.substr(begin, end - begin), min_hex_run, list_run, &l);
        for (const TextRun& r : found)
            if (m_out.empty() || r.begin >= m_out.back().end) m_out.push_back(r); // a run the last search cut is listed whole already
        m_searched = end;
    }
    /// Moves the base runs copy `c` holds with the bytes around them.
    void move(const std::vector<TextRun>& base, const Copy& c)
    {
        auto it = std::upper_bound(base.begin(), base.end(), c.from, [](std::size_t at, const TextRun& r) { return at < r.begin; });
        for (; it != base.end() && it->end < c.from + c.length; ++it)
            m_out.push_back({static_cast<std::uint32_t>(it->begin - c.from + c.to), static_cast<std::uint32_t>(it->end - c.from + c.to)});
    }

private:
    std::string_view m_text;
    std::vector<TextRun>& m_out;
    std::size_t m_searched = 0; // the text before this was searched
};

std::vector<TextRun> inherited_runs(std::string_view text, const Lineage& lineage)
{
    std::vector<TextRun> out;
    RunInheritance runs_of(text, out);
    std::size_t covered = 0; // the first search starts at the text's start
    for (const Copy& c : lineage.copies) {
        runs_of.search(covered, c.to); // new bytes, or the seam of two copies
        runs_of.move(lineage.base->runs, c);
        covered = c.to + c.length;
    }
    runs_of.search(covered, text.size());
    return out;
}

} // namespace

void RunDecoder::decode(std::string_view text, std::vector<DecodedSpan>& out) const
{
    Decoding d{text, out};
    runs(text, min_hex_run, decode_run, &d);
}

void RunDecoder::decode_with_lineage(std::string_view text, std::vector<DecodedSpan>& out, Lineage* lineage) const
{
    if (!lineage || text.size() > UINT32_MAX) return decode(text, out);
    std::vector<TextRun> found;
    if (lineage->base && lineage->base->runs_known) {
        found = inherited_runs(text, *lineage);
    } else {
        Listing l{found, 0};
        runs(text, min_hex_run, list_run, &l);
    }
    // As runs() hands them to decode_run: a run the one before it resumed inside is cut there.
    Decoding d{text, out};
    std::size_t resume = 0;
    for (const TextRun& r : found) {
        const std::size_t begin = std::max<std::size_t>(r.begin, resume);
        if (r.end <= begin || r.end - begin < min_hex_run) continue;
        resume = std::max<std::size_t>(decode_run(&d, begin, r.end), r.end);
    }
    lineage->facts.runs = std::move(found);
    lineage->facts.runs_known = true;
}

} // namespace secretscan::decoders
