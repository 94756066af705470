// secretscan-accuracy: measures recall and false positives on the labelled corpus
// (tests/corpus/corpus.jsonl, built by tests/corpus/generate.py).
//
//   secretscan-accuracy CORPUS [--patterns DIR] [--min-recall PCT] [--max-fp PCT] [--list]
//
// A positive counts as found when a finding of its expected rule starts inside the planted
// secret's span (line/column range). A negative counts as a false positive when any rule reports
// anything in it. Prints one row per family (positives: the rule's family; negatives: the
// negative class), then the totals; with --list, every miss and every false positive. Exits 1
// when total recall is below --min-recall (default 98), the false-positive rate above --max-fp
// (default 1) or a loaded rule has no positive sample; 2 on bad input.

#include <secretscan/error.hpp>
#include <secretscan/engine/matcher.hpp>
#include <secretscan/engine/scanner.hpp>
#include <secretscan/rules/selection.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

using namespace secretscan;

namespace {

struct Tally {
    std::size_t samples = 0;
    std::size_t hits = 0; // positives: found; negatives: with a finding
};

double pct(std::size_t part, std::size_t whole) { return whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0; }

int run(int argc, char** argv)
{
    const std::string usage = "usage: secretscan-accuracy CORPUS [--patterns DIR] [--min-recall PCT] [--max-fp PCT] [--list]";
    if (argc >= 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
        std::printf("%s\n\nRecall per family and false positives per negative class on a labelled corpus\n"
                    "(tests/corpus/corpus.jsonl); --list prints every miss (MISS), false positive (FP) and\n"
                    "extra finding in a positive sample (EXTRA: a second finding besides the planted one).\n",
                    usage.c_str());
        return 0;
    }
    if (argc < 2) throw Error(ErrorKind::usage, usage);
    std::string corpus = argv[1];
    RuleSelection sel;
    double min_recall = 98.0, max_fp = 1.0;
    bool list = false;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw Error(ErrorKind::usage, a + " needs a value");
            return argv[++i];
        };
        if (a == "--patterns") {
            sel.builtin = false;
            sel.extra_packs.push_back(value());
        } else if (a == "--min-recall") {
            min_recall = std::stod(value());
        } else if (a == "--max-fp") {
            max_fp = std::stod(value());
        } else if (a == "--list") {
            list = true;
        } else {
            throw Error(ErrorKind::usage, "unknown option " + a);
        }
    }
    const Matcher matcher(load_rules(sel));
    const FilterChain chain(matcher.rules());
    const Scanner scanner(matcher, chain, standard_decoders());
    std::ifstream in(corpus);
    if (!in) throw Error(ErrorKind::usage, corpus + ": cannot open");
    std::map<std::string, Tally> pos, neg;
    std::vector<std::string> misses, false_positives, extras;
    std::size_t line_no = 0, extra = 0;
    std::map<std::string, std::size_t> samples_of_rule;
    for (const Rule& r : matcher.rules()) samples_of_rule[r.id] = 0;
    for (std::string line; std::getline(in, line);) {
        ++line_no;
        if (line.empty()) continue;
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("label") || !j.contains("text") || !j.contains("family"))
            throw Error(ErrorKind::config, corpus + ":" + std::to_string(line_no) + ": not a corpus record (label, family, text)");
        const std::string id = j.value("id", "?");
        const auto found = scanner.scan_text(j["text"].get<std::string>(), Provenance{SourceKind::file, j.value("path", "sample.txt"), ""});
        if (j["label"] == "positive") {
            const std::string rule = j.at("rule");
            const auto known = samples_of_rule.find(rule);
            if (known == samples_of_rule.end())
                throw Error(ErrorKind::config, corpus + ":" + std::to_string(line_no) + ": rule " + rule + " is not loaded; regenerate the corpus");
            ++known->second;
            const auto start = std::make_tuple(j.at("line").get<std::size_t>(), j.at("column").get<std::size_t>());
            const auto end = std::make_tuple(j.at("end_line").get<std::size_t>(), j.at("end_column").get<std::size_t>());
            bool ok = false;
            std::string got;
            for (const Finding& f : found) {
                const auto at = std::make_tuple(f.line, f.column);
                if (f.rule_id == rule && at >= start && at <= end) {
                    ok = true;
                } else {
                    ++extra;
                    extras.push_back(id + " (" + j.value("path", "") + ": " + f.rule_id + "@" + std::to_string(f.line) + ":" +
                                     std::to_string(f.column) + " = " + f.secret.substr(0, 60) + ")");
                }
                got += " " + f.rule_id + "@" + std::to_string(f.line) + ":" + std::to_string(f.column);
            }
            Tally& t = pos[j["family"].get<std::string>()];
            ++t.samples;
            if (ok) ++t.hits;
            else misses.push_back(id + " (" + j.value("path", "") + ", want " + rule + ", got" + (got.empty() ? " nothing" : got) + ")");
        } else {
            Tally& t = neg[j["family"].get<std::string>()];
            ++t.samples;
            if (!found.empty()) {
                ++t.hits;
                std::string got;
                for (const Finding& f : found) got += " " + f.rule_id + "=" + f.secret.substr(0, 60);
                false_positives.push_back(id + " (" + j.value("path", "") + ":" + got + ")");
            }
        }
    }
    Tally tp, tn;
    std::printf("%-16s %9s %9s %8s\n", "positives", "samples", "found", "recall");
    for (const auto& [fam, t] : pos) {
        std::printf("%-16s %9zu %9zu %7.1f%%\n", fam.c_str(), t.samples, t.hits, pct(t.hits, t.samples));
        tp.samples += t.samples;
        tp.hits += t.hits;
    }
    std::printf("%-16s %9s %9s %8s\n", "negatives", "samples", "flagged", "FP rate");
    for (const auto& [fam, t] : neg) {
        std::printf("%-16s %9zu %9zu %7.1f%%\n", fam.c_str(), t.samples, t.hits, pct(t.hits, t.samples));
        tn.samples += t.samples;
        tn.hits += t.hits;
    }
    const double recall = pct(tp.hits, tp.samples), fp = pct(tn.hits, tn.samples);
    std::printf("total: recall %.2f%% (%zu/%zu, target >= %.1f%%), false positives %.2f%% (%zu/%zu, target <= %.1f%%), "
                "extra findings in positives %zu (--list), %zu rules\n",
                recall, tp.hits, tp.samples, min_recall, fp, tn.hits, tn.samples, max_fp, extra, matcher.rules().size());
    std::size_t untested = 0;
    for (const auto& [rule, n] : samples_of_rule)
        if (n == 0) {
            std::printf("NO SAMPLES %s (add an entry to tests/corpus/specs and regenerate)\n", rule.c_str());
            ++untested;
        }
    if (list) {
        for (const auto& m : misses) std::printf("MISS %s\n", m.c_str());
        for (const auto& f : false_positives) std::printf("FP   %s\n", f.c_str());
        for (const auto& e : extras) std::printf("EXTRA %s\n", e.c_str());
    }
    if (tp.samples == 0 || tn.samples == 0) throw Error(ErrorKind::config, corpus + ": needs positives and negatives");
    return (recall >= min_recall && fp <= max_fp && untested == 0) ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    try {
        return run(argc, argv);
    } catch (const Error& e) {
        std::cerr << "secretscan-accuracy: error: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "secretscan-accuracy: error: " << e.what() << '\n';
        return 2;
    }
}
