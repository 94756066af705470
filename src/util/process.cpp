#include "util/process.hpp"

#include <secretscan/error.hpp>

#include "util/files.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace secretscan {

namespace {

struct Pipe {
    int fd[2] = {-1, -1};
    Pipe()
    {
        if (pipe2(fd, O_CLOEXEC) != 0) throw Error(ErrorKind::runtime, "cannot create a pipe: " + errno_message());
    }
    ~Pipe()
    {
        close_end(0);
        close_end(1);
    }
    void close_end(int i)
    {
        if (fd[i] >= 0) close(fd[i]);
        fd[i] = -1;
    }
};

int spawn(const std::vector<std::string>& argv, const std::string& argv0, int in_fd, int out_fd, const std::string& cwd)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_fd, 0);
    if (out_fd >= 0) posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
    if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    if (!argv0.empty()) args[0] = const_cast<char*>(argv0.c_str());
    args.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw Error(ErrorKind::runtime, "cannot run " + argv[0] + ": " + std::strerror(rc));
    return pid;
}

int wait_for(int pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw Error(ErrorKind::runtime, "waitpid: " + errno_message());
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

int run_process(const std::vector<std::string>& argv, const std::string& input, std::string* out, const std::string& argv0)
{
    // A child that exits without reading all its input must not kill us with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    Pipe in, output;
    const int pid = spawn(argv, argv0, in.fd[0], out ? output.fd[1] : -1, "");
    in.close_end(0);
    output.close_end(1);
    std::size_t written = 0;
    if (input.empty()) in.close_end(1);
    char buf[65536];
    while (in.fd[1] >= 0 || (out && output.fd[0] >= 0)) {
        pollfd fds[2];
        nfds_t n = 0;
        if (in.fd[1] >= 0) fds[n++] = {in.fd[1], POLLOUT, 0};
        if (out && output.fd[0] >= 0) fds[n++] = {output.fd[0], POLLIN, 0};
        if (poll(fds, n, -1) < 0) {
            if (errno == EINTR) continue;
            throw Error(ErrorKind::runtime, "poll: " + errno_message());
        }
        for (nfds_t i = 0; i < n; ++i) {
            if (!fds[i].revents) continue;
            if (fds[i].fd == in.fd[1]) {
                const ssize_t w = write(in.fd[1], input.data() + written, input.size() - written);
                if (w > 0) written += static_cast<std::size_t>(w);
                if (w < 0 || written == input.size()) in.close_end(1); // EPIPE: the child stopped reading
            } else {
                const ssize_t r = read(output.fd[0], buf, sizeof buf);
                if (r > 0) out->append(buf, static_cast<std::size_t>(r));
                else output.close_end(0);
            }
        }
    }
    return wait_for(pid);
}

ChildProcess spawn_piped(const std::vector<std::string>& argv, const std::string& cwd)
{
    std::signal(SIGPIPE, SIG_IGN);
    Pipe in, output;
    ChildProcess child;
    child.pid = spawn(argv, "", in.fd[0], output.fd[1], cwd);
    child.in = in.fd[1];
    child.out = output.fd[0];
    in.fd[1] = output.fd[0] = -1; // now owned by the caller
    return child;
}

int wait_child(int pid)
{
    return wait_for(pid);
}

} // namespace secretscan
