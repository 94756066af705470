// --format text: one line per finding, then a summary line.

#include "report/common.hpp"
#include "util/i18n.hpp"
#include "util/strings.hpp"

#include <map>
#include <set>

namespace secretscan::report {

namespace {

/// One unique secret (rule and secret): its findings' places, commits and refs.
struct SecretTotals {
    const Finding* first = nullptr;
    std::size_t places = 0;
    std::set<std::string> commits, refs;
};

/// "By rule:" with each rule's count of findings, then "By secret:" with one line per unique
/// secret: where it is and, for history, how many commits and which refs hold it (the first 5;
/// JSON lists them all). Findings arrive sorted by place.
void write_totals(std::ostream& out, const std::vector<Finding>& findings, const ReportOptions& o)
{
    std::map<std::string, std::size_t> by_rule;
    std::vector<std::string> order;
    std::map<std::string, SecretTotals> by_secret; // by fingerprint
    for (const Finding& f : findings) {
        ++by_rule[f.rule_id];
        auto [it, fresh] = by_secret.try_emplace(f.fingerprint);
        if (fresh) order.push_back(f.fingerprint), it->second.first = &f;
        ++it->second.places;
        it->second.commits.insert(f.commits.begin(), f.commits.end());
        it->second.refs.insert(f.refs.begin(), f.refs.end());
    }
    out << tr("By rule:");
    for (const auto& [rule, n] : by_rule) out << ' ' << printable(rule) << ' ' << n << (&rule == &by_rule.rbegin()->first ? "" : ",");
    out << '\n' << tr("By secret:") << '\n';
    for (const std::string& fp : order) {
        const SecretTotals& t = by_secret.at(fp);
        out << "  " << printable(shown_secret(*t.first, o)) << " (" << printable(t.first->rule_id) << ", " << fp.substr(0, 8) << "): "
            << format(trn("{0} place", "{0} places", t.places), {std::to_string(t.places)});
        if (!t.commits.empty()) out << ", " << format(trn("{0} commit", "{0} commits", t.commits.size()), {std::to_string(t.commits.size())});
        std::size_t shown = 0;
        for (const std::string& r : t.refs)
            if (shown++ < 5) out << (shown == 1 ? "; refs: " : ", ") << printable(r);
        if (t.refs.size() > 5) out << ' ' << format(tr("and {0} more refs"), {std::to_string(t.refs.size() - 5)});
        out << '\n';
    }
}

class TextSink : public DocumentSink {
public:
    using DocumentSink::DocumentSink;

private:
    void write(std::ostream& out, const std::vector<Finding>& findings, const ScanSummary& summary, const ReportOptions& o) override
    {
        const char* bold = o.color ? "\033[1m" : "";
        const char* red = o.color ? "\033[31m" : "";
        const char* dim = o.color ? "\033[2m" : "";
        const char* reset = o.color ? "\033[0m" : "";
        for (const Finding& f : findings) {
            // Names and secrets come from the scanned files and commits: no raw control byte
            // reaches the terminal.
            out << bold << printable(display_position(f)) << reset << ": " << red << printable(f.rule_id) << reset << ": "
                << printable(shown_secret(f, o));
            if (!f.validation.empty()) out << " (" << f.validation << ")";
            if (!f.decoder.empty()) out << " (in " << f.decoder << "-decoded text)";
            if (!f.commit.empty()) {
                out << dim << " (";
                if (f.source != SourceKind::commit_message) out << "commit " << f.commit.substr(0, 12) << ", ";
                out << printable(f.author) << ", " << f.date.substr(0, 10) << ")" << reset;
            }
            if (f.occurrences > 1) out << " [" << f.occurrences << " occurrences]";
            if (f.present_at_head == 0) out << " (not at HEAD)"; // another branch may still hold it: refs says
            if (f.baseline_expired) out << " (baseline entry expired)";
            out << '\n';
        }
        if (o.quiet) return;
        if (!findings.empty()) write_totals(out, findings, o);
        out << summary_line(summary, o.command) << '\n';
    }
};

} // namespace

std::unique_ptr<FindingSink> text_sink(std::ostream& out, const ReportOptions& o)
{
    return std::make_unique<TextSink>(out, o);
}

} // namespace secretscan::report
