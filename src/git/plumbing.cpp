#include "git/plumbing.hpp"

#include <secretscan/error.hpp>

#include "git/repository.hpp"
#include "util/files.hpp"

#include <fstream>
#include "util/process.hpp"

#include <unistd.h>

namespace secretscan::git {

std::string output(const std::string& cwd, std::vector<std::string> args, int* exit_code)
{
    args.insert(args.begin(), {"git", "-C", cwd});
    std::string out;
    const int rc = run_process(args, "", &out);
    if (exit_code) *exit_code = rc;
    else if (rc != 0) throw Error(ErrorKind::runtime, "git " + args[3] + " failed (exit code " + std::to_string(rc) + ")");
    return out;
}

std::string first_line(const std::string& s)
{
    return s.substr(0, s.find('\n'));
}

std::vector<std::string> merge_heads_of(const std::string& repo_dir) noexcept
{
    std::vector<std::string> heads;
    try {
        if (const Repository repo = try_open(repo_dir)) {
            for (const git_oid& id : merge_heads(repo.get())) heads.push_back(to_hex(id));
            return heads;
        }
        int rc = 0;
        const std::string git_dir = first_line(output(repo_dir, {"rev-parse", "--absolute-git-dir"}, &rc));
        if (rc != 0) return {};
        std::ifstream in(git_dir + "/MERGE_HEAD");
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) heads.push_back(line);
    } catch (const std::exception&) {
        return {}; // git cannot run, or MERGE_HEAD is unreadable: no merge we can judge
    }
    return heads;
}

GitCatFile::GitCatFile(const std::string& cwd)
{
    const ChildProcess child = spawn_piped({"git", "cat-file", "--batch"}, cwd);
    m_pid = child.pid;
    m_in = child.in;
    m_out = child.out;
}

GitCatFile::~GitCatFile()
{
    if (m_in >= 0) close(m_in);
    if (m_out >= 0) close(m_out);
    if (m_pid > 0) {
        try {
            wait_child(m_pid);
        } catch (...) {
        }
    }
}

bool GitCatFile::fill()
{
    char buf[65536];
    const ssize_t r = ::read(m_out, buf, sizeof buf);
    if (r <= 0) return false;
    m_buffer.append(buf, static_cast<std::size_t>(r));
    return true;
}

bool GitCatFile::read(const std::string& spec, std::string& content)
{
    if (spec.find('\n') != std::string::npos) throw Error(ErrorKind::runtime, "git cat-file: a path with a newline cannot be read");
    const std::string request = spec + "\n";
    for (std::size_t done = 0; done < request.size();) {
        const ssize_t w = write(m_in, request.data() + done, request.size() - done);
        if (w <= 0) throw Error(ErrorKind::runtime, "git cat-file stopped: " + errno_message());
        done += static_cast<std::size_t>(w);
    }
    std::size_t nl;
    while ((nl = m_buffer.find('\n')) == std::string::npos)
        if (!fill()) throw Error(ErrorKind::runtime, "git cat-file stopped before answering " + spec);
    const std::string header = m_buffer.substr(0, nl);
    m_buffer.erase(0, nl + 1);
    if (header.size() >= 8 && header.compare(header.size() - 8, 8, " missing") == 0) return false;
    // "<sha> <type> <size>"
    const auto last_space = header.rfind(' ');
    if (last_space == std::string::npos) throw Error(ErrorKind::runtime, "git cat-file: unexpected answer: " + header);
    const std::size_t size = std::stoull(header.substr(last_space + 1));
    while (m_buffer.size() < size + 1)
        if (!fill()) throw Error(ErrorKind::runtime, "git cat-file stopped while reading " + spec);
    content.assign(m_buffer, 0, size);
    m_buffer.erase(0, size + 1);
    return true;
}

} // namespace secretscan::git
