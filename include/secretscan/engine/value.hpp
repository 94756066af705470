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

/// Where a value stands, which decides what a run of words in it means.
struct ValueContext {
    /// The value is a literal: quoted, an element's text, any value in a configuration file, or
    /// the field of a format rule. False for an unquoted value in code (code_file), where words
    /// name a variable or a type (`password = user_password`, `password: String!`).
    bool literal = false;
};

/// Whether `path` (a file name or path) is source code in a language where an unquoted word is
/// a name rather than a string: by extension (.py, .js, .ts, .java, .go, .rb, .php, .cs, .c,
/// .tcc, .td, .tf, .graphql, ...). Configuration files, shell scripts and unknown files are not.
/// Thread-safe, never throws.
bool code_file(std::string_view path) noexcept;

/// The value test, in order: a PEM private key block is a secret; a value is not a secret when it is a number, a boolean or null, a
/// date or version; a <placeholder>, a colour (#f8f8f2), an HTML-escaped placeholder (&lt;...),
/// HTML markup, a type in braces ({string|Buffer}) or a regular expression; holds white space (a sentence); is a URL without credentials or a file path;
/// is code or a reference (a call, process.env.X, os.environ[...], a dotted name of words); or,
/// unquoted in code, an identifier, word or type name: letters, digits, '_', '.' and '-' only,
/// whose letters read as words (letter_cost at most `word_cost_limit`), with no digit between
/// letters (a person's leet password, S3cr3t) and no digits glued to a capitalised word
/// (Summer2024), or a capitalised word with GraphQL's '!' (String!). A literal is held to less:
/// it is words only when it holds letters and separators alone (user_password, Kennwort), a
/// short name with a version (sha256, utf8) or a constant's capitals (KEEPTTL); with digits or symbols among its words it is a
/// password someone chose (river_dallas_lightning_617, Lumon.1989, AnchorWizard476). Anything
/// else is a secret: random tokens, passwords with symbols. Thread-safe; throws std::bad_alloc
/// only.
ValueVerdict judge_value(std::string_view value, ValueContext context = {});

/// letter_cost above which letters do not read as words.
inline constexpr double word_cost_limit = 4.8;

} // namespace secretscan
