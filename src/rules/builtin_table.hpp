#pragma once
// The shipped packs as constant tables, one per pack, written by secretscan-packgen
// (src/rules/packgen.cpp) into the build tree: editing one pack recompiles one small file.
// Internal to src/rules/.

#include <secretscan/rules/rule.hpp>

#include <span>
#include <string_view>

namespace secretscan::builtin {

/// A place in the pack file (1-based line and column).
struct Mark {
    unsigned line;
    unsigned column;
};

/// One rule as packgen writes it: Rule's fields as constants (the regex with its boundary
/// applied, keywords lower-cased, exactly as parse_pack produces them).
struct RuleRecord {
    std::string_view id, name, regex;
    Boundary boundary;
    int secret_group;
    std::span<const std::string_view> keywords;
    std::string_view detector, extract;
    std::span<const std::string_view> paths;
    double entropy;
    bool multiline, shared_filter;
    std::string_view validate;
    Confidence confidence;
    RuleKind kind;
    std::string_view family;
    std::span<const std::string_view> tags, references;
    std::string_view remediation, impact;
    std::span<const std::string_view> stopwords, examples, negative_examples;
    std::span<const Mark> example_marks, negative_example_marks;
    Mark mark, regex_mark;
};

/// One pack: its file ("patterns/aws.yaml") and its rules in file order.
struct PackTable {
    std::string_view file;
    std::span<const RuleRecord> rules;
};

/// Every shipped pack, in file-name order (the generated index).
std::span<const PackTable* const> pack_tables() noexcept;

} // namespace secretscan::builtin
