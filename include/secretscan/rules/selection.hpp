#pragma once
// Which rules a scan uses: the shipped packs, extra packs, minus disabled ids.

#include <secretscan/rules/rule.hpp>

#include <string>
#include <vector>

namespace secretscan {

/// Options that decide which rules a scan uses.
struct RuleSelection {
    bool builtin = true;                  ///< include the shipped packs
    std::vector<std::string> extra_packs; ///< files, or directories whose *.yaml / *.yml are loaded (in name order)
    std::vector<std::string> disabled;    ///< rule ids to drop (from --disable-rule)
};

/// Loads the selected rules: built-in first, then the extra packs in order. Throws
/// Error(config) on a bad pack or a duplicate id (naming both places); Error(usage) when an
/// extra pack does not exist or a disabled id names no loaded rule (both come from the command
/// line: ids disabled in a configuration file are checked where the file is read).
std::vector<Rule> load_rules(const RuleSelection& selection);

} // namespace secretscan
