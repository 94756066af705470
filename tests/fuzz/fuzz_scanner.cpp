// libFuzzer target: the scanner (engine/scanner.hpp) with every shipped rule and the standard
// decoders on arbitrary bytes as one file, through the plain keyword prefilter (RE2::Set, as a
// hook scans) and the bulk one (Hyperscan, as history and directory scans do, when the build
// has it). Both must give the same findings.

#include "fuzz_input.hpp"

#include <secretscan/engine/scanner.hpp>
#include <secretscan/error.hpp>
#include <secretscan/rules/selection.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

namespace {

using namespace secretscan;

struct Engine {
    explicit Engine(bool bulk) : matcher(load_rules(RuleSelection{})), chain(matcher.rules()), scanner(matcher, chain, standard_decoders())
    {
        if (bulk) matcher.accelerate();
    }
    Matcher matcher;
    FilterChain chain;
    Scanner scanner;
};

/// The findings of `engine` on the input, each as rule, place and secret; nullopt when the
/// input is binary or the scan refused it with an Error.
std::optional<std::vector<std::string>> scan(const Engine& engine, std::string_view bytes)
{
    try {
        const auto findings = engine.scanner.scan_chunk(Chunk(bytes, Provenance{SourceKind::file, "config/settings.env", ""}));
        if (!findings) return std::nullopt;
        std::vector<std::string> out;
        for (const Finding& f : *findings)
            out.push_back(f.rule_id + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + ":" + f.secret);
        return out;
    } catch (const Error&) {
        return std::nullopt; // a limit the scan reports (RE2's DFA out of memory): expected
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const Engine plain(false);
    static const Engine bulk(true);
    const std::string_view bytes = fuzz::text(data, size);
    const auto a = scan(plain, bytes);
    const auto b = scan(bulk, bytes);
    if (a && b && *a != *b) { // the bulk prefilter must find what the plain one finds
        for (const auto& [name, list] : {std::pair{"plain", &*a}, std::pair{"bulk", &*b}})
            for (const std::string& f : *list) std::fprintf(stderr, "%s: %s\n", name, f.c_str());
        std::abort();
    }
    return 0;
}
