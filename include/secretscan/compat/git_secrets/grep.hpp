#pragma once
// The files `git grep` would search: what git-secrets' --scan reads without file arguments.

#include <secretscan/engine/pipeline.hpp>

#include <memory>
#include <string>
#include <vector>

namespace secretscan {

/// Which files `git grep` would search.
enum class GrepSelection {
    tracked,   ///< tracked files, read from the working tree (git grep)
    cached,    ///< the index's blobs (git grep --cached)
    untracked, ///< tracked files plus untracked ones that are not ignored (git grep --untracked)
    no_index,  ///< every file below the current folder, git or not (git grep --no-index)
};

/// The files `git grep` would search from `cwd` with `selection`, limited to `pathspecs` (files
/// or folders, relative to cwd; empty = everything below cwd), one item each in path order.
/// Paths are relative to cwd. Tracked files missing from the working tree, symbolic links and
/// submodules are passed over; `.git` is never entered. Files of any size are read (git-secrets
/// has no limit: give ScanOptions::max_file_size accordingly). list() throws Error(usage) when
/// cwd is not in a work tree (except for no_index); read() throws Error(runtime) when a file
/// cannot be read.
class GrepSource : public Source {
public:
    GrepSource(std::string cwd, GrepSelection selection, std::vector<std::string> pathspecs);
    ~GrepSource() override;
    std::string unit() const override { return "files"; }
    std::size_t list(ScanSummary& summary, unsigned threads) override;
    void read(std::size_t item, unsigned worker, ChunkReader& out) override;
    unsigned max_threads() const override { return 1; } // one repository handle

    struct Entry; ///< one file to read; internal

private:
    std::string m_cwd;
    GrepSelection m_selection;
    std::vector<std::string> m_pathspecs;
    std::vector<Entry> m_entries;
    struct Repo;
    std::unique_ptr<Repo> m_repo;
};

} // namespace secretscan
