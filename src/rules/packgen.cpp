// Build-time generator: parses one shipped rule pack (patterns/*.yaml), checks every regex, and
// writes its rules as a constant table (src/rules/builtin_table.hpp), so the scanner starts
// without parsing YAML (a hook cannot afford yaml-cpp's ~50 ms for 300 rules) and editing one
// pack recompiles one small file (docs/architecture.md, "Rules as data").
//
// usage: secretscan-packgen --pack OUT.cpp PACK.yaml      one pack's table
//        secretscan-packgen --index OUT.cpp PACK.yaml...  the list of every pack's table
// A file is rewritten only when its text changes. Exit 2 (with file:line:col) on a bad pack.

#include <secretscan/error.hpp>
#include <secretscan/rules/pack.hpp>

#include "util/files.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

using namespace secretscan;

namespace {

/// A C++ string_view literal holding exactly `s`: printable ASCII as is, every other byte (and
/// the characters that need it) as a three-digit octal escape, which never runs into the next.
std::string literal(std::string_view s)
{
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '?') {
            out.push_back(static_cast<char>(c));
        } else {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\%03o", c);
            out += buf;
        }
    }
    return out + "\"sv";
}

/// The table variable of a pack: "patterns/private-keys.yaml" -> "pack_private_keys".
std::string symbol(const std::string& file)
{
    std::string stem = file.substr(file.rfind('/') + 1);
    stem = stem.substr(0, stem.rfind('.'));
    for (char& c : stem)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return "pack_" + stem;
}

/// The pack's name as rules cite it: from "patterns/" on.
std::string pack_name(const std::string& path)
{
    const auto at = path.rfind("patterns/");
    return at == std::string::npos ? path : path.substr(at);
}

/// Writes the constant arrays a rule's lists need; returns the expressions naming them.
class Lists {
public:
    Lists(std::ostream& out, std::size_t rule) : m_out(out), m_prefix("r" + std::to_string(rule) + "_") {}

    std::string strings(const std::string& name, const std::vector<std::string>& v)
    {
        if (v.empty()) return "{}";
        m_out << "constexpr std::string_view " << m_prefix << name << "[] = {";
        for (std::size_t i = 0; i < v.size(); ++i) m_out << (i ? ", " : "") << literal(v[i]);
        m_out << "};\n";
        return m_prefix + name;
    }
    std::string marks(const std::string& name, const std::vector<SourceMark>& v)
    {
        if (v.empty()) return "{}";
        m_out << "constexpr Mark " << m_prefix << name << "[] = {";
        for (std::size_t i = 0; i < v.size(); ++i) m_out << (i ? ", " : "") << "{" << v[i].line << ", " << v[i].column << "}";
        m_out << "};\n";
        return m_prefix + name;
    }

private:
    std::ostream& m_out;
    std::string m_prefix;
};

std::string mark(const SourceMark& m)
{
    return "{" + std::to_string(m.line) + ", " + std::to_string(m.column) + "}";
}

/// One RuleRecord initializer, after the arrays it refers to (written to `arrays`).
std::string record(const Rule& r, std::size_t i, std::ostream& arrays)
{
    Lists lists(arrays, i);
    std::ostringstream o;
    o.precision(17);
    o << "    {" << literal(r.id) << ", " << literal(r.name) << ", " << literal(r.regex) << ", Boundary::" << to_string(r.boundary) << ", "
      << r.secret_group << ", " << lists.strings("keywords", r.keywords) << ", " << literal(r.detector) << ", " << literal(r.extract)
      << ", " << lists.strings("paths", r.paths) << ", " << r.entropy << ", " << std::boolalpha << r.multiline
      << ", " << r.shared_filter << ", " << literal(r.validate) << ", Confidence::" << to_string(r.confidence)
      << ", RuleKind::" << to_string(r.kind) << ", " << literal(r.family) << ",\n     " << lists.strings("tags", r.tags) << ", "
      << lists.strings("references", r.references) << ", " << literal(r.remediation) << ", " << literal(r.impact) << ",\n     "
      << lists.strings("stopwords", r.allowlist.stopwords) << ", " << lists.strings("examples", r.examples) << ", "
      << lists.strings("negatives", r.negative_examples) << ", " << lists.marks("example_marks", r.example_marks) << ", "
      << lists.marks("negative_marks", r.negative_example_marks) << ", " << mark(r.mark) << ", " << mark(r.regex_mark) << "},\n";
    return o.str();
}

const char* header = "#include \"rules/builtin_table.hpp\"\n\nnamespace secretscan::builtin {\n\nusing namespace std::string_view_literals;\n\n";

std::string pack_code(const std::string& path)
{
    std::string text;
    if (!read_whole_file(path, text)) throw Error(ErrorKind::config, path + ": cannot read");
    const std::string name = pack_name(path);
    const std::vector<Rule> rules = parse_pack(text, name, true, true);
    std::ostringstream arrays, records;
    for (std::size_t i = 0; i < rules.size(); ++i) records << record(rules[i], i, arrays);
    std::ostringstream code;
    code << "// Generated by secretscan-packgen from " << name << ". Do not edit.\n" << header << "namespace {\n\n"
         << arrays.str() << "\nconstexpr RuleRecord rules[] = {\n" << records.str() << "};\n\n} // namespace\n\n"
         << "extern const PackTable " << symbol(name) << ";\nconst PackTable " << symbol(name) << "{" << literal(name) << ", rules};\n\n"
         << "} // namespace secretscan::builtin\n";
    return code.str();
}

std::string index_code(const std::vector<std::string>& paths)
{
    std::ostringstream code;
    code << "// Generated by secretscan-packgen: every shipped pack's table. Do not edit.\n" << header;
    for (const auto& p : paths) code << "extern const PackTable " << symbol(pack_name(p)) << ";\n";
    code << "\nnamespace {\nconst PackTable* const all_packs[] = {\n";
    for (const auto& p : paths) code << "    &" << symbol(pack_name(p)) << ",\n";
    code << "};\n} // namespace\n\nstd::span<const PackTable* const> pack_tables() noexcept\n{\n    return all_packs;\n}\n\n"
         << "} // namespace secretscan::builtin\n";
    return code.str();
}

/// Writes `text` to `path` unless it already holds it (keeps the timestamp: no rebuild).
int write_if_changed(const std::string& path, const std::string& text)
{
    std::string old;
    if (read_whole_file(path, old) && old == text) return 0;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    return out ? 0 : 3;
}

} // namespace

int main(int argc, char** argv)
{
    const std::string usage = "usage: secretscan-packgen --pack OUT.cpp PACK.yaml | --index OUT.cpp PACK.yaml...\n";
    if (argc < 4 || (std::string(argv[1]) != "--pack" && std::string(argv[1]) != "--index")) {
        std::cerr << usage;
        return 2;
    }
    try {
        if (std::string(argv[1]) == "--pack") return write_if_changed(argv[2], pack_code(argv[3]));
        return write_if_changed(argv[2], index_code(std::vector<std::string>(argv + 3, argv + argc)));
    } catch (const Error& e) {
        std::cerr << "secretscan-packgen: " << e.what() << '\n';
        return 2;
    }
}
