#pragma once
// What a push adds (the pre-push hook).

#include <secretscan/sources/history.hpp>

#include <memory>
#include <string>
#include <vector>

namespace secretscan {

/// The pre-push check: `input` is what git writes on the hook's standard input, one line per
/// pushed ref, "<local ref> <local sha> <remote ref> <remote sha>". For each ref, the history
/// of the commits the push adds: REMOTE..LOCAL when the remote tip is known here, else (a new
/// branch) the commits no remote-tracking ref already holds. Deletions add nothing. The items
/// are those of one HistorySource per ref, one after another; findings of all refs are merged
/// (one per fingerprint, path and commit). Throws what HistorySource throws.
class PushSource : public Source {
public:
    PushSource(std::string repo_dir, std::string input);
    ~PushSource() override;
    std::string unit() const override { return "blobs"; }
    std::size_t list(ScanSummary& summary, unsigned threads) override;
    void read(std::size_t item, unsigned worker, ChunkReader& out) override;
    bool needs_whole_scan() const override { return true; }
    void attribute(std::vector<std::vector<Finding>>& by_item, ScanSummary& summary,
                   const std::function<bool(Finding)>& report) override;

private:
    std::string m_repo_dir;
    std::string m_input;
    std::vector<std::unique_ptr<HistorySource>> m_refs;
    std::vector<std::size_t> m_first_item; // per ref: its first item; then the total
};

} // namespace secretscan
