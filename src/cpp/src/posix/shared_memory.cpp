#include "zerobuffer/detail/shared_memory.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "zerobuffer/detail/errno_mapping.hpp"
#include "zerobuffer/logger.hpp"

namespace zerobuffer::detail {

SharedMemory::SharedMemory(SharedMemory&& other) noexcept
    : name_(std::move(other.name_)), data_(other.data_), size_(other.size_), owns_(other.owns_) {
    other.owns_ = false;
    other.data_ = nullptr;
    other.size_ = 0;
}

SharedMemory& SharedMemory::operator=(SharedMemory&& other) noexcept {
    if (this != &other) {
        release();
        name_ = std::move(other.name_);
        data_ = other.data_;
        size_ = other.size_;
        owns_ = other.owns_;
        other.owns_ = false;
        other.data_ = nullptr;
        other.size_ = 0;
    }
    return *this;
}

SharedMemory::~SharedMemory() { release(); }

void SharedMemory::release() noexcept {
    if (!owns_) return;
    owns_ = false;
    if (::munmap(data_, size_) != 0) {
        detail::log_os_failure("munmap", name_, errno);
    }
    data_ = nullptr;
    size_ = 0;
}

namespace {
// Maps fd (closed afterwards in every case).
void map_fd(int fd, const std::string& name, std::size_t size, bool read_only, std::uint8_t*& data) {
    void* p = ::mmap(nullptr, size, read_only ? PROT_READ : PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int err = errno;
    ::close(fd);
    if (p == MAP_FAILED) throw_os_error(err, "mmap of shared memory", name);
    data = static_cast<std::uint8_t*>(p);
}
}  // namespace

SharedMemory::CreateResult SharedMemory::create(const std::string& name, std::size_t size, SharedMemory& out) {
    int fd = ::shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return CreateResult::AlreadyExists;
        throw_os_error(errno, "shm_open (create)", name);
    }
    // fchmod: the umask must not loosen or tighten the 0600 we promise.
    (void)::fchmod(fd, 0600);
    if (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
        int err = errno;
        ::close(fd);
        ::shm_unlink(name.c_str());
        throw_os_error(err, "ftruncate of shared memory", name);
    }
    // Reserve every page now: tmpfs allocates lazily, so a ring larger than the free space of /dev/shm
    // would map fine and SIGBUS on first touch. posix_fallocate returns the error (it sets no errno);
    // ENOSPC maps to ResourceExhausted.
    // A length of 0 is EINVAL: nothing to reserve (mmap refuses the empty object below).
    if (int err = size == 0 ? 0 : ::posix_fallocate(fd, 0, static_cast<off_t>(size)); err != 0) {
        ::close(fd);
        ::shm_unlink(name.c_str());
        throw_os_error(err, "posix_fallocate of shared memory", name);
    }
    std::uint8_t* data = nullptr;
    try {
        map_fd(fd, name, size, false, data);
    } catch (...) {
        ::shm_unlink(name.c_str());
        throw;
    }
    out = SharedMemory();
    out.name_ = name;
    out.data_ = data;
    out.size_ = size;
    out.owns_ = true;
    return CreateResult::Created;
}

bool SharedMemory::open(const std::string& name, SharedMemory& out, bool read_only) {
    int fd = ::shm_open(name.c_str(), read_only ? O_RDONLY : O_RDWR, 0);
    if (fd < 0) {
        if (errno == ENOENT) return false;
        throw_os_error(errno, "shm_open", name);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int err = errno;
        ::close(fd);
        throw_os_error(err, "fstat of shared memory", name);
    }
    auto size = static_cast<std::size_t>(st.st_size);
    if (size == 0) {
        // Created but not sized yet: nothing a peer may use.
        ::close(fd);
        out = SharedMemory();
        out.name_ = name;
        return true;
    }
    std::uint8_t* data = nullptr;
    map_fd(fd, name, size, read_only, data);
    out = SharedMemory();
    out.name_ = name;
    out.data_ = data;
    out.size_ = size;
    out.owns_ = true;
    return true;
}

bool SharedMemory::unlink(const std::string& name) noexcept { return ::shm_unlink(name.c_str()) == 0; }

bool SharedMemory::exists(const std::string& name) noexcept {
    int fd = ::shm_open(name.c_str(), O_RDONLY, 0);
    if (fd < 0) return errno != ENOENT;
    ::close(fd);
    return true;
}

}  // namespace zerobuffer::detail
