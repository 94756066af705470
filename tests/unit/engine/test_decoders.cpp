// The standard decoders (src/engine/decoders/): which spans of a text they decode, to what.

#include "../../support.hpp"

#include <secretscan/engine/scanner.hpp>

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace secretscan;
using testing::base64_of;

namespace {

std::string hex_of(std::string_view bytes)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) out += {digits[c >> 4], digits[c & 15]};
    return out;
}

/// "DECODER BEGIN-END: TEXT", as spans() lists a span.
std::string span(std::string_view decoder, std::size_t begin, std::size_t end, std::string_view text)
{
    std::ostringstream out;
    out << decoder << ' ' << begin << '-' << end << ": " << text;
    return out.str();
}

/// Every span the standard decoders find in `text`, as "DECODER BEGIN-END: TEXT".
std::vector<std::string> spans(std::string_view text)
{
    std::vector<std::string> out;
    for (const auto& decoder : standard_decoders()) {
        std::vector<DecodedSpan> found;
        decoder->decode(text, found);
        for (const DecodedSpan& s : found)
            out.push_back(span(s.decoder.empty() ? decoder->name() : s.decoder, s.begin, s.end, s.text));
    }
    return out;
}

using Spans = std::vector<std::string>;

} // namespace

TEST_CASE("base64: standard and URL-safe runs that decode to text, with their padding", "[decoders]")
{
    const std::string json = R"({"user":"app","password":"Vq8>nL2w?z~"})"; // its base64 has a '+'
    const std::string std64 = base64_of(json), url64 = base64_of(json, true);
    REQUIRE(std64.find('+') != std::string::npos);
    REQUIRE(std64 != url64);
    CHECK(spans("APP_CONFIG=" + std64 + "\n") == Spans{span("base64", 11, 11 + std64.size(), json)});
    CHECK(spans("cfg: '" + url64 + "'") == Spans{span("base64", 6, 6 + url64.size(), json)});
    const std::string padded = R"({"user":"app","password":"Vq8#nL2wzR??"})"; // 40 bytes: "==" ends its base64
    CHECK(spans("x " + base64_of(padded) + " y") == Spans{"base64 2-58: " + padded});
    // Both alphabets in one run is neither.
    std::string mixed = std64;
    mixed[mixed.find('+')] = '-';                  // URL-safe
    mixed[mixed.find_first_of("ABCDEFGHIJ")] = '/'; // standard
    CHECK(spans(mixed) == Spans{});
}

TEST_CASE("base64: what is not base64 of text is left alone", "[decoders]")
{
    CHECK(spans("token = ghp_R4nd0mT0k3nV4lu3zzQwErTyUiOpAsDfGh12\n").empty());   // random bytes underneath
    CHECK(spans("static int dictExpandIfNeededWithCallbacks(void);\n").empty());  // one long identifier
    CHECK(spans("sha256=4f2b9c1e0d7a8b3c6e5f4a2b1c0d9e8f7a6b5c4d3e2f1a0b\n").empty()); // hex: decodes to bytes
    CHECK(spans("id=" + base64_of("short text 123")).empty());                   // under 24 characters
}

TEST_CASE("base64: a run wrapped over lines of one width is one span", "[decoders]")
{
    std::string pem = "-----BEGIN PRIVATE KEY-----\n";
    for (int i = 0; i < 3; ++i) pem += std::string(64, static_cast<char>('A' + i)) + "\n";
    pem += "-----END PRIVATE KEY-----\n";
    const std::string b = base64_of(pem); // 76 characters a line, as `base64` writes
    std::string yaml = "tls:\n  key: |\n";
    for (std::size_t i = 0; i < b.size(); i += 76) yaml += "    " + b.substr(i, 76) + "\n";
    const std::size_t begin = yaml.find("    ") + 4;
    CHECK(spans(yaml) == Spans{span("base64", begin, yaml.size() - 1, pem)});
    // A different indentation ends the run: its first line is decoded alone (57 bytes).
    const std::size_t second = yaml.find('\n', begin) + 1;
    const std::string broken = yaml.substr(0, second) + ' ' + yaml.substr(second);
    CHECK(spans(broken).front() == span("base64", begin, begin + 76, pem.substr(0, 57)));
}

