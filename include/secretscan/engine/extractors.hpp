#pragma once
// Extractors: decode the text a rule matched into the secret it holds (the pack key `extract:`,
// docs/rules.md "Extractors"). Docker's `auth` is base64 of "user:password": the secret is the
// password. The filter chain extracts first, then runs its other match steps on the extracted
// secret; the finding is located at the matched text and names the extractor (Finding::decoder).

#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// What an extractor made of the matched text.
struct Extraction {
    bool ok = false;     ///< false: the text does not hold what the rule expects
    std::string secret;  ///< ok: the decoded secret
    std::string why;     ///< not ok: why, for `rules check` and --verbose
};

/// An extractor: matched secret text (UTF-8) in, extraction out. Pure: thread-safe, never throws
/// but std::bad_alloc.
using ExtractorFn = Extraction (*)(std::string_view matched);

/// The built-in extractors by name, or nullptr for an unknown name:
/// - "base64": standard or URL-safe base64 (RFC 4648 §4, §5), padding optional, that decodes to
///   printable text (Kubernetes Secret data, FileZilla's base64 passwords).
/// - "base64-userpass": base64 of "user:password" (RFC 7617 Basic authentication, Docker's and
///   npm's `auth`): the password, after the first ':'.
/// - "percent": percent-encoded text (RFC 3986 §2.1), decoded.
ExtractorFn find_extractor(std::string_view name) noexcept;

/// Every built-in extractor name, in the order above.
const std::vector<std::string_view>& extractor_names() noexcept;

} // namespace secretscan
