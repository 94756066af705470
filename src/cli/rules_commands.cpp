// `secretscan rules list | check | explain ID`.

#include <secretscan/error.hpp>
#include <secretscan/rules/check.hpp>

#include "cli/cli.hpp"
#include "util/i18n.hpp"
#include "util/strings.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <sstream>
#include <string_view>
#include <utility>

namespace secretscan::cli {

namespace {

/// The UTF-8 sequence starting at `text[at]`: its length in bytes and the code point.
std::pair<std::size_t, char32_t> code_point(const std::string& text, std::size_t at)
{
    const auto b = static_cast<unsigned char>(text[at]);
    const std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? b : b & (0x7F >> n);
    for (std::size_t i = 1; i < n && at + i < text.size(); ++i) cp = (cp << 6) | (static_cast<unsigned char>(text[at + i]) & 0x3F);
    return {std::min(n, text.size() - at), cp};
}

/// Whether a terminal shows `cp` two columns wide (East Asian Wide and Fullwidth, Unicode
/// UAX #11: Hangul Jamo, CJK and Kana, Hangul syllables, compatibility ideographs, fullwidth forms).
bool is_wide(char32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

/// Closing punctuation that Japanese never puts at the start of a line (kinsoku).
bool no_break_before(char32_t cp)
{
    return std::u32string_view(U"、。，．・：；！？」』）〕］｝〉》ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ").find(cp) != std::u32string_view::npos;
}

/// `text` wrapped at 96 display columns, like the packs' remediation text: lines break at
/// spaces, and between two wide (CJK) characters, which Japanese writes without spaces.
std::string wrapped(const std::string& text)
{
    std::string out, word;
    std::size_t col = 0, word_cols = 0;
    bool space = false; // whitespace before `word`
    const auto flush = [&](bool breakable) {
        if (word.empty()) return;
        const std::size_t sep = space && col ? 1 : 0;
        if (breakable && col && col + sep + word_cols > 96) {
            out += '\n';
            col = 0;
        } else if (sep) {
            out += ' ';
            col += 1;
        }
        out += word;
        col += word_cols;
        word.clear();
        word_cols = 0;
        space = false;
    };
    for (std::size_t at = 0; at < text.size();) {
        const auto [n, cp] = code_point(text, at);
        if (cp == ' ' || cp == '\n' || cp == '\t') {
            flush(true);
            space = true;
        } else if (is_wide(cp)) {
            flush(true);
            word.assign(text, at, n), word_cols = 2;
            flush(!no_break_before(cp));
        } else {
            word.append(text, at, n), word_cols += 1;
        }
        at += n;
    }
    flush(true);
    return out;
}

void explain(const Rule& r)
{
    // A pack's texts are not trusted (a repository's .secretscan.yaml can add one): no raw control
    // byte reaches the terminal.
    std::cout << printable(r.id) << ": " << printable(r.name) << ' ' << format(tr("(confidence {0})"), {to_string(r.confidence)}) << "\n\n";
    std::cout << tr("Regex:    ") << printable(r.regex) << '\n' << tr("Keywords:");
    for (const auto& k : r.keywords) std::cout << ' ' << printable(k);
    if (r.keywords.empty()) std::cout << tr(" (none: it runs on every text)");
    if (!r.path_regex.empty()) std::cout << '\n' << tr("Path:     ") << printable(r.path_regex);
    std::cout << '\n' << tr("Defined:  ") << printable(r.mark.file) << ':' << r.mark.line << "\n\n";
    if (!r.references.empty()) {
        std::cout << tr("Format documented at:") << '\n';
        for (const auto& ref : r.references) std::cout << "  " << printable(ref) << '\n';
        std::cout << '\n';
    }
    if (!r.validate.empty())
        std::cout << format(tr("Validator: {0} (a match that fails it is not reported)"), {r.validate}) << "\n\n";
    // The packs' texts are msgids too (po/: a rule's impact and remediation, translated where a
    // catalogue has them; English otherwise).
    if (const std::string impact = impact_of(r); !impact.empty())
        std::cout << tr("What an attacker can do with it:") << '\n' << printable(wrapped(tr(impact.c_str())), "\n") << "\n\n";
    const std::string remediation = tr(r.remediation.c_str());
    if (remediation.empty()) return; // a gitleaks rule, or a pack rule without remediation
    std::cout << tr("If it leaked:") << '\n' << printable(remediation, "\n");
    if (!remediation.empty() && remediation.back() != '\n') std::cout << '\n';
}

} // namespace

int rules_list(const Args& a)
{
    const Plan plan = resolve(a, "rules list");
    const std::vector<Rule>& rules = plan.matcher->rules();
    if (plan.report.format == "json") {
        nlohmann::json out = nlohmann::json::array();
        for (const Rule& r : rules)
            out.push_back({{"id", r.id}, {"name", r.name}, {"confidence", to_string(r.confidence)}, {"keywords", r.keywords},
                           {"family", r.family}, {"kind", to_string(r.kind)}, {"tags", r.tags}, {"references", r.references},
                           {"source", r.mark.file}});
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    std::size_t width = 0;
    for (const Rule& r : rules) width = std::max(width, r.id.size());
    for (const Rule& r : rules)
        std::cout << printable(r.id) << std::string(width - r.id.size() + 2, ' ') << to_string(r.confidence)
                  << std::string(8 - to_string(r.confidence).size(), ' ') << printable(r.name) << '\n';
    if (!a.quiet) std::cout << rules.size() << (rules.size() == 1 ? " rule\n" : " rules\n");
    return 0;
}

/// Runs every example through the whole engine: each must produce a finding of its rule, each
/// negative example none. Returns 0 when all pass, 1 otherwise.
int rules_check(const Args& a)
{
    Args b = a;
    if (!a.check_files.empty()) {
        b.no_builtin = true;
        b.rule_packs = a.check_files;
    }
    const Plan plan = resolve(b, "rules check", Context::packs_only);
    std::size_t checked = 0;
    const std::vector<RuleProblem> problems = check_rules(*plan.matcher, checked);
    for (const RuleProblem& p : problems) std::cout << to_string(p.at) << ": rule " << p.rule_id << ": " << p.what << '\n';
    const std::size_t failures = problems.size();
    std::cout << plan.matcher->rules().size() << " rules, " << checked << " examples checked, " << failures
              << (failures == 1 ? " failure\n" : " failures\n");
    return failures ? 1 : 0;
}

int rules_explain(const Args& a)
{
    const Plan plan = resolve(a, "rules explain");
    for (const Rule& r : plan.matcher->rules())
        if (r.id == a.rule_id) {
            explain(r);
            return 0;
        }
    throw Error(ErrorKind::usage, format(tr("rules explain {0}: no such rule (see 'secretscan rules list')"), {a.rule_id}));
}

} // namespace secretscan::cli
