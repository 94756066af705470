#pragma once
// The history walk's entries in the scan cache (cache/scan_cache.hpp): each commit's changed
// (path, blob) pairs, and the cache keys of history's items. Internal to sources/history.cpp.

#include "sources/history_walk.hpp"

#include <secretscan/cache/scan_cache.hpp>

#include <atomic>
#include <functional>
#include <string>

namespace secretscan::history {

/// inspect(), or the changes `cache` holds for commit `id` (`boundary`: a shallow clone's
/// boundary commit, diffed as a root). Only for a full walk (inspect_commit with no range),
/// whose result depends on nothing else. What inspect() returns is stored. Counts a hit in
/// `hits`. `cache` may be null or inactive. Thread-safe; throws what inspect() throws.
CommitWork cached_commit_work(ScanCache* cache, const git_oid& id, bool boundary, const std::function<CommitWork()>& inspect,
                              std::atomic<std::size_t>& hits);

/// The cache key of a blob read at a path whose key (FilterChain::path_key) is `path_key`.
std::string blob_cache_key(const git_oid& blob, const std::string& path_key);

/// The cache key of a commit's message.
std::string message_cache_key(const git_oid& commit);

} // namespace secretscan::history
