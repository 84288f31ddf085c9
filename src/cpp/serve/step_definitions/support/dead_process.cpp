#include "step_definitions/support/dead_process.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

extern char** environ;

namespace zbserve::step_definitions {

std::uint64_t reaped_child_pid() {
    pid_t pid = 0;
    char path[] = "/bin/true";
    char* argv[] = {path, nullptr};
    if (int err = ::posix_spawn(&pid, path, nullptr, nullptr, argv, environ); err != 0) {
        throw std::runtime_error(std::string("posix_spawn /bin/true failed: ") + std::strerror(err));
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw std::runtime_error(std::string("waitpid failed: ") + std::strerror(errno));
    }
    return static_cast<std::uint64_t>(pid);
}

bool is_dead_pid(std::uint64_t pid) noexcept {
    if (pid == 0 || pid > static_cast<std::uint64_t>(std::numeric_limits<pid_t>::max())) return false;
    return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

}  // namespace zbserve::step_definitions
