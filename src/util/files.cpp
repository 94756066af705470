#include "util/files.hpp"

#include <secretscan/error.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <csignal>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace secretscan {

std::string errno_message()
{
    return std::strerror(errno);
}

bool read_whole_file(const std::string& path, std::string& out)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

ReadResult read_bounded(int fd, std::uint64_t limit, std::string& out)
{
    constexpr std::size_t block = 64 * 1024;
    out.clear();
    for (;;) {
        const std::size_t have = out.size();
        out.resize(have + block);
        const ssize_t n = ::read(fd, out.data() + have, block);
        if (n < 0 && errno == EINTR) {
            out.resize(have);
            continue;
        }
        out.resize(have + static_cast<std::size_t>(n < 0 ? 0 : n));
        if (n < 0) return ReadResult::error;
        if (out.size() > limit) return ReadResult::too_large;
        if (n == 0) return ReadResult::ok;
    }
}

bool resolves_inside(const fs::path& path, const fs::path& root)
{
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
    if (ec) return false;
    const fs::path r = fs::weakly_canonical(fs::absolute(root, ec), ec);
    if (ec || r.empty() || p.empty()) return false;
    auto pi = p.begin();
    for (auto ri = r.begin(); ri != r.end(); ++ri, ++pi) {
        if (ri->empty() && std::next(ri) == r.end()) break; // a trailing '/' of the root
        if (pi == p.end() || *pi != *ri) return false;
    }
    return true;
}

namespace {

/// Opens `path` for reading once it is known to be a regular file; throws Error(config).
int open_regular(const std::string& path, const std::string& what)
{
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) throw Error(ErrorKind::config, path + ": cannot read the " + what + ": " + errno_message());
    const std::string not_regular = path + ": the " + what + " is not a regular file (" +
                                    (S_ISDIR(st.st_mode) ? "a directory" : "a FIFO, socket or device") + "); name a file";
    if (!S_ISREG(st.st_mode)) throw Error(ErrorKind::config, not_regular);
    const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) throw Error(ErrorKind::config, path + ": cannot read the " + what + ": " + errno_message());
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) { // replaced in between
        close(fd);
        throw Error(ErrorKind::config, not_regular);
    }
    return fd;
}

} // namespace

std::string read_input_file(const std::string& path, const std::string& what, const std::string& inside)
{
    std::string target = path;
    if (!inside.empty()) {
        std::error_code ec;
        target = fs::canonical(path, ec).string();
        if (ec) throw Error(ErrorKind::config, path + ": cannot read the " + what + ": " + ec.message());
        if (!resolves_inside(target, inside))
            throw Error(ErrorKind::config, path + ": the " + what + " resolves to " + target + ", outside the repository " + inside +
                                               "; a repository's .secretscan.yaml may name only files inside it");
    }
    const int fd = open_regular(target, what);
    std::string out;
    char buf[65536];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const std::string why = errno_message();
            close(fd);
            throw Error(ErrorKind::config, path + ": cannot read the " + what + ": " + why);
        }
        out.append(buf, std::min<std::size_t>(static_cast<std::size_t>(n), max_input_file_size + 1 - out.size()));
        if (out.size() > max_input_file_size) break;
    }
    close(fd);
    if (out.size() > max_input_file_size)
        throw Error(ErrorKind::config, path + ": the " + what + " is larger than 16 MiB (the limit for configuration files, rule packs and baselines); make it smaller or split it");
    return out;
}

namespace {

/// What an entry that is neither a regular file nor a folder is, and why it is not read.
std::string kind_of(const fs::file_status& st)
{
    switch (st.type()) {
    case fs::file_type::symlink: return "a symbolic link, not followed";
    case fs::file_type::fifo: return "a FIFO, not read";
    case fs::file_type::socket: return "a socket, not read";
    case fs::file_type::block: return "a block device, not read";
    case fs::file_type::character: return "a character device, not read";
    default: return "not a regular file, not read";
    }
}

} // namespace

void walk_files(const fs::path& root, const WalkVisitor& visit)
{
    std::error_code ec;
    // The iterator passes over a folder it may not open without a word: ask first, so that the
    // folder named is an error and one below it is reported as unreadable.
    if (::access(root.c_str(), R_OK | X_OK) != 0)
        throw Error(ErrorKind::runtime, root.string() + ": cannot read directory: " + errno_message());
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) throw Error(ErrorKind::runtime, root.string() + ": cannot read directory: " + ec.message());
    for (; it != end; it.increment(ec)) {
        if (ec) {
            const bool stopped = it == end; // the iterator gave up: say so rather than end short
            if (visit.unreadable) visit.unreadable(stopped ? root : it->path(), stopped ? "the walk stopped: " + ec.message() : ec.message());
            if (stopped) break;
            ec.clear();
            continue;
        }
        const fs::file_status st = it->symlink_status(ec);
        if (ec) { // a path longer than PATH_MAX, or an entry gone since it was listed: said, not passed over
            if (visit.unreadable) visit.unreadable(it->path(), ec.message());
            ec.clear();
            continue;
        }
        if (!fs::is_regular_file(st) && !fs::is_directory(st)) {
            if (visit.not_regular && it->path().filename() != ".git" && !(visit.ignored && visit.ignored(it->path(), false)))
                visit.not_regular(it->path(), kind_of(st));
            continue;
        }
        const bool is_git = it->path().filename() == ".git"; // a folder, or a linked worktree's file
        if (fs::is_directory(st)) {
            if (is_git || (visit.ignored && visit.ignored(it->path(), true))) {
                it.disable_recursion_pending();
                // The root's own repository folder is left out as documented; another one (a
                // nested or vendored repository's) is named.
                if (is_git && it.depth() > 0 && visit.not_regular) visit.not_regular(it->path(), "a nested repository's .git folder, not scanned but for its config");
            } else if (::access(it->path().c_str(), R_OK | X_OK) != 0) {
                if (visit.unreadable) visit.unreadable(it->path(), errno_message());
                it.disable_recursion_pending();
            }
            // Of a repository's own folder only its config is text a person edits, and it holds
            // remote URLs and http.extraheader values with credentials in them.
            if (is_git && visit.git_config && fs::is_regular_file(fs::symlink_status(it->path() / "config", ec)) && !ec) visit.file(it->path() / "config");
            continue;
        }
        if (!fs::is_regular_file(st) || is_git || (visit.ignored && visit.ignored(it->path(), false))) continue;
        visit.file(it->path());
    }
}

