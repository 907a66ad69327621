#include "LocalJob.h"

#include "core/ml/DistributedConfig.h"
#include "core/util/Error.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

extern char** environ;

namespace sonolab::cli {
namespace {

// Rank `rank`'s environment: ours with the launcher's variables set. Built before fork(), because the child of a
// threaded process (libtorch's pools) may only call async-signal-safe functions, and setenv() allocates.
std::vector<std::string> rankEnvironment(int rank, int procs, int port) {
    const std::vector<std::pair<std::string, std::string>> launcher{
        {"RANK", std::to_string(rank)},      {"LOCAL_RANK", std::to_string(rank)},
        {"WORLD_SIZE", std::to_string(procs)}, {"LOCAL_WORLD_SIZE", std::to_string(procs)},
        {"MASTER_ADDR", "127.0.0.1"},        {"MASTER_PORT", std::to_string(port)}};
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        const std::string entry = *e;
        const std::string name = entry.substr(0, entry.find('='));
        bool replaced = name == "TORCHELASTIC_USE_AGENT_STORE";  // not under torchrun: rank 0 serves the store
        for (const auto& [key, value] : launcher) replaced = replaced || key == name;
        if (!replaced) env.push_back(entry);
    }
    for (const auto& [key, value] : launcher) env.push_back(key + "=" + value);
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

}  // namespace

LocalJobResult runLocalJob(const std::vector<std::string>& args, int procs) {
    const int port = ml::freeLoopbackPort();
    int pipeFds[2];
    if (::pipe(pipeFds) != 0) throw Error("local job", std::string("cannot create a pipe: ") + std::strerror(errno));
    std::vector<std::string> arguments{"sonolab-cli"};
    arguments.insert(arguments.end(), args.begin(), args.end());
    auto argv = pointers(arguments);
    std::vector<pid_t> pids;
    for (int rank = 0; rank < procs; ++rank) {
        auto environment = rankEnvironment(rank, procs, port);
        auto envp = pointers(environment);
        const pid_t pid = ::fork();
        if (pid == 0) {  // only async-signal-safe calls from here to exec
            ::close(pipeFds[0]);
            if (rank == 0) ::dup2(pipeFds[1], STDOUT_FILENO);
            ::close(pipeFds[1]);
            ::execve("/proc/self/exe", argv.data(), envp.data());
            ::_exit(127);
        }
        if (pid < 0) {
            for (pid_t started : pids) ::kill(started, SIGTERM);
            throw Error("local job", std::string("cannot start rank ") + std::to_string(rank) + ": " + std::strerror(errno));
        }
        pids.push_back(pid);
    }
    ::close(pipeFds[1]);
    LocalJobResult result;
    char buffer[4096];
    for (ssize_t n; (n = ::read(pipeFds[0], buffer, sizeof buffer)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        result.rank0Output.append(buffer, std::size_t(n));
    }
    ::close(pipeFds[0]);
    for (pid_t pid : pids) {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        result.statuses.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    }
    return result;
}

}  // namespace sonolab::cli
