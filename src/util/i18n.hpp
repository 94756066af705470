#pragma once
// Messages for people, from gettext catalogues (domain "secretscan"; po/*.po, built into
// share/locale/LANG/LC_MESSAGES/secretscan.mo). Only what a person reads goes through here: hook
// output and advice, errors, summaries, `rules explain`. Machine formats (JSON, SARIF, CSV,
// JUnit, GitLab) never do, so they never change with the locale. A message without a
// translation is the English msgid itself, never an empty line.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace secretscan {

/// Chooses the language from the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) and finds
/// the catalogues: $SECRETSCAN_LOCALEDIR, else a `locale` folder beside the running binary (the
/// build tree), else the installed share/locale. Sets LC_MESSAGES only (numbers, character
/// classes and collation stay "C"); output is UTF-8. Call once, at start-up, before threads.
void init_messages();

/// The translation of `msgid`, or `msgid`. Thread-safe after init_messages().
const char* tr(const char* msgid);

/// The translation of the singular or plural form for `n` (gettext's ngettext).
const char* trn(const char* singular, const char* plural, std::uint64_t n);

/// `pattern` with {0}, {1}, ... replaced by `args` in order of their numbers, so that a
/// translation may reorder them ("{0} secrets in {1}:"). An unknown number is left as written.
std::string format(std::string_view pattern, std::initializer_list<std::string_view> args);

} // namespace secretscan
