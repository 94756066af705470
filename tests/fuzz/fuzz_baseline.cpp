// libFuzzer target: a baseline file (config/baseline.hpp) with arbitrary content; what loads is
// written back out and must load again to the same entries.

#include "fuzz_input.hpp"

#include <secretscan/config/baseline.hpp>
#include <secretscan/error.hpp>

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::vector<secretscan::BaselineEntry> entries;
    try {
        entries = secretscan::load_baseline(secretscan::fuzz::input_file(data, size));
    } catch (const secretscan::Error&) {
        return 0; // a rejected baseline: expected
    }
    secretscan::baseline_expiry(entries);
    const std::string again = secretscan::baseline_text(entries);
    const std::string& path = secretscan::fuzz::input_file(reinterpret_cast<const std::uint8_t*>(again.data()), again.size());
    if (secretscan::load_baseline(path).size() != entries.size()) std::abort(); // baseline_text wrote what cannot be read back
    return 0;
}
