#pragma once
// The scans' phase timings. Internal.

#include <chrono>
#include <string>

namespace secretscan {

/// Wall-clock seconds since construction (a monotonic clock).
class Stopwatch {
public:
    double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count(); }
    /// "at 1.234567 s", for --verbose notes.
    std::string at() const { return "at " + std::to_string(seconds()) + " s"; }

private:
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

} // namespace secretscan
