#pragma once
// The scans: each reads one kind of input (files, the index, a message file, history) and runs
// the shared Scanner over it. Git access is through libgit2 only.

#include <secretscan/engine/scanner.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace secretscan {

/// `scan [PATH...]`: files and directories; "-" reads standard input. Directories are walked
/// recursively, never following symbolic links and never entering `.git`; inside a git work tree
/// what .gitignore ignores is skipped unless options.no_ignore. Paths are reported as walked
/// ("dir/sub/file"; a leading "./" removed). Files are read in parallel.
/// Throws Error(usage) for a path that does not exist, Error(runtime) for a named file that
/// cannot be read; unreadable files met while walking are listed in stats.skipped.
ScanResult scan_paths(const Scanner& scanner, const std::vector<std::string>& paths, const ScanOptions& options);

/// `message FILE`: every line of a commit message file, `#` lines included (git cannot tell the
/// hook which lines it will strip), down to git's scissors line ("# --- >8 ---", any comment
/// character), below which git always cuts. Findings have an empty path and source_name = FILE.
/// Throws Error(usage) when the file does not exist, Error(runtime) when it cannot be read.
/// Never modifies the file.
ScanResult scan_message_file(const Scanner& scanner, const std::string& file, const ScanOptions& options);

struct StagedOptions {
    ScanOptions scan;
    bool all_lines = false; ///< report whole staged files, not only the lines the commit adds
};

/// `staged`: the blobs of the index (GIT_INDEX_FILE when set; a relative one is resolved against
/// the work tree's top) against HEAD (the empty tree before the first commit). Only the lines
/// the commit adds count, numbered as in the staged file. While MERGE_HEAD exists, a line counts
/// only if it is added relative to every parent (HEAD and each MERGE_HEAD). Deleted paths and
/// submodules are ignored; renames compare against the old path. Never reads the working tree.
/// Throws Error(usage) outside a work tree, Error(runtime) for a missing GIT_INDEX_FILE or an
/// unreadable object.
ScanResult scan_staged(const Scanner& scanner, const std::string& repo_dir, const StagedOptions& options);

struct HistoryOptions {
    ScanOptions scan;
    /// Revision ranges as git log takes them ("A..B", "A...B", "^A", "B"); empty = every ref
    /// (branches, tags, remotes, stash, notes) and HEAD, like `git log --all`.
    std::vector<std::string> ranges;
    bool messages = true; ///< also scan commit messages and (with no range) annotated tag messages
};

/// `history`: the commits reachable from the ranges, parents first (topological order, ties
/// broken by commit time). Every (path, blob) that a commit adds relative to all of its parents
/// is collected; each unique blob is read and scanned once, in parallel (one repository handle
/// per worker). A finding is one (rule, secret, path), attributed to the first commit in that
/// order whose blob holds it; later blobs that still hold it increase `occurrences`.
/// Works on bare repositories; a shallow one adds a warning. No commit at all is not an error.
/// Throws Error(usage) when repo_dir is not a repository or a range does not resolve,
/// Error(runtime) on a corrupt or missing object.
ScanResult scan_history(const Scanner& scanner, const std::string& repo_dir, const HistoryOptions& options);

/// The pre-push check: `input` is what git writes on the hook's standard input, one line per
/// pushed ref, "<local ref> <local sha> <remote ref> <remote sha>". For each ref, the history
/// scan of the commits the push adds: REMOTE..LOCAL when the remote tip is known here, else (a
/// new branch) the commits no remote-tracking ref already holds. Deletions add nothing.
/// Findings of all refs are merged (one per fingerprint, path and commit).
/// Throws what scan_history throws.
ScanResult scan_push(const Scanner& scanner, const std::string& repo_dir, const ScanOptions& options, const std::string& input);

/// Which files `git grep` would search (git-secrets' --scan without file arguments).
enum class GrepSelection {
    tracked,   ///< tracked files, read from the working tree (git grep)
    cached,    ///< the index's blobs (git grep --cached)
    untracked, ///< tracked files plus untracked ones that are not ignored (git grep --untracked)
    no_index,  ///< every file below the current folder, git or not (git grep --no-index)
};

/// Calls fn(path, bytes) for each file `git grep` would search from `cwd` with `selection`,
/// limited to `pathspecs` (files or folders, relative to cwd; empty = everything below cwd), in
/// path order. Paths are relative to cwd. Tracked files missing from the working tree, symbolic
/// links and submodules are passed over; `.git` is never entered. Throws Error(usage) when cwd
/// is not in a work tree (except for no_index), Error(runtime) when a file cannot be read.
void for_each_grep_file(const std::string& cwd, GrepSelection selection, const std::vector<std::string>& pathspecs,
                        const std::function<void(const std::string& path, std::string_view bytes)>& fn);

/// Whether a merge is being concluded in the repository at `repo_dir` (MERGE_HEAD exists).
/// Never throws; false outside a repository.
bool merge_in_progress(const std::string& repo_dir);

/// The commits being merged (the lines of MERGE_HEAD), empty when no merge is in progress.
/// Never throws.
std::vector<std::string> merge_heads(const std::string& repo_dir);

} // namespace secretscan
