#include <secretscan/engine/finding.hpp>

#include "util/strings.hpp"

#include <mbedtls/sha256.h>

#include <algorithm>
#include <tuple>

namespace secretscan {

std::string_view to_string(SourceKind k) noexcept
{
    switch (k) {
    case SourceKind::file: return "file";
    case SourceKind::stdin_input: return "stdin";
    case SourceKind::staged: return "staged";
    case SourceKind::blob: return "blob";
    case SourceKind::commit_message: return "commit-message";
    case SourceKind::tag_message: return "tag-message";
    case SourceKind::message_file: return "message-file";
    }
    return "file";
}

std::string fingerprint(std::string_view rule_id, std::string_view secret)
{
    std::string input(rule_id);
    input.push_back('\0');
    input.append(secret);
    // mbedTLS's SHA-256 (FIPS 180-4): libgit2 already loads libmbedcrypto, while loading
    // OpenSSL's libcrypto would add ~1.6 ms to every hook run.
    unsigned char digest[32];
    mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest, 0);
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * sizeof digest);
    for (std::size_t i = 0; i < sizeof digest; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 0xF]);
    }
    return out;
}

std::string redact(std::string_view secret, int percent)
{
    if (percent < 0) return std::string(utf8_prefix(secret, 4)) + "\u2026";
    if (percent == 0) return std::string(secret);
    const auto points = static_cast<std::size_t>(
        std::count_if(secret.begin(), secret.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
    const std::size_t keep = points * static_cast<std::size_t>(100 - std::min(percent, 100)) / 100;
    return std::string(utf8_prefix(secret, keep)) + "\u2026";
}

std::string redact_in(std::string_view line, std::string_view secret, int percent)
{
    if (secret.empty()) return std::string(line);
    const std::string r = redact(secret, percent);
    std::string out;
    std::size_t pos = 0;
    for (std::size_t hit; (hit = line.find(secret, pos)) != std::string_view::npos; pos = hit + secret.size()) {
        out.append(line.substr(pos, hit - pos));
        out.append(r);
    }
    out.append(line.substr(pos));
    return out;
}

std::string redact_line(const Finding& f, int percent)
{
    if (f.line_spans.empty()) return redact_in(f.line_text, f.secret, percent);
    std::vector<LineSpan> spans = f.line_spans;
    std::sort(spans.begin(), spans.end(), [](const LineSpan& a, const LineSpan& b) { return a.begin < b.begin; });
    const std::string_view line = f.line_text;
    std::string out;
    std::size_t at = 0;
    for (std::size_t i = 0; i < spans.size();) {
        LineSpan merged = spans[i];
        for (++i; i < spans.size() && spans[i].begin < merged.end; ++i) merged.end = std::max(merged.end, spans[i].end);
        merged.begin = std::max(merged.begin, at); // never show a byte twice
        const std::size_t end = std::min(merged.end, line.size());
        if (merged.begin >= end) continue;
        out.append(line.substr(at, merged.begin - at));
        out.append(merged.cut ? "\u2026" : redact(line.substr(merged.begin, end - merged.begin), percent));
        at = end;
    }
    out.append(line.substr(std::min(at, line.size())));
    return out;
}

std::string display_location(const Finding& f)
{
    return f.path.empty() ? f.source_name : f.path;
}

std::string display_position(const Finding& f)
{
    return display_location(f) + ":" + std::to_string(f.line) + ":" + std::to_string(f.column);
}

void sort_findings(std::vector<Finding>& findings)
{
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        const std::string la = display_location(a), lb = display_location(b);
        return std::tie(la, a.line, a.column, a.rule_id, a.commit) < std::tie(lb, b.line, b.column, b.rule_id, b.commit);
    });
}

} // namespace secretscan
