#pragma once
// The one thread pool idiom: a parallel loop over indices. Internal.

#include <atomic>
#include <cstddef>
#include <functional>

namespace secretscan {

/// The most worker threads a scan runs: 4 per core (hardware_concurrency, 1 when unknown), and
/// never more than 256. More threads than that only wait on each other, and tens of thousands
/// exhaust the process's thread or memory limits (hardening issue, item 16).
unsigned max_worker_threads() noexcept;

/// `threads`, or the number of cores when it is 0; at most max_worker_threads().
unsigned effective_threads(unsigned threads) noexcept;

/// Runs fn(worker, i) for every i in [0, n) on `threads` workers (at least 1, at most n), each
/// worker taking the next `grain` indices in order (a run of neighbours, for work whose
/// neighbours share data, such as objects of one pack); worker 0 is the calling thread. Workers stop taking
/// indices once `stop` (when given) is true. The first exception thrown stops the other
/// workers taking new work and is rethrown in the caller. When the system refuses to start
/// another thread, the loop runs on the workers it has (worker indices stay below `threads`).
void parallel_for(std::size_t n, unsigned threads, const std::function<void(unsigned, std::size_t)>& fn,
                  const std::atomic<bool>* stop = nullptr, std::size_t grain = 1);

} // namespace secretscan
