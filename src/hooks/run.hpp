#pragma once

#include <secretscan/compat/git_secrets/config.hpp>
#include <secretscan/engine/scanner.hpp>

#include <functional>
#include <string>
#include <vector>

namespace secretscan::cli {

/// `secretscan hook NAME SCOPE SHIM [ARGS...]`, run by an installed shim: runs the hook it
/// chains first (its failure stops here with its exit code), then, unless SECRETSCAN_SKIP=1,
/// secretscan's check for NAME, writing findings and how to proceed to stderr. Returns the exit
/// code git sees: 0 lets the commit or push go on. Errors fail closed (exit 2 or 3, with the
/// reason and how to bypass).
int run_hook(const Scanner& scanner, const ScanOptions& options, const std::function<void(std::vector<Finding>&)>& filter,
             bool redact, const std::string& name,
             const std::string& scope, const std::string& shim, const std::vector<std::string>& args);

} // namespace secretscan::cli
