#include "util/parallel.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace secretscan {

namespace {

unsigned cores() noexcept
{
    const unsigned hw = std::thread::hardware_concurrency();
    return hw ? hw : 1;
}

} // namespace

unsigned max_worker_threads() noexcept
{
    return std::min(4 * cores(), 256u);
}

unsigned effective_threads(unsigned threads) noexcept
{
    return std::min(threads ? threads : cores(), max_worker_threads());
}

void parallel_for(std::size_t n, unsigned threads, const std::function<void(unsigned, std::size_t)>& fn,
                  const std::atomic<bool>* stop, std::size_t grain)
{
    if (n == 0) return;
    grain = std::max<std::size_t>(grain, 1);
    const unsigned workers = static_cast<unsigned>(std::min<std::size_t>(std::max(1u, threads), n));
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto stopped = [&] { return failed.load(std::memory_order_relaxed) || (stop && stop->load(std::memory_order_relaxed)); };
    auto work = [&](unsigned w) {
        try {
            for (std::size_t i; !stopped() && (i = next.fetch_add(grain)) < n;)
                for (const std::size_t end = std::min(n, i + grain); i < end && !stopped(); ++i) fn(w, i);
        } catch (...) {
            std::lock_guard lock(error_mutex);
            if (!error) error = std::current_exception();
            failed = true;
        }
    };
    std::vector<std::thread> pool;
    try {
        for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work, w);
    } catch (const std::system_error&) {
        // No more threads (a process or memory limit): the ones started share the work. A thread
        // left running while this unwinds would terminate the program.
    }
    work(0);
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}

} // namespace secretscan
