// Bytes allocated through operator new by the calling thread (STEPS.md "Duplex channel", allocation
// per request). allocation_counter.cpp replaces the global operator new/delete of the worker with
// malloc/free plus a thread-local byte count; nothing else changes.
#pragma once

#include <cstdint>

namespace zbserve::step_definitions {

std::uint64_t thread_allocated_bytes() noexcept;

}  // namespace zbserve::step_definitions
