#include "zerobuffer/detail/named_semaphore.hpp"

#include <fcntl.h>
#include <semaphore.h>
#include <sys/stat.h>
#include <time.h>

#include <cerrno>
#include <utility>

#include "zerobuffer/detail/errno_mapping.hpp"
#include "zerobuffer/logger.hpp"

namespace zerobuffer::detail {

namespace {
sem_t* sem(void* handle) { return static_cast<sem_t*>(handle); }
}  // namespace

NamedSemaphore::NamedSemaphore(NamedSemaphore&& other) noexcept
    : name_(std::move(other.name_)), handle_(other.handle_), owns_(other.owns_) {
    other.owns_ = false;
    other.handle_ = nullptr;
}

NamedSemaphore& NamedSemaphore::operator=(NamedSemaphore&& other) noexcept {
    if (this != &other) {
        release();
        name_ = std::move(other.name_);
        handle_ = other.handle_;
        owns_ = other.owns_;
        other.owns_ = false;
        other.handle_ = nullptr;
    }
    return *this;
}

NamedSemaphore::~NamedSemaphore() { release(); }

void NamedSemaphore::release() noexcept {
    if (!owns_) return;
    owns_ = false;
    if (::sem_close(sem(handle_)) != 0) {
        detail::log_os_failure("sem_close", name_, errno);
    }
    handle_ = nullptr;
}

bool NamedSemaphore::create(const std::string& name, NamedSemaphore& out) {
    // sem_open applies the umask; 0600 is what we want, and a stricter umask cannot lock us out.
    sem_t* s = ::sem_open(name.c_str(), O_CREAT | O_EXCL, 0600, 0u);
    if (s == SEM_FAILED) {
        if (errno == EEXIST) return false;
        throw_os_error(errno, "sem_open (create)", name);
    }
    out = NamedSemaphore();
    out.name_ = name;
    out.handle_ = s;
    out.owns_ = true;
    return true;
}

bool NamedSemaphore::open(const std::string& name, NamedSemaphore& out) {
    sem_t* s = ::sem_open(name.c_str(), 0);
    if (s == SEM_FAILED) {
        if (errno == ENOENT) return false;
        throw_os_error(errno, "sem_open", name);
    }
    out = NamedSemaphore();
    out.name_ = name;
    out.handle_ = s;
    out.owns_ = true;
    return true;
}

bool NamedSemaphore::unlink(const std::string& name) noexcept { return ::sem_unlink(name.c_str()) == 0; }

void NamedSemaphore::post() {
    if (::sem_post(sem(handle_)) != 0) throw_os_error(errno, "sem_post", name_);
}

int NamedSemaphore::value() const {
    int value = 0;
    if (::sem_getvalue(sem(handle_), &value) != 0) throw_os_error(errno, "sem_getvalue", name_);
    return value;
}

bool NamedSemaphore::try_wait() {
    while (::sem_trywait(sem(handle_)) != 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return false;
        throw_os_error(errno, "sem_trywait", name_);
    }
    return true;
}

namespace {
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}
// Polls before sleeping: a peer that is about to post then finds no sleeper and skips the futex
// wake, so a busy stream costs no system call per frame. Bounded to a few tens of microseconds.
#ifndef ZEROBUFFER_SPIN_ITERATIONS
#define ZEROBUFFER_SPIN_ITERATIONS 1000
#endif
constexpr int SPIN_ITERATIONS = ZEROBUFFER_SPIN_ITERATIONS;  // a compile-time knob for A/B runs
}  // namespace

bool NamedSemaphore::wait_until(std::chrono::steady_clock::time_point deadline, bool spin) {
    for (int i = 0; spin && i < SPIN_ITERATIONS; ++i) {
        if (::sem_trywait(sem(handle_)) == 0) return true;
        cpu_relax();
    }
    // steady_clock is CLOCK_MONOTONIC on Linux, so the deadline converts directly.
    auto since_epoch = deadline.time_since_epoch();
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - secs);
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(secs.count());
    ts.tv_nsec = static_cast<long>(nanos.count());
    if (ts.tv_sec < 0) ts = timespec{0, 0};
    while (::sem_clockwait(sem(handle_), CLOCK_MONOTONIC, &ts) != 0) {
        if (errno == EINTR) continue;
        if (errno == ETIMEDOUT) return false;
        throw_os_error(errno, "sem_clockwait", name_);
    }
    return true;
}

}  // namespace zerobuffer::detail