std::vector<fs::path> files_below(const fs::path& root)
{
    std::vector<fs::path> files;
    WalkVisitor visit;
    visit.file = [&files](const fs::path& p) { files.push_back(p); };
    walk_files(root, visit);
    std::sort(files.begin(), files.end());
    return files;
}

namespace {

// Temporary report files to remove if a signal ends the run before they are renamed into place:
// a report holds (redacted) findings and must not be left behind. Plain arrays, so that the
// handler only does what is async-signal-safe (unlink, sigaction, raise).
constexpr int max_pending = 4;
char pending[max_pending][4096];
volatile sig_atomic_t pending_used[max_pending];

void remove_pending_and_reraise(int sig)
{
    for (int i = 0; i < max_pending; ++i)
        if (pending_used[i]) ::unlink(pending[i]);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigaction(sig, &dfl, nullptr);
    raise(sig);
}

/// Registers `path` for removal on a signal that ends the run; the slot, or -1 when none is free
/// or the path is too long (then a signal can leave it, mode 0600).
int register_pending(const std::string& path)
{
    static const bool installed = [] {
        struct sigaction sa {};
        sa.sa_handler = remove_pending_and_reraise;
        // Every signal whose default action ends the process (crash signals included: the
        // handler only unlinks, then the signal does what it would have), but SIGKILL, which
        // cannot be caught. Those whose default is to be ignored or to stop are left alone.
        for (int sig = 1; sig < NSIG; ++sig) {
            if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD || sig == SIGCONT || sig == SIGTSTP || sig == SIGTTIN ||
                sig == SIGTTOU || sig == SIGURG || sig == SIGWINCH)
                continue;
            struct sigaction old {};
            if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_DFL) sigaction(sig, &sa, nullptr);
        }
        return true;
    }();
    (void)installed;
    for (int i = 0; i < max_pending; ++i)
        if (!pending_used[i] && path.size() < sizeof pending[i]) {
            std::memcpy(pending[i], path.c_str(), path.size() + 1);
            pending_used[i] = 1;
            return i;
        }
    return -1;
}

} // namespace

OutputFile::OutputFile(std::string path, std::string what, mode_t mode) : m_path(std::move(path)), m_what(std::move(what))
{
    struct stat st {};
    const bool exists = lstat(m_path.c_str(), &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) { // a link, device or FIFO: write into it, never replace it
        struct stat target {};
        if (S_ISLNK(st.st_mode) && stat(m_path.c_str(), &target) != 0 && errno == ENOENT) {
            // A dangling link: create what it names with the report's mode, not the umask's.
            const int fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, mode);
            if (fd < 0) throw Error(ErrorKind::runtime, m_what + " " + m_path + ": cannot create: " + errno_message());
            close(fd);
        }
        m_out.open(m_path, std::ios::binary | std::ios::trunc);
        if (!m_out) throw Error(ErrorKind::runtime, m_what + " " + m_path + ": cannot open: " + errno_message());
        return;
    }
    const fs::path target(m_path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string tmpl = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
    const int fd = mkstemp(tmpl.data()); // mode 0600
    if (fd < 0) throw Error(ErrorKind::runtime, m_what + " " + m_path + ": cannot create a file there: " + errno_message());
    m_temp = tmpl;
    m_pending = register_pending(m_temp);
    if (fchmod(fd, mode) != 0 || close(fd) != 0) throw Error(ErrorKind::runtime, m_what + " " + m_temp + ": " + errno_message());
    m_out.open(m_temp, std::ios::binary | std::ios::trunc);
    if (!m_out) throw Error(ErrorKind::runtime, m_what + " " + m_temp + ": cannot open: " + errno_message());
}

OutputFile::~OutputFile()
{
    if (!m_committed && !m_temp.empty()) unlink(m_temp.c_str());
    if (m_pending >= 0) pending_used[m_pending] = 0;
}

void OutputFile::commit()
{
    m_out.flush();
    if (!m_out) throw Error(ErrorKind::runtime, m_what + " " + m_path + ": write failed: " + errno_message());
    m_out.close();
    if (!m_temp.empty()) {
        const int fd = open(m_temp.c_str(), O_WRONLY);
        const bool synced = fd >= 0 && fsync(fd) == 0;
        if (fd >= 0) close(fd);
        if (!synced || std::rename(m_temp.c_str(), m_path.c_str()) != 0)
            throw Error(ErrorKind::runtime, m_what + " " + m_path + ": " + errno_message());
        if (m_pending >= 0) pending_used[m_pending] = 0;
        m_pending = -1;
    }
    m_committed = true;
}

} // namespace secretscan
