#pragma once
// The documentation generated from the command line's definition (app.cpp): the man page's
// COMMANDS and OPTIONS sections (roff) and the bash, zsh and fish completion scripts. --help,
// `man secretscan` and the completions read the same CLI11 declarations, so they cannot drift.
// Pure functions of the definition; no I/O. Thread-safety: the App must not change meanwhile.

#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace secretscan::cli {

/// What an option's value or a command's operands are, for completion.
enum class ValueKind { none, file, directory, word_list, rule_id, revision };

struct ValueDoc {
    ValueKind kind = ValueKind::none;
    std::vector<std::string> words; ///< the accepted words, for word_list
};

/// One option as --help shows it: every spelling ("-o", "--output"), whether it takes a value
/// and what values complete it.
struct OptionDoc {
    std::vector<std::string> names;
    bool takes_value = false;
    std::string value_name; ///< "FILE", "TEXT", ...: CLI11's type name
    std::string help;
    ValueDoc values;
};

/// One command: its words from the top ("rules explain"), help, own options, operand names
/// ("paths..."), what completes the operands, and its subcommand words.
struct CommandDoc {
    std::string words;
    std::string help;
    std::vector<OptionDoc> options;
    std::vector<std::string> operands;
    ValueDoc operand_values;
    std::vector<std::string> children;
};

/// The options every command takes (declared on the top-level App), help and version included.
std::vector<OptionDoc> global_options(const CLI::App& app);

/// Every visible command, depth first ("rules", "rules list", ...). Commands in CLI11's empty
/// group (hidden, such as `hook`, which only the installed hooks call) are left out.
std::vector<CommandDoc> commands(const CLI::App& app);

/// The man page's generated sections: ".SH COMMANDS" and ".SH OPTIONS", in roff.
std::string man_sections(const CLI::App& app);

/// The completion script for `shell` ("bash", "zsh" or "fish"), for the command names
/// secretscan and git-secretscan. Throws Error(usage) for another shell.
std::string completion_script(const CLI::App& app, std::string_view shell);

} // namespace secretscan::cli
