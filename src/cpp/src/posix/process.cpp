#include "zerobuffer/detail/process.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <limits>

namespace zerobuffer::detail {

Liveness process_liveness(std::uint64_t pid) noexcept {
    if (pid == 0) return Liveness::None;
    // A pid that does not fit pid_t cannot name a process (and must not become kill(-1, 0)).
    if (pid > static_cast<std::uint64_t>(std::numeric_limits<pid_t>::max())) return Liveness::Dead;
    if (::kill(static_cast<pid_t>(pid), 0) == 0) return Liveness::Alive;
    return errno == EPERM ? Liveness::Alive : Liveness::Dead;
}

std::uint64_t current_pid() noexcept { return static_cast<std::uint64_t>(::getpid()); }

}  // namespace zerobuffer::detail
