// Atomic access to OIEB fields in shared memory. payload_free_bytes is changed by both sides, so it
// is only ever touched with atomic add/sub; positions and pids use acquire loads / release stores.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "zerobuffer/layout.hpp"

namespace zerobuffer::detail {

static_assert(std::atomic_ref<std::uint64_t>::is_always_lock_free);

inline std::uint64_t load_acquire(std::uint64_t& field) noexcept {
    return std::atomic_ref<std::uint64_t>(field).load(std::memory_order_acquire);
}
inline void store_release(std::uint64_t& field, std::uint64_t value) noexcept {
    std::atomic_ref<std::uint64_t>(field).store(value, std::memory_order_release);
}
inline void fetch_add(std::uint64_t& field, std::uint64_t value) noexcept {
    std::atomic_ref<std::uint64_t>(field).fetch_add(value, std::memory_order_acq_rel);
}
inline void fetch_sub(std::uint64_t& field, std::uint64_t value) noexcept {
    std::atomic_ref<std::uint64_t>(field).fetch_sub(value, std::memory_order_acq_rel);
}
inline bool compare_exchange(std::uint64_t& field, std::uint64_t expected, std::uint64_t desired) noexcept {
    return std::atomic_ref<std::uint64_t>(field).compare_exchange_strong(expected, desired,
                                                                          std::memory_order_acq_rel);
}
inline std::uint32_t load_acquire(std::uint32_t& field) noexcept {
    return std::atomic_ref<std::uint32_t>(field).load(std::memory_order_acquire);
}
inline void store_release(std::uint32_t& field, std::uint32_t value) noexcept {
    std::atomic_ref<std::uint32_t>(field).store(value, std::memory_order_release);
}

inline Oieb& oieb_at(std::uint8_t* base) noexcept { return *reinterpret_cast<Oieb*>(base); }

// Shared-memory and semaphore names for a buffer (PROTOCOL.md section 1).
struct ResourceNames {
    std::string shm;        // "/<name>"
    std::string sem_write;  // "/sem-w-<name>"
    std::string sem_read;   // "/sem-r-<name>"
};

}  // namespace zerobuffer::detail
