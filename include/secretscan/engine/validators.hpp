#pragma once
// Offline validators (the `validate:` key of a rule, docs/rules.md "Validators"): checks that a
// matched secret has the internal structure its issuer gives every real one, with no network
// access. The filter chain's validator step runs them.
//
// Policy (docs/rules.md, "Validators"): a match that fails its rule's validator is not reported
// by that rule. Every validator checks a property that all genuine secrets of the format have
// (a checksum, a decodable header, a decodable body), so a failure means the text only looks like
// one: a made-up fixture, a truncated copy, a placeholder. A validator may also decode facts from
// a valid secret (the AWS account of an access key ID); they are shown with the finding.

#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// What a validator concluded about one secret.
struct Validation {
    bool passed = true; ///< false: the secret lacks a property every genuine one has
    std::string note;   ///< passed: what was established ("CRC32 check digits valid",
                        ///< "AWS account 123456789012"), may be empty; failed: why, for tests and --verbose
};

/// A validator: secret bytes (the rule's secret group, UTF-8) in, verdict out. Pure functions:
/// thread-safe, never throw.
using ValidatorFn = Validation (*)(std::string_view secret);

/// The built-in validators by name, or nullptr for an unknown name. The names:
/// - "github-crc32": GitHub tokens ghp_/gho_/ghu_/ghs_ + 30 base62 characters + 6 check
///   characters, the CRC-32 (ISO-HDLC, as zlib) of those 30 characters in base62
///   (0-9A-Za-z), left-padded with '0'. Source: https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
///   (format and the 32-bit checksum); the covered bytes and alphabet as implemented by
///   https://github.com/therootcompany/base62-token.js and checked there against revoked tokens.
/// - "npm-crc32": npm_ + 30 + 6, the same scheme. Source: https://github.blog/2021-09-23-announcing-npms-new-access-token-format/
/// - "aws-key-id": an AWS access key ID (4-character prefix + 16 base32 characters A-Z2-7).
///   Fails when a character is outside base32. For key IDs in the newer encoding (fifth
///   character Q-Z or 2-7) the note gives the 12-digit account ID, bits 7..46 of the base32
///   decoding of characters 5-16 (AWS documents the mapping only online, as
///   `aws sts get-access-key-info`: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html;
///   the offline decoding: Tal Be'ery, "A short note on AWS KEY ID", 2023).
/// - "jwt": three base64url segments (RFC 7515 §3.1, RFC 7519 §3); the first decodes to a JSON
///   object with a string "alg" member, the second to JSON (or is empty for a detached payload).
/// - "pem": a PEM block (RFC 7468) whose body, without the RFC 1421 header lines
///   ("Proc-Type: ...") and without whitespace or literal "\n" escapes, is strict base64
///   (RFC 4648 §4, padding only at the end) of at least 48 bytes, the size of the smallest
///   private key encoding (an Ed25519 PKCS#8 key, RFC 8410 §7).
ValidatorFn find_validator(std::string_view name) noexcept;

/// Every built-in validator name, in the order above.
const std::vector<std::string_view>& validator_names() noexcept;

} // namespace secretscan
