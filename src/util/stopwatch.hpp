#pragma once
// The scans' phase timings. Internal.

#include <chrono>
#include <cstdio>
#include <string>

namespace secretscan {

/// Wall-clock seconds since construction (a monotonic clock).
class Stopwatch {
public:
    double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count(); }
    /// "at 1.234567 s, peak memory 123 MB", for --verbose notes: the time and the process's
    /// peak resident memory so far (VmHWM in /proc/self/status, Linux; left out elsewhere).
    std::string at() const
    {
        std::string out = "at " + std::to_string(seconds()) + " s";
        if (std::FILE* f = std::fopen("/proc/self/status", "r")) {
            char line[128];
            unsigned long kb = 0;
            while (std::fgets(line, sizeof line, f))
                if (std::sscanf(line, "VmHWM: %lu kB", &kb) == 1) out += ", peak memory " + std::to_string(kb / 1024) + " MB";
            std::fclose(f);
        }
        return out;
    }

private:
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
};

} // namespace secretscan
