// The decoders every native scan runs after the text stage (docs/architecture.md, "Decoders"),
// in the order the scans run them. Each is declared in this folder.

#include "percent.hpp"
#include "runs.hpp"

#include <secretscan/engine/scanner.hpp>

namespace secretscan {

std::vector<std::shared_ptr<const Decoder>> standard_decoders()
{
    return {std::make_shared<decoders::RunDecoder>(), std::make_shared<decoders::PercentDecoder>()};
}

} // namespace secretscan
