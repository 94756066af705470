#include "util/parallel.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace secretscan {

unsigned effective_threads(unsigned threads) noexcept
{
    if (threads) return threads;
    const unsigned hw = std::thread::hardware_concurrency();
    return hw ? hw : 1;
}

void parallel_for(std::size_t n, unsigned threads, const std::function<void(unsigned, std::size_t)>& fn,
                  const std::atomic<bool>* stop)
{
    if (n == 0) return;
    const unsigned workers = static_cast<unsigned>(std::min<std::size_t>(std::max(1u, threads), n));
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto stopped = [&] { return failed.load(std::memory_order_relaxed) || (stop && stop->load(std::memory_order_relaxed)); };
    auto work = [&](unsigned w) {
        try {
            for (std::size_t i; !stopped() && (i = next.fetch_add(1)) < n;) fn(w, i);
        } catch (...) {
            std::lock_guard lock(error_mutex);
            if (!error) error = std::current_exception();
            failed = true;
        }
    };
    std::vector<std::thread> pool;
    for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work, w);
    work(0);
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}

} // namespace secretscan
