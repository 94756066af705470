#include <secretscan/compat/git_secrets/ere.hpp>
#include <secretscan/error.hpp>

#include "util/regex.hpp"

#include <re2/filtered_re2.h>

#include <algorithm>
#include <cctype>

namespace secretscan {

namespace {

[[noreturn]] void fail(const std::string& ere, const std::string& what)
{
    throw Error(ErrorKind::config, "pattern '" + ere + "': " + what);
}

/// A byte as a member of an RE2 character class.
std::string class_char(char c)
{
    if (c == '\\' || c == ']' || c == '[' || c == '^' || c == '-') return std::string("\\") + c;
    if (c == '\n') return "\\n";
    return std::string(1, c);
}

/// Parses the POSIX bracket expression starting at ere[i] == '[' and returns its RE2 form;
/// i is left after the closing ']'.
std::string bracket(const std::string& ere, std::size_t& i)
{
    std::size_t j = i + 1;
    bool negated = false;
    if (j < ere.size() && ere[j] == '^') {
        negated = true;
        ++j;
    }
    std::string items;
    bool first = true;
    while (true) {
        if (j >= ere.size()) fail(ere, "unclosed bracket expression '['");
        char c = ere[j];
        if (c == ']' && !first) break;
        first = false;
        if (c == '[' && j + 1 < ere.size() && (ere[j + 1] == ':' || ere[j + 1] == '=' || ere[j + 1] == '.')) {
            const char kind = ere[j + 1];
            const std::size_t end = ere.find(std::string(1, kind) + "]", j + 2);
            if (end == std::string::npos) fail(ere, std::string("unclosed [") + kind + " in a bracket expression");
            const std::string name = ere.substr(j + 2, end - j - 2);
            if (kind == ':') {
                items += "[:" + name + ":]";
            } else {
                for (char ch : name) items += class_char(ch); // [=c=], [.c.]: the character itself
            }
            j = end + 2;
            continue;
        }
        // A range a-b (a '-' first or last is literal).
        if (j + 2 < ere.size() && ere[j + 1] == '-' && ere[j + 2] != ']') {
            items += class_char(c) + "-" + class_char(ere[j + 2]);
            j += 3;
            continue;
        }
        items += class_char(c); // backslash included: it is literal inside brackets
        ++j;
    }
    i = j + 1;
    if (negated) return "[^\\n" + items + "]";
    return "[" + items + "]";
}

/// Whether ere[i] == '{' starts a valid interval ({n}, {n,}, {n,m}, {,m}); sets `len` to its length.
bool interval(const std::string& ere, std::size_t i, std::size_t& len, std::string& re2_form)
{
    std::size_t j = i + 1;
    std::string lo, hi;
    while (j < ere.size() && std::isdigit(static_cast<unsigned char>(ere[j]))) lo += ere[j++];
    bool comma = false;
    if (j < ere.size() && ere[j] == ',') {
        comma = true;
        ++j;
        while (j < ere.size() && std::isdigit(static_cast<unsigned char>(ere[j]))) hi += ere[j++];
    }
    if (j >= ere.size() || ere[j] != '}' || (lo.empty() && hi.empty())) return false;
    len = j - i + 1;
    // RE2 takes counts up to 1000 and reads a larger one that overflows as literal text; GNU grep
    // refuses it. Refuse it here, naming it, rather than match "{999...}" literally.
    for (const std::string* count : {&lo, &hi})
        if (count->size() > 4 || (!count->empty() && std::stoi(*count) > 1000))
            fail(ere, "repetition count {" + ere.substr(i + 1, len - 2) + "} is larger than 1000 (RE2's limit); use a smaller count");
    re2_form = "{" + (lo.empty() ? std::string("0") : lo) + (comma ? "," + hi : "") + "}";
    return true;
}

} // namespace

namespace {

/// GNU grep's reading of an escaped character `d` (after '\\'), in RE2 syntax.
std::string escaped(const std::string& ere, char d)
{
    if (d >= '1' && d <= '9')
        fail(ere, std::string("back-reference \\") + d + " is not supported (RE2 has no back-references); rewrite the pattern without it");
    switch (d) {
    case 'w': return "\\w";
    case 'W': return "[^\\w\\n]";
    case 's': return "[\\t\\v\\f\\r ]";
    case 'S': return "\\S";
    case 'b': return "\\b";
    case 'B': return "\\B";
    case '<':
    case '>': return "\\b";
    case '`': return "^";
    case '\'': return "$";
    default: // GNU: "\d" is "d"; any other escaped character stands for itself
        return std::isalnum(static_cast<unsigned char>(d)) ? std::string(1, d) : std::string("\\") + d;
    }
}

/// Translates an ERE one token at a time.
class Translator {
public:
    explicit Translator(const std::string& ere) : m_ere(ere) {}

