#pragma once
// What the next commit adds: the index against HEAD (`secretscan staged`, the pre-commit hook).

#include <secretscan/engine/pipeline.hpp>

#include <memory>
#include <string>
#include <vector>

namespace secretscan {

/// `staged`: the blobs of the index (GIT_INDEX_FILE when set; a relative one is resolved against
/// the work tree's top) against HEAD (the empty tree before the first commit). One item per
/// added, modified, renamed or copied path; deleted paths and submodules are ignored, renames
/// compare against the old path. Only the lines the commit adds count (Chunk::added_lines),
/// numbered as in the staged file; while MERGE_HEAD exists, a line counts only if it is added
/// relative to every parent (HEAD and each MERGE_HEAD). With `all_lines`, every line counts.
/// Never reads the working tree. Reads through libgit2 (the diff of HEAD to the index skips the
/// directories the index's cache-tree shows unchanged), or git's plumbing where libgit2 1.5
/// cannot open the repository or its index (a split or sparse index); a note says so.
/// list() throws Error(usage) outside a work tree, Error(runtime) for a missing GIT_INDEX_FILE
/// (never read as an empty index); read() throws Error(runtime) for an unreadable object.
class StagedSource : public Source {
public:
    explicit StagedSource(std::string repo_dir, bool all_lines = false);
    ~StagedSource() override;
    std::string unit() const override { return "files"; }
    std::size_t list(ScanSummary& summary, unsigned threads) override;
    void read(std::size_t item, unsigned worker, ChunkReader& out) override;
    /// 1 (one libgit2 handle, or one git process), or no limit once prepare() has read every
    /// file: read() then only hands out what it read.
    unsigned max_threads() const override;

    /// Does list()'s work now, and reads the staged files' contents and added lines ahead (up
    /// to 16 MiB of blobs; the calling thread reads them while a thread of its own diffs them),
    /// so that a caller can overlap it with setting up its scanner on another thread (the
    /// pre-commit hook does: the two take some 3 ms each). list() and read() then use what it
    /// read; the findings are the same as without it. Optional; call it before list(), from one
    /// thread. Throws what list() throws (then list() lists again, and throws again); a file it
    /// cannot read is left for read(), whose error names it.
    void prepare();

    /// How a staged scan reads the repository: libgit2, or git's plumbing. Internal.
    class Backend;

private:
    struct Preloaded;
    std::unique_ptr<Backend> open_backend(std::vector<std::string>& notes) const;
    std::vector<std::size_t> added_lines_of(std::size_t item, const std::string& bytes);
    void preload(Preloaded& pre);

    std::string m_repo_dir;
    bool m_all_lines;
    std::unique_ptr<Backend> m_backend;
    std::unique_ptr<Preloaded> m_preloaded;
};

} // namespace secretscan
