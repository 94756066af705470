#pragma once
// Reading keys, operators and values the way configuration files and code write them: what the
// detectors share. Internal to src/engine/detectors/.

#include <secretscan/engine/detectors.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace secretscan::detect {

inline constexpr std::size_t npos = std::string_view::npos;

/// A byte range [b, e) of a text.
struct Span {
    std::size_t b = 0;
    std::size_t e = 0;
};

/// The first position in [from, to) where lower-case `needle` occurs in `text`, ASCII
/// case-insensitively, or npos.
std::size_t find_ci(std::string_view text, std::size_t from, std::size_t to, std::string_view needle) noexcept;

/// The key around byte `p`: the run of letters, digits, '_', '.' and '-' that holds it.
Span identifier_around(std::string_view text, std::size_t p) noexcept;

/// Where the line holding byte `p` of `t` starts (0 or just after a '\n').
inline std::size_t line_start(std::string_view t, std::size_t p) noexcept
{
    const std::size_t nl = p ? t.rfind('\n', p - 1) : std::string_view::npos;
    return nl == std::string_view::npos ? 0 : nl + 1;
}

/// Where the line holding byte `p` of `t` ends (its '\n', or the text's end).
inline std::size_t line_end(std::string_view t, std::size_t p) noexcept
{
    const std::size_t nl = t.find('\n', p);
    return nl == std::string_view::npos ? t.size() : nl;
}

/// The words of a key, lower-cased: split at '_', '.', '-', at camelCase changes (dbPassword,
/// APIKey) and between letters and digits.
std::vector<std::string> split_words(std::string_view key);

/// The value assigned to `key` (see "assignment" in detectors.hpp), or nullopt when none is.
std::optional<Span> value_after(std::string_view text, Span key);

/// The last argument of the call whose name ends at `name_end`, when the call has two or more
/// arguments on one line and the last is a string literal.
std::optional<Span> last_literal_argument(std::string_view text, std::size_t name_end);

/// Appends one match per (key, value): from the key to the value's end, the secret the value.
void append_matches(std::size_t rule_index, std::vector<std::pair<Span, Span>>& found, std::vector<RawMatch>& out);

DetectorFn assignment_detector() noexcept;
DetectorFn login_call_detector() noexcept;
DetectorFn kubernetes_secret_detector() noexcept;

} // namespace secretscan::detect
