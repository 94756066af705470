#pragma once
// Rules that prove themselves (`secretscan rules check`): every example through the whole engine,
// plus lints of the rule text.

#include <secretscan/engine/matcher.hpp>
#include <secretscan/rules/rule.hpp>

#include <string>
#include <vector>

namespace secretscan {

/// One problem with one rule, located where it is written.
struct RuleProblem {
    std::string rule_id;
    SourceMark at;
    std::string what;
};

/// Checks every rule of `matcher`: it has examples and negative examples; each example produces
/// a finding of the rule and no negative example does, through the whole pipeline (prefilter,
/// regex, the filter chain's match, overlap and line steps; no configuration); its regex cannot
/// match the empty string; each of its keywords occurs (case-insensitively) in at least one of
/// its examples. An example without a finding says why, as the pipeline decides it
/// (Scanner::explain_miss). `examples_checked` receives the number of examples run. Compiles
/// every rule; throws Error(config) for a regex that does not compile.
std::vector<RuleProblem> check_rules(const Matcher& matcher, std::size_t& examples_checked);

} // namespace secretscan
