#include "util/yaml.hpp"

#include <secretscan/error.hpp>

#include <yaml-cpp/eventhandler.h>

#include <set>
#include <sstream>

namespace secretscan {

namespace {

/// Counts the nodes of a YAML stream and throws at the first anchor or alias.
class UntrustedEvents : public YAML::EventHandler {
public:
    explicit UntrustedEvents(const std::string& file) : m_file(file) {}

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& m, YAML::anchor_t a) override { node(m, a); }
    void OnAlias(const YAML::Mark& m, YAML::anchor_t) override
    {
        fail(m, "a YAML alias (*name) is not allowed (aliases can expand a small file into gigabytes); write the value out");
    }
    void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t a, const std::string&) override { node(m, a); }
    void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a, YAML::EmitterStyle::value) override { node(m, a); }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a, YAML::EmitterStyle::value) override { node(m, a); }
    void OnMapEnd() override {}

private:
    [[noreturn]] void fail(const YAML::Mark& m, const std::string& what) const
    {
        throw Error(ErrorKind::config, yaml_place(m_file, m) + ": " + what);
    }
    void node(const YAML::Mark& m, YAML::anchor_t anchor)
    {
        if (anchor != YAML::NullAnchor)
            fail(m, "a YAML anchor (&name) is not allowed (aliases to it can expand a small file into gigabytes); write the value out");
        if (++m_nodes > max_yaml_nodes)
            fail(m, "more than " + std::to_string(max_yaml_nodes) + " YAML nodes (the limit for one file); split the file");
    }

    const std::string& m_file;
    std::size_t m_nodes = 0;
};

} // namespace

std::string yaml_place(const std::string& file, const YAML::Mark& m)
{
    if (m.line < 0) return file;
    return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

YAML::Node load_untrusted_yaml(const std::string& text, const std::string& file, bool allow_aliases)
{
    try {
        std::istringstream in(text);
        YAML::Parser parser(in);
        UntrustedEvents events(file);
        while (!allow_aliases && parser.HandleNextDocument(events)) {
        }
        return YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw Error(ErrorKind::config, yaml_place(file, e.mark) + ": invalid YAML: " + e.msg);
    }
}

std::string quoted_if_printable(std::string_view text, const std::string& otherwise)
{
    if (text.size() > 64) return otherwise;
    for (unsigned char c : text)
        if (c < 0x20 || c == 0x7f) return otherwise;
    return "'" + std::string(text) + "'";
}

std::string unknown_key(std::string_view key, std::string_view kind)
{
    const std::string quoted = quoted_if_printable(key, "");
    return quoted.empty() ? "an unknown " + std::string(kind) : "unknown " + std::string(kind) + " " + quoted;
}

void check_keys(const YAML::Node& map, const KeyFailure& fail)
{
    std::set<std::string> seen;
    for (const auto& kv : map) {
        if (!kv.first.IsScalar()) fail(kv.first.Mark(), "a key must be a name, not a list or a mapping");
        if (!seen.insert(kv.first.Scalar()).second) fail(kv.first.Mark(), quoted_if_printable(kv.first.Scalar(), "a key") + " is given twice");
    }
}

} // namespace secretscan
