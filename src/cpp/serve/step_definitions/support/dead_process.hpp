// Pids that name no live process, for simulated crashes and the OIEB pid phrases (STEPS.md).
#pragma once

#include <cstdint>

namespace zbserve::step_definitions {

// Starts /bin/true and reaps it: its pid is known to name no live process (until the kernel reuses it).
std::uint64_t reaped_child_pid();

// pid is not 0 and kill(pid, 0) fails with ESRCH.
bool is_dead_pid(std::uint64_t pid) noexcept;

}  // namespace zbserve::step_definitions
