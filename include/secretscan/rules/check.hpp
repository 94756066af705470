#pragma once
// Rules that prove themselves (`secretscan rules check`): every example through the whole engine,
// plus lints of the rule text.

#include <secretscan/engine/matcher.hpp>

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
/// a finding of the rule and no negative example does (through the whole engine: prefilter,
/// regex, entropy, stopwords, inline markers); its regex cannot match the empty string; each of
/// its keywords occurs (case-insensitively) in at least one of its examples. An example without
/// a finding says why: the regex, the entropy floor, a stopword, the shared filter's class, the
/// validator's reason, or another rule taking the secret. `examples_checked`
/// receives the number of examples run. Compiles every rule; throws Error(config) for a regex
/// that does not compile.
std::vector<RuleProblem> check_rules(const Matcher& matcher, std::size_t& examples_checked);

} // namespace secretscan
