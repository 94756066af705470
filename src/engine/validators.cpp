#include <secretscan/engine/validators.hpp>

#include "util/encoding.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>

namespace secretscan {
namespace {

constexpr std::string_view base62_digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// CRC-32/ISO-HDLC (polynomial 0xEDB88320 reflected, init and final xor 0xFFFFFFFF), as zlib's crc32.
std::uint32_t crc32(std::string_view data) noexcept
{
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char b : data) c = table[(c ^ b) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

std::string base62_6(std::uint32_t n)
{
    std::string s(6, '0');
    for (std::size_t i = 6; i-- > 0 && n;) {
        s[i] = base62_digits[n % 62];
        n /= 62;
    }
    return s;
}

bool is_base62(std::string_view s) noexcept
{
    for (char c : s)
        if (base62_digits.find(c) == std::string_view::npos) return false;
    return true;
}

/// prefix (up to and including the first '_') + 30 base62 + 6 base62 check characters.
Validation crc32_token(std::string_view secret, std::string_view what)
{
    const std::size_t us = secret.find('_');
    if (us == std::string_view::npos) return {false, "no '_' after the prefix"};
    const std::string_view rest = secret.substr(us + 1);
    if (rest.size() != 36 || !is_base62(rest)) return {false, "not 36 base62 characters after the prefix"};
    const std::string expected = base62_6(crc32(rest.substr(0, 30)));
    if (rest.substr(30) != expected)
        return {false, std::string(what) + " check digits " + std::string(rest.substr(30)) + " do not match the CRC-32 " + expected};
    return {true, "CRC-32 check digits valid"};
}

Validation github_crc32(std::string_view secret) { return crc32_token(secret, "GitHub"); }
Validation npm_crc32(std::string_view secret) { return crc32_token(secret, "npm"); }

int base32_value(char c) noexcept
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= '2' && c <= '7') return c - '2' + 26;
    return -1;
}

Validation aws_key_id(std::string_view secret)
{
    if (secret.size() != 20) return {false, "not 20 characters"};
    std::uint64_t bits = 0; // the first 12 base32 characters after the prefix: 60 bits
    for (std::size_t i = 4; i < 20; ++i) {
        const int v = base32_value(secret[i]);
        if (v < 0) return {false, std::string("character '") + secret[i] + "' is not base32 (A-Z, 2-7)"};
        if (i < 16) bits = (bits << 5) | static_cast<std::uint64_t>(v);
    }
    if (base32_value(secret[4]) < 16) return {true, ""}; // older encoding: no account ID inside
    const std::uint64_t first48 = bits >> 12;              // 60 bits -> the first 6 bytes
    const std::uint64_t account = (first48 & 0x7FFFFFFFFF80ull) >> 7;
    std::string digits = std::to_string(account);
    if (digits.size() > 12) return {true, ""};
    return {true, "AWS account " + std::string(12 - digits.size(), '0') + digits};
}

Validation jwt(std::string_view secret)
{
    const std::size_t d1 = secret.find('.');
    const std::size_t d2 = d1 == std::string_view::npos ? d1 : secret.find('.', d1 + 1);
    if (d2 == std::string_view::npos) return {false, "not three dot-separated segments"};
    const auto header = decode_base64_strict(secret.substr(0, d1), true);
    if (!header) return {false, "header is not base64url"};
    const auto h = nlohmann::json::parse(*header, nullptr, false);
    if (h.is_discarded() || !h.is_object()) return {false, "header is not a JSON object"};
    const auto alg = h.find("alg");
    if (alg == h.end() || !alg->is_string()) return {false, "header has no \"alg\""};
    const std::string_view payload_text = secret.substr(d1 + 1, d2 - d1 - 1);
    if (!payload_text.empty()) {
        const auto payload = decode_base64_strict(payload_text, true);
        if (!payload) return {false, "payload is not base64url"};
        if (nlohmann::json::parse(*payload, nullptr, false).is_discarded()) return {false, "payload is not JSON"};
    }
    return {true, "alg " + alg->get<std::string>()};
}

Validation pem(std::string_view secret)
{
    // The body runs from the end of the BEGIN line to the start of the END line.
    const std::size_t begin_end = secret.find("-----", secret.find("-----BEGIN") + 10);
    const std::size_t end_at = secret.rfind("-----END");
    if (begin_end == std::string_view::npos || end_at == std::string_view::npos || end_at < begin_end + 5)
        return {false, "no BEGIN and END lines"};
    std::string_view body = secret.substr(begin_end + 5, end_at - begin_end - 5);
    std::string b64;
    // Lines end at a real newline or at a literal "\n" / "\r" escape (PEM inside a JSON string).
    while (!body.empty()) {
        std::size_t cut = body.size(), skip = 0;
        for (std::size_t i = 0; i < body.size(); ++i) {
            if (body[i] == '\n') { cut = i; skip = 1; break; }
            if (body[i] == '\\' && i + 1 < body.size() && (body[i + 1] == 'n' || body[i + 1] == 'r')) { cut = i; skip = 2; break; }
        }
        const std::string_view line = body.substr(0, cut);
        body.remove_prefix(std::min(body.size(), cut + skip));
        if (line.find(':') != std::string_view::npos) continue; // RFC 1421 header: "Proc-Type: 4,ENCRYPTED"
        for (char c : line)
            if (c != ' ' && c != '\t' && c != '\r') b64.push_back(c);
    }
    const auto decoded = decode_base64_strict(b64, false);
    if (!decoded) return {false, "body is not base64"};
    if (decoded->size() < 48) return {false, "body decodes to " + std::to_string(decoded->size()) + " bytes, fewer than any private key"};
    return {true, ""};
}

struct Entry {
    std::string_view name;
    ValidatorFn fn;
};
constexpr Entry table[] = {
    {"github-crc32", github_crc32}, {"npm-crc32", npm_crc32}, {"aws-key-id", aws_key_id}, {"jwt", jwt}, {"pem", pem},
};

} // namespace

ValidatorFn find_validator(std::string_view name) noexcept
{
    for (const Entry& e : table)
        if (e.name == name) return e.fn;
    return nullptr;
}

const std::vector<std::string_view>& validator_names() noexcept
{
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> v;
        for (const Entry& e : table) v.push_back(e.name);
        return v;
    }();
    return names;
}

} // namespace secretscan
