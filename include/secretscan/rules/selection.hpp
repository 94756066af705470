#pragma once
// Which rules a scan uses: the shipped packs, extra packs, minus disabled ids.

#include <secretscan/config/gitleaks.hpp>
#include <secretscan/rules/rule.hpp>

#include <map>
#include <string>
#include <vector>

namespace secretscan {

/// Options that decide which rules a scan uses.
struct RuleSelection {
    bool builtin = true;                  ///< include the shipped packs
    bool examples = true;                 ///< the shipped rules' examples too (builtin_rules); only `rules check` reads them
    std::vector<std::string> extra_packs; ///< files (*.toml: gitleaks configurations), or directories whose *.yaml / *.yml are loaded (in name order)
    std::vector<std::string> disabled;    ///< rule ids to drop (from --disable-rule)
    /// Extra pack -> the folder every file it names must resolve inside (symbolic links
    /// followed): the packs a repository's .secretscan.yaml names stay in the repository.
    std::map<std::string, std::string> pack_roots;
};

/// What the gitleaks configurations among the extra packs bring besides their rules.
struct ForeignRules {
    std::vector<GitleaksAllowlist> allowlists; ///< their global and per-rule allowlists, in load order
    /// Rules not loaded, keys ignored and `disabledRules` ids that name no loaded rule: one
    /// sentence each, for stderr.
    std::vector<std::string> notes;
};

/// Loads the selected rules: built-in first, then the extra packs in order. An extra pack whose
/// name ends in .toml is a gitleaks or Betterleaks configuration (load_gitleaks_config): its
/// rules are added, its `[extend] disabledRules` leave rules out, and its allowlists and notes go
/// to `foreign` when given. Throws Error(config) on a bad pack or configuration (not a regular
/// file, over 16 MiB, outside its pack_roots folder, malformed) or a duplicate id (naming both
/// places); Error(usage) when an extra pack does not exist or a disabled id names no loaded rule
/// (both come from the command line: ids disabled in a configuration file are checked where the
/// file is read).
std::vector<Rule> load_rules(const RuleSelection& selection, ForeignRules* foreign = nullptr);

} // namespace secretscan
