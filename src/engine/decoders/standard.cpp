// The decoders every native scan runs after the text stage (docs/architecture.md, "Decoders").
// Each decoder is a class in this folder (NAME.hpp declaring it, NAME.cpp implementing it),
// listed below in the order the scans run them.

#include <secretscan/engine/scanner.hpp>

namespace secretscan {

std::vector<std::shared_ptr<const Decoder>> standard_decoders()
{
    // None yet: the text stage (engine/text.hpp: encodings, binary detection) is the only
    // decoding so far. A decoder is added as std::make_shared<NameDecoder>().
    return {};
}

} // namespace secretscan