    std::string run()
    {
        while (m_i < m_ere.size()) step(m_ere[m_i]);
        if (m_depth > 0) fail(m_ere, "unmatched '('");
        return m_out;
    }

private:
    void emit(const std::string& s, std::size_t consumed, bool at_start = false)
    {
        m_out += s;
        m_i += consumed;
        m_at_start = at_start;
    }

    void step(char c)
    {
        if (c == '\\') {
            if (m_i + 1 >= m_ere.size()) fail(m_ere, "trailing backslash");
            return emit(escaped(m_ere, m_ere[m_i + 1]), 2);
        }
        if (c == '[') {
            std::size_t j = m_i;
            const std::string b = bracket(m_ere, j);
            return emit(b, j - m_i);
        }
        if ((c == '*' || c == '+' || c == '?') && m_at_start) return emit(std::string("\\") + c, 1); // nothing to repeat: literal (GNU)
        if (c == '{') return brace();
        if (c == '(') {
            ++m_depth;
            return emit("(", 1, true);
        }
        if (c == ')') {
            if (m_depth == 0) return emit("\\)", 1); // unmatched: literal
            --m_depth;
            return emit(")", 1);
        }
        if (c == '|') return emit("|", 1, true);
        if (c == '}' || c == ']') return emit(std::string("\\") + c, 1);
        emit(std::string(1, c), 1); // ^ $ . * + ? and ordinary characters
    }

    /// A '{' that does not start a valid interval, or starts the expression, is literal (GNU).
    void brace()
    {
        std::size_t len = 0;
        std::string form;
        if (!m_at_start && interval(m_ere, m_i, len, form)) return emit(form, len);
        emit("\\{", 1);
    }

    const std::string& m_ere;
    std::string m_out;
    std::size_t m_i = 0;
    bool m_at_start = true; // start of the pattern, or after '(' or '|'
    int m_depth = 0;
};

} // namespace

std::string ere_to_re2(const std::string& ere)
{
    return Translator(ere).run();
}

std::string ere_word_regex(const std::string& ere)
{
    const std::string re = "(?m)(?:^|[^0-9A-Za-z_\\n])(" + ere_to_re2(ere) + ")(?:[^0-9A-Za-z_\\n]|$)";
    int size = 0; // a size limit, as for pack rules (util/regex.hpp)
    if (std::string why = regex_size_problem(re, size); !why.empty()) fail(ere, why);
    const RE2 check(re, re2_options());
    if (!check.ok()) fail(ere, "not a valid regular expression: " + check.error());
    return re;
}

namespace {

/// Literals of which a match of an ERE fragment must contain one; `known` false when the
/// fragment guarantees none (of at least min_length bytes).
struct Literals {
    bool known = false;
    std::vector<std::string> set;
    std::size_t shortest() const
    {
        std::size_t n = SIZE_MAX;
        for (const auto& s : set) n = std::min(n, s.size());
        return set.empty() ? 0 : n;
    }
};

/// A small recursive reading of an ERE that finds required literals where RE2's prefilter gives
/// up (it factors common prefixes out of alternations, so (A3T[A-Z0-9]|AKIA) yields nothing).
class LiteralFinder {
public:
    LiteralFinder(const std::string& ere, std::size_t min_length) : m_ere(ere), m_min(min_length) {}

    Literals alternation()
    {
        Literals all;
        all.known = true;
        while (true) {
            Literals one = concatenation();
            if (!one.known) all.known = false;
            else all.set.insert(all.set.end(), one.set.begin(), one.set.end());
            if (m_i < m_ere.size() && m_ere[m_i] == '|') {
                ++m_i;
                continue;
            }
            break;
        }
        if (!all.known) all.set.clear();
        return all;
    }

private:
    bool quantifier_follows(bool& optional)
    {
        if (m_i >= m_ere.size()) return false;
        const char q = m_ere[m_i];
        if (q == '*' || q == '?') {
            optional = true;
            ++m_i;
            return true;
        }
        if (q == '+') {
            optional = false;
            ++m_i;
            return true;
        }
        if (q == '{') {
            std::size_t j = m_i + 1;
            std::string lo;
            while (j < m_ere.size() && std::isdigit(static_cast<unsigned char>(m_ere[j]))) lo += m_ere[j++];
            const std::size_t close = m_ere.find('}', j);
            if (close == std::string::npos) return false;
            for (std::size_t k = j; k < close; ++k)
                if (m_ere[k] != ',' && !std::isdigit(static_cast<unsigned char>(m_ere[k]))) return false;
            optional = lo.find_first_not_of('0') == std::string::npos; // {,n} or {0...}: digits only, never converted
            m_i = close + 1;
            return true;
        }
        return false;
    }

