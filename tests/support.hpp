#pragma once
// Test helpers: temporary folders, running the real binary and shell commands.

#include <nlohmann/json.hpp>

#include <array>
#include <functional>
#include <random>

#include <string>
#include <string_view>
#include <vector>

namespace testing {

/// A fresh temporary folder, removed at scope exit unless SECRETSCAN_KEEP_TMP is set (then its
/// path is printed so a failing test's repository can be inspected).
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }
    std::string operator/(const std::string& rel) const { return m_path + "/" + rel; }

private:
    std::string m_path;
};

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs `args` (args[0] is the program, looked up on PATH) in `cwd` with `env` entries
/// ("NAME=value") added, feeding `input` on standard input. Git's global and system config are
/// hidden so the developer's own settings cannot change a result.
RunResult run(const std::vector<std::string>& args, const std::string& cwd = "", const std::vector<std::string>& env = {},
              const std::string& input = "");

/// Runs the secretscan binary under test.
RunResult secretscan(const std::vector<std::string>& args, const std::string& cwd = "",
                     const std::vector<std::string>& env = {}, const std::string& input = "");

/// Runs `script` with bash -euo pipefail in `cwd`; fails the test when it exits non-zero.
void sh(const std::string& script, const std::string& cwd, const std::vector<std::string>& env = {});

/// Runs secretscan with --format json and parses standard output.
nlohmann::json scan_json(const std::vector<std::string>& args, const std::string& cwd = "", int expected_exit = 1,
                         const std::vector<std::string>& env = {});

/// Builds ../shared/cases/<id>-* into `dir` with its make.sh (plus `mode`, if any).
void build_case(const std::string& id, const std::string& dir, const std::string& mode = "");

/// The whole content of a file ("" when it cannot be read).
std::string read_file(const std::string& path);

/// Writes `content` to `path`, creating parent folders.
void write_file(const std::string& path, const std::string& content);

/// A compact "path:line:column:rule" for each finding of a JSON report, in report order.
std::vector<std::string> locations(const nlohmann::json& report);

/// Creates an empty repository at `dir` (branch main, a test identity, no hooks).
void git_init(const std::string& dir);

/// Like git_init, but git runs hooks from the repository's own hooks folder.
void git_init_with_hooks(const std::string& dir);

/// Runs git with `args` in `cwd` (plus `env`), returning its exit code and output.
RunResult git(const std::vector<std::string>& args, const std::string& cwd, const std::vector<std::string>& env = {});

/// The folder holding the secretscan binary under test (for PATH).
std::string binary_dir();

/// Each shipped rule's file ("ID/" + the example path its paths allow) and first example, in
/// load order.
std::vector<std::pair<std::string, std::string>> shipped_rule_examples();

/// `bytes` in base64 (RFC 4648, section 4; section 5's URL-safe alphabet when `url_safe`), padded.
std::string base64_of(std::string_view bytes, bool url_safe = false);

/// Random texts shaped as git deltas make them, for the lineage tests: a base of whole `pieces`,
/// and texts of copies of the base (up to `max_copy` bytes each, at any offset) between inserts of
/// one to four pieces' tails (a piece cut anywhere, so seams fall inside keywords and runs).
class DeltaTexts {
public:
    /// A copy: {to, from, length}, as secretscan::Copy (engine/lineage.hpp) holds them.
    using Copy = std::array<std::size_t, 3>;

    DeltaTexts(std::vector<std::string> pieces, unsigned seed, std::size_t max_copy);
    /// Whole pieces until the text holds at least `size` bytes.
    std::string base(std::size_t size);
    /// Calls `check` with `rounds` texts of at least `size` bytes made of copies of `base` and
    /// inserts, and their copies in text order.
    void derive(const std::string& base, int rounds, std::size_t size,
                const std::function<void(const std::string&, const std::vector<Copy>&)>& check);

private:
    std::size_t pick(std::size_t n) { return static_cast<std::size_t>(m_random() % n); }
    std::vector<std::string> m_pieces;
    std::mt19937 m_random;
    std::size_t m_max_copy;
};

} // namespace testing
