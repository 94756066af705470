// libFuzzer target: the path glob matcher (engine/glob.hpp). The input is a glob and a path,
// split at the first NUL byte (no NUL: the whole input is both).

#include "fuzz_input.hpp"

#include <secretscan/engine/glob.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input = secretscan::fuzz::text(data, size);
    const std::size_t nul = input.find('\0');
    const std::string glob(input.substr(0, nul));
    const std::string path(nul == std::string_view::npos ? input : input.substr(nul + 1));
    secretscan::glob_error(glob);
    secretscan::glob_match(glob, path);
    return 0;
}
