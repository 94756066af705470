#pragma once
// Files and directories on disk, and standard input (`secretscan scan`).

#include <secretscan/engine/pipeline.hpp>

#include <map>
#include <string>
#include <vector>

namespace secretscan {

/// `scan [PATH...]`: files and directories (none: "."); "-" reads standard input. Directories
/// are walked recursively, never following symbolic links and never entering `.git`; inside a
/// git work tree what .gitignore ignores is passed over unless `respect_gitignore` is false.
/// Items: the named files and the walked files (each directory's files in path order), in the
/// order the paths are given. Paths are reported as walked ("dir/sub/file"; a leading "./"
/// removed). list() throws Error(usage) for a path that does not exist; read() throws
/// Error(runtime) for a named file that cannot be read, while an unreadable walked file is
/// listed as skipped.
class FilesSource : public Source {
public:
    explicit FilesSource(std::vector<std::string> paths, bool respect_gitignore = true);
    std::string unit() const override { return "files"; }
    std::size_t list(ScanSummary& summary, unsigned threads) override;
    void read(std::size_t item, unsigned worker, ChunkReader& out) override;
    void exclude(const std::string& path, const std::string& reason) override;

private:
    struct Item {
        std::string path;   ///< as reported; "-" for standard input
        bool named = false; ///< given on the command line (errors are fatal) rather than walked
    };
    void walk(const std::string& root, ScanSummary& summary);
    /// Adds `path` as an item unless it is excluded (then it is listed as skipped).
    void add(std::string path, bool named, ScanSummary& summary);

    std::vector<std::string> m_paths;
    bool m_respect_gitignore;
    std::vector<Item> m_items;
    std::map<std::string, std::string> m_excluded; // canonical path -> why it is not read
};

} // namespace secretscan