    Literals concatenation()
    {
        std::vector<Literals> candidates;
        std::string run;
        auto end_run = [&] {
            if (run.size() >= m_min) candidates.push_back({true, {run}});
            run.clear();
        };
        while (m_i < m_ere.size() && m_ere[m_i] != '|' && m_ere[m_i] != ')') {
            const char c = m_ere[m_i];
            if (c == '(') {
                ++m_i;
                Literals group = alternation();
                if (m_i < m_ere.size() && m_ere[m_i] == ')') ++m_i;
                end_run();
                bool optional = false;
                if (quantifier_follows(optional) && optional) continue;
                if (group.known && group.shortest() >= m_min) candidates.push_back(group);
                continue;
            }
            const std::string literal = atom();
            bool optional = false;
            const bool repeated = quantifier_follows(optional);
            if (literal.empty() || (repeated && optional)) {
                end_run(); // a class, an escape or an optional character breaks the literal
                continue;
            }
            run += literal;
            if (repeated) end_run(); // "ab+c": "ab" is certain, "abc" is not
        }
        end_run();
        return most_selective(candidates);
    }

    /// Reads one atom that is not a group: the literal character it stands for, or "" for a
    /// bracket expression, an escape class, '.', '^' or '$'.
    std::string atom()
    {
        const char c = m_ere[m_i];
        if (c == '\\' && m_i + 1 < m_ere.size() && !std::isalnum(static_cast<unsigned char>(m_ere[m_i + 1]))) {
            m_i += 2;
            return m_ere.substr(m_i - 1, 1);
        }
        if (c == '[') {
            std::size_t j = m_i + 1;
            if (j < m_ere.size() && m_ere[j] == '^') ++j;
            if (j < m_ere.size() && m_ere[j] == ']') ++j;
            while (j < m_ere.size() && m_ere[j] != ']') {
                if (m_ere[j] != '[' || j + 1 >= m_ere.size() || m_ere[j + 1] != ':') {
                    ++j;
                    continue;
                }
                const std::size_t close = m_ere.find(":]", j + 2); // a [:class:] inside
                j = close == std::string::npos ? m_ere.size() : close + 2;
            }
            m_i = std::min(j + 1, m_ere.size());
            return "";
        }
        if (c == '\\' || c == '.' || c == '^' || c == '$') {
            m_i += c == '\\' ? 2 : 1;
            return "";
        }
        ++m_i;
        return std::string(1, c);
    }

    /// The most selective candidate: the longest shortest member, then the fewest members.
    static Literals most_selective(const std::vector<Literals>& candidates)
    {
        Literals best;
        for (const auto& c : candidates)
            if (!best.known || c.shortest() > best.shortest() || (c.shortest() == best.shortest() && c.set.size() < best.set.size()))
                best = c;
        return best;
    }

    const std::string& m_ere;
    std::size_t m_min;
    std::size_t m_i = 0;
};

} // namespace

std::vector<std::string> ere_required_literals(const std::string& ere, std::size_t min_length)
{
    LiteralFinder finder(ere, min_length);
    Literals l = finder.alternation();
    if (!l.known) return {};
    std::vector<std::string> out;
    for (auto& s : l.set) {
        for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
    return out;
}

std::vector<std::string> required_literals(const std::string& re2_regex, int min_length)
{
    re2::FilteredRE2 filter(min_length);
    int id = 0;
    if (filter.Add(re2_regex, re2_options(), &id) != RE2::NoError) return {};
    std::vector<std::string> atoms;
    filter.Compile(&atoms);
    // With one regex, no atoms means it is "unfiltered": it can match without any literal.
    // Otherwise its prefilter is an AND/OR of the atoms, so a match needs at least one.
    return atoms;
}

} // namespace secretscan
