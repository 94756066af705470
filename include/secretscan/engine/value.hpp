#pragma once
// The value test (docs/rules.md, "The value test"): whether a value assigned to a secret-named key
// (`password = ...`, `"token": "..."`) is a secret, or an identifier, a word, a path, a number, a
// sentence or a reference to one held elsewhere. The filter chain runs it on generic rules'
// matches instead of an entropy floor: entropy cannot tell a person's password (S3cr3tPassw0rd,
// about 3.3 bits per byte) from an identifier (user_password_field, about 3.6).

#include <string>
#include <string_view>

namespace secretscan {

/// What the value test decided, and what in the value decided it.
struct ValueVerdict {
    bool secret = true;
    std::string reason; ///< why it is not a secret ("is a file path"); empty for a secret
};

/// Mean cost, in bits, of each letter of `s` (and of each end of a run of letters) under a
/// character trigram model of English and identifier words (built from Debian's SCOWL word list
/// and src/engine/value/identifier_words.txt by secretscan-modelgen); letters are lower-cased,
/// other characters end a run. Words cost about 2 to 3 bits a letter, random letters over 4.5.
/// Returns -1 when `s` holds fewer than 4 letters. Thread-safe, never throws.
double letter_cost(std::string_view s) noexcept;

/// The value test, in order: a value is not a secret when it is a number, a boolean or null, a
/// date or version; holds white space (a sentence); is a URL without credentials or a file path;
/// is code or a reference (a call, process.env.X, os.environ[...], a dotted name of words); or is
/// an identifier or word: letters, digits, '_', '.' and '-' only, whose letters read as words
/// (letter_cost at most `word_cost_limit`), with no digit between letters (a person's leet
/// password, S3cr3t) and no digits glued to a capitalised word (Summer2024). Anything else is a
/// secret: random tokens, passwords with symbols. Thread-safe; throws std::bad_alloc only.
ValueVerdict judge_value(std::string_view value);

/// letter_cost above which letters do not read as words.
inline constexpr double word_cost_limit = 4.8;

} // namespace secretscan