TEST_CASE("hex: even runs of one case that decode to text but hashes and object ids do not", "[decoders]")
{
    const std::string h = hex_of("Tr0ub4dor&3x");
    CHECK(spans("ssl.keystore.password.hex=" + h + "\n") == Spans{"hex 26-50: Tr0ub4dor&3x"});
    CHECK(spans("commit 8f2c9d1e4b7a3c6d5e0f1a2b3c4d5e6f7a8b9c0d\n").empty());
    CHECK(spans("x=" + h.substr(0, h.size() - 1) + "\n").empty()); // odd length
    CHECK(spans("key_" + h + "\n").empty());                        // inside a word
}

TEST_CASE("percent: runs whose escapes hide a credential's separators", "[decoders]")
{
    CHECK(spans("next=https%3A%2F%2Fdeploy%3AS3cr3t%21x%40git.corp.lan%2Fapp\n") ==
          Spans{"percent 5-59: https://deploy:S3cr3t!x@git.corp.lan/app"});
    CHECK(spans("printf(\"%02x%20\", c);\n").empty()); // \x02 is no text
    CHECK(spans("path=/a%20b/c\n").empty());            // a space only: nothing a credential needs
}

namespace {

/// Every span the standard decoders find in `text` told its lineage, as spans() lists them.
std::vector<std::string> spans_with(std::string_view text, Lineage& lineage)
{
    std::vector<std::string> out;
    for (const auto& decoder : standard_decoders()) {
        std::vector<DecodedSpan> found;
        decoder->decode_with_lineage(text, found, &lineage);
        for (const DecodedSpan& s : found)
            out.push_back(span(s.decoder.empty() ? decoder->name() : s.decoder, s.begin, s.end, s.text));
    }
    return out;
}

} // namespace

TEST_CASE("base64: a text decoded with its lineage gives the spans and runs of a whole pass", "[decoders]")
{
    // History blobs stored as git deltas: runs are searched for only around new bytes and seams,
    // the base's runs moved into the copies. 300 random texts of copies and inserts, over a base
    // of base64 (wrapped over lines too), hex, identifiers and words.
    const std::string secret_text = "password: correct horse battery staple, user admin@example.org";
    std::string wrapped = "key: |\n";
    const std::string b = base64_of(secret_text + secret_text);
    for (std::size_t i = 0; i < b.size(); i += 64) wrapped += "  " + b.substr(i, 64) + "\n";
    testing::DeltaTexts texts({base64_of(secret_text), hex_of(secret_text), wrapped, "REDIS_MODULE_CTX_FLAGS_MULTI_DIRTY", " ", "\n", "x = ",
                               "AbCdEfGhIjKlMnOpQrStUvWx", "%3A%40", "int main(void) {", "=="},
                              7122026, 700);
    const std::string base = texts.base(5000);
    Lineage of_base;
    CHECK(spans_with(base, of_base) == spans(base));
    REQUIRE(of_base.facts.runs_known);
    REQUIRE(of_base.facts.runs.size() > 50);
    texts.derive(base, 300, 4000, [&](const std::string& text, const std::vector<testing::DeltaTexts::Copy>& copies) {
        Lineage lineage;
        lineage.base = &of_base.facts;
        for (const auto& [to, from, length] : copies) lineage.copies.push_back({to, from, length});
        Lineage whole;
        const std::vector<std::string> expected = spans(text);
        CHECK(spans_with(text, whole) == expected);
        CHECK(spans_with(text, lineage) == expected);
        CHECK(lineage.facts.runs == whole.facts.runs);
    });
}

TEST_CASE("base64: with a lineage, decoding stops at the same total as a whole pass", "[decoders]")
{
    // 4 MiB of decoded text per text at most (common.hpp): the runs listed first, then decoded
    // in order, stop where a whole pass stops.
    const std::string line = base64_of("the quick brown fox jumps over the lazy dog, again and again") + "\n";
    std::string text;
    while (text.size() < 6u << 20) text += line;
    Lineage lineage;
    const std::vector<std::string> expected = spans(text);
    CHECK(expected.size() < text.size() / line.size());
    CHECK(spans_with(text, lineage) == expected);
}
