// libFuzzer target: the rule-pack parser (rules/pack.hpp) on arbitrary text, regexes checked and
// counted against a regex budget as a run's user packs are.

#include "fuzz_input.hpp"

#include <secretscan/error.hpp>
#include <secretscan/rules/pack.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    secretscan::RegexBudget budget;
    try {
        secretscan::parse_pack(secretscan::fuzz::text(data, size), "fuzz.yaml", true, false, &budget);
    } catch (const secretscan::Error&) {
        // a rejected pack: expected
    }
    return 0;
}
