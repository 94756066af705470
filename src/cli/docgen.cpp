// The model of the command line that the man page and the completions are written from (read
// from the CLI11 declarations in app.cpp), and the man page's generated sections.

#include <secretscan/report/report.hpp>

#include "cli/docgen.hpp"

#include <CLI/CLI.hpp>

#include <sstream>

namespace secretscan::cli {

namespace {

/// The values the CLI accepts that CLI11 does not hold as a list: report formats (parsed by the
/// report module), confidence levels (the plan), hook names (the installer).
ValueDoc option_values(const std::string& name)
{
    if (name == "--format") {
        std::vector<std::string> words;
        for (std::string_view f : report_formats()) words.emplace_back(f);
        return {ValueKind::word_list, words};
    }
    if (name == "--min-confidence") return {ValueKind::word_list, {"low", "medium", "high"}};
    if (name == "--disable-rule") return {ValueKind::rule_id, {}};
    if (name == "-C") return {ValueKind::directory, {}};
    if (name == "--hooks") return {ValueKind::word_list, {"pre-commit", "commit-msg", "prepare-commit-msg", "pre-push"}};
    if (name == "--threads" || name == "--max-file-size") return {ValueKind::word_list, {}};
    return {ValueKind::file, {}};
}

/// What completes the operands of a command, by its words.
ValueDoc operand_values(const std::string& command)
{
    if (command == "rules explain") return {ValueKind::rule_id, {}};
    if (command == "history") return {ValueKind::revision, {}};
    if (command == "demo") return {ValueKind::directory, {}};
    if (command == "completion") return {ValueKind::word_list, {"bash", "zsh", "fish"}};
    if (command == "baseline create") return {ValueKind::file, {"history", "scan", "staged"}};
    if (command == "scan" || command == "message" || command == "rules check") return {ValueKind::file, {}};
    return {};
}

std::vector<OptionDoc> options_of(const CLI::App& app)
{
    std::vector<OptionDoc> out;
    for (const CLI::Option* o : app.get_options()) {
        if (o->get_positional()) continue;
        OptionDoc d;
        for (const auto& s : o->get_snames()) d.names.push_back("-" + s);
        for (const auto& l : o->get_lnames()) d.names.push_back("--" + l);
        d.takes_value = o->get_items_expected_min() > 0;
        d.value_name = o->get_type_name().empty() ? "VALUE" : o->get_type_name();
        d.help = o->get_description();
        if (d.takes_value) d.values = option_values(d.names.front());
        out.push_back(std::move(d));
    }
    return out;
}

void add_commands(const CLI::App& app, const std::string& prefix, std::vector<CommandDoc>& out)
{
    for (const CLI::App* sub : app.get_subcommands({})) {
        if (sub->get_group().empty()) continue;
        CommandDoc c;
        c.words = prefix.empty() ? sub->get_name() : prefix + " " + sub->get_name();
        c.help = sub->get_description();
        c.options = options_of(*sub);
        for (const CLI::Option* o : sub->get_options())
            if (o->get_positional()) {
                const std::string name = o->get_name() + (o->get_items_expected_max() > 1 ? "..." : "");
                c.operands.push_back(o->get_required() ? name : "[" + name + "]");
            }
        c.operand_values = operand_values(c.words);
        for (const CLI::App* child : sub->get_subcommands({}))
            if (!child->get_group().empty()) c.children.push_back(child->get_name());
        out.push_back(c);
        add_commands(*sub, c.words, out);
    }
}

/// `text` made safe for roff: backslashes and hyphens escaped, a leading period or quote
/// neutralised, and the ellipsis of the help texts spelt in ASCII (groff's terminal devices
/// have no glyph for it in every locale).
std::string roff(const std::string& text)
{
    static const std::string ellipsis = "\u2026";
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, ellipsis.size(), ellipsis) == 0) {
            out += "...";
            i += ellipsis.size() - 1;
        } else if (text[i] == '\\') {
            out += "\\e";
        } else if (text[i] == '-') {
            out += "\\-";
        } else {
            out += text[i];
        }
    }
    if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
    return out;
}

void option_item(std::ostream& out, const OptionDoc& o)
{
    out << ".TP\n";
    for (std::size_t i = 0; i < o.names.size(); ++i) out << (i ? ", " : "") << "\\fB" << roff(o.names[i]) << "\\fR";
    if (o.takes_value) out << " \\fI" << roff(o.value_name) << "\\fR";
    out << '\n' << roff(o.help) << '\n';
}

} // namespace

std::vector<OptionDoc> global_options(const CLI::App& app)
{
    return options_of(app);
}

std::vector<CommandDoc> commands(const CLI::App& app)
{
    std::vector<CommandDoc> out;
    add_commands(app, "", out);
    return out;
}

std::string man_sections(const CLI::App& app)
{
    std::ostringstream out;
    out << ".SH COMMANDS\n";
    for (const CommandDoc& c : commands(app)) {
        out << ".TP\n\\fBsecretscan " << roff(c.words) << "\\fR";
        for (const std::string& operand : c.operands) out << " \\fI" << roff(operand) << "\\fR";
        if (!c.children.empty()) out << " \\fICOMMAND\\fR";
        out << '\n' << roff(c.help) << '\n';
        std::vector<OptionDoc> own;
        for (const OptionDoc& o : c.options)
            if (o.names.front() != "-h") own.push_back(o);
        if (own.empty()) continue;
        out << ".RS\n";
        for (const OptionDoc& o : own) option_item(out, o);
        out << ".RE\n";
    }
    out << ".SH OPTIONS\nThese options are accepted before or after the command word.\n";
    for (const OptionDoc& o : global_options(app)) option_item(out, o);
    return out.str();
}

} // namespace secretscan::cli
