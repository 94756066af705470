#pragma once
// A commit message file (`secretscan message FILE`, the commit-msg hook).

#include <secretscan/engine/pipeline.hpp>

#include <string>

namespace secretscan {

/// Every line of a commit message file, `#` lines included (git cannot tell the hook which
/// lines it will strip), down to git's scissors line ("# --- >8 ---", any comment character),
/// below which git always cuts. One item, scanned whatever its size; findings have an empty
/// path and source_name = FILE. list() throws Error(usage) when the file does not exist;
/// read() throws Error(runtime) when it cannot be read. Never modifies the file.
class MessageFileSource : public Source {
public:
    explicit MessageFileSource(std::string file) : m_file(std::move(file)) {}
    std::string unit() const override { return "messages"; }
    std::size_t list(ScanSummary& summary, unsigned threads) override;
    void read(std::size_t item, unsigned worker, ChunkReader& out) override;

private:
    std::string m_file;
};

} // namespace secretscan
