#pragma once
// What a push adds (the pre-push hook).

#include <secretscan/sources/history.hpp>

#include <memory>
#include <string>
#include <vector>

namespace secretscan {

/// The pre-push check: `input` is what git writes on the hook's standard input, one line per
/// pushed ref, "<local ref> <local sha> <remote ref> <remote sha>"; `remote` and `url` are the
/// hook's two arguments (the remote's name, or its URL twice when the push names no remote).
/// For each ref, the history of the commits the push adds: REMOTE..LOCAL when the remote tip is
/// known here, else (a new branch) the commits that no remote-tracking ref *of that remote*
/// holds: the remote named `remote`, and every remote whose URL or push URL is `url`. A remote
/// with no tracking refs (a new, empty repository) gets the ref's whole history, with a warning
/// in the summary. With neither `remote` nor `url`, every remote's tracking refs count.
/// Deletions add nothing. The items are those of one HistorySource per ref, one after another;
/// findings of all refs are merged (one per fingerprint, path and commit). Throws what
/// HistorySource throws, and Error(runtime) when the remotes cannot be listed.
class PushSource : public Source {
public:
    PushSource(std::string repo_dir, std::string input, std::string remote = {}, std::string url = {});
    ~PushSource() override;
    std::string unit() const override { return "blobs"; }
    std::size_t list(ScanSummary& summary, unsigned threads) override;
    void read(std::size_t item, unsigned worker, ChunkReader& out) override;
    void set_path_key(PathKey key) override { m_path_key = std::move(key); }
    CacheIdentity cache_identity(std::size_t item) const override; ///< its ref's HistorySource's
    void set_cache(ScanCache* cache) override { m_cache = cache; }
    bool needs_whole_scan() const override { return true; }
    void attribute(std::vector<std::vector<Finding>>& by_item, ScanSummary& summary,
                   const std::function<bool(Finding)>& report) override;

private:
    std::string m_repo_dir;
    std::string m_input;
    std::string m_remote, m_url;
    PathKey m_path_key;
    ScanCache* m_cache = nullptr;
    std::vector<std::unique_ptr<HistorySource>> m_refs;
    std::vector<std::size_t> m_first_item; // per ref: its first item; then the total
};

} // namespace secretscan
