// libFuzzer target: the git-secrets ERE translator (compat/git_secrets/ere.hpp) on arbitrary
// patterns; a translation it returns must be a regex RE2 accepts.

#include "fuzz_input.hpp"

#include <secretscan/compat/git_secrets/ere.hpp>
#include <secretscan/error.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string ere(secretscan::fuzz::text(data, size));
    try {
        const std::string re2 = secretscan::ere_to_re2(ere);
        secretscan::required_literals(re2);
    } catch (const secretscan::Error&) {
        // an ERE RE2 cannot express, or a malformed one: expected
    }
    try {
        secretscan::ere_word_regex(ere);
    } catch (const secretscan::Error&) {
        // as above, or a translation RE2 rejects (too large): expected
    }
    secretscan::ere_required_literals(ere);
    return 0;
}
