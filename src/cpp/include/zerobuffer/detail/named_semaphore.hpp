// A named POSIX semaphore (move-only; closes on destruction, never unlinks by itself).
#pragma once

#include <chrono>
#include <string>

namespace zerobuffer::detail {

class NamedSemaphore {
public:
    NamedSemaphore() noexcept = default;
    NamedSemaphore(const NamedSemaphore&) = delete;
    NamedSemaphore& operator=(const NamedSemaphore&) = delete;
    NamedSemaphore(NamedSemaphore&& other) noexcept;
    NamedSemaphore& operator=(NamedSemaphore&& other) noexcept;
    ~NamedSemaphore();

    // O_CREAT|O_EXCL, mode 0600, value 0. Returns false if the name exists.
    static bool create(const std::string& name, NamedSemaphore& out);
    // Opens an existing semaphore; returns false if it is missing.
    static bool open(const std::string& name, NamedSemaphore& out);
    static bool unlink(const std::string& name) noexcept;

    void post();
    // Waits until the count can be decremented or the deadline passes (CLOCK_MONOTONIC); EINTR
    // is retried. Returns false on timeout. spin: poll briefly before sleeping (see the .cpp).
    bool wait_until(std::chrono::steady_clock::time_point deadline, bool spin = true);
    bool try_wait();
    // The current count (sem_getvalue); for diagnostics, never used by the protocol.
    int value() const;

    bool is_open() const noexcept { return owns_; }
    const std::string& name() const noexcept { return name_; }

private:
    void release() noexcept;

    std::string name_;
    void* handle_ = nullptr;  // sem_t*, kept opaque so only src/posix sees <semaphore.h>
    bool owns_ = false;
};

}  // namespace zerobuffer::detail
