#pragma once

#include <cstdint>

namespace zerobuffer::detail {

enum class Liveness { None, Alive, Dead };

// kill(pid, 0): success or EPERM -> Alive, ESRCH -> Dead, pid 0 -> None.
Liveness process_liveness(std::uint64_t pid) noexcept;
inline bool is_process_alive(std::uint64_t pid) noexcept { return process_liveness(pid) == Liveness::Alive; }
std::uint64_t current_pid() noexcept;

}  // namespace zerobuffer::detail
