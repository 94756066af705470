#pragma once

namespace secretscan::cli {

/// Runs the secretscan command line; returns the process exit code (0 clean, 1 findings,
/// 2 usage or configuration error, 3 runtime error). Never throws.
int run(int argc, char** argv);

} // namespace secretscan::cli
