// libFuzzer target: a configuration file (config/config.hpp) with arbitrary content, read as a
// repository's untrusted .secretscan.yaml (confined to the temporary folder) and as a user's.

#include "fuzz_input.hpp"

#include <secretscan/config/config.hpp>
#include <secretscan/error.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string& path = secretscan::fuzz::input_file(data, size);
    for (const std::string inside : {"/tmp", ""}) {
        secretscan::Config config;
        try {
            secretscan::load_config_file(path, config, inside);
        } catch (const secretscan::Error&) {
            // a rejected configuration: expected
        }
    }
    return 0;
}
