// libFuzzer target: each standard decoder (engine/decoder.hpp, engine/decoders/) on arbitrary
// text; the spans it returns must lie inside the text without overlapping one another.

#include "fuzz_input.hpp"

#include <secretscan/engine/scanner.hpp>

#include <algorithm>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const auto decoders = secretscan::standard_decoders();
    const std::string_view text = secretscan::fuzz::text(data, size);
    for (const auto& decoder : decoders) {
        std::vector<secretscan::DecodedSpan> spans;
        decoder->decode(text, spans);
        std::sort(spans.begin(), spans.end(), [](const auto& a, const auto& b) { return a.begin < b.begin; });
        std::size_t previous_end = 0;
        for (const secretscan::DecodedSpan& span : spans) {
            if (span.begin < previous_end || span.begin > span.end || span.end > text.size()) std::abort();
            previous_end = span.end;
        }
    }
    return 0;
}
