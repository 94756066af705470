#pragma once
// The built-in demo: a small repository with made-up credentials, for the README's first command.

#include <cstddef>
#include <string>
#include <vector>

namespace secretscan {

/// A credential the demo planted: the finding a history scan must report.
struct DemoPlant {
    std::string rule_id;
    std::string location; ///< path, or "" for a commit message
    std::size_t line;     ///< 1-based
    std::string commit_summary; ///< first line of the commit that introduced it
};

/// Creates a repository in `dir` (which must not exist or be empty) with three commits holding
/// made-up credentials (none is valid anywhere; they are assembled at run time so this source
/// file holds none). Returns what a correct history scan reports. Throws Error(runtime) when a
/// git operation fails.
std::vector<DemoPlant> create_demo_repository(const std::string& dir);

} // namespace secretscan
