#include "zerobuffer/detail/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "zerobuffer/detail/errno_mapping.hpp"
#include "zerobuffer/logger.hpp"

namespace zerobuffer::detail {

FileLock::FileLock(FileLock&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_), owns_(other.owns_) {
    other.owns_ = false;
    other.fd_ = -1;
}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
    if (this != &other) {
        release();
        path_ = std::move(other.path_);
        fd_ = other.fd_;
        owns_ = other.owns_;
        other.owns_ = false;
        other.fd_ = -1;
    }
    return *this;
}

FileLock::~FileLock() { release(); }

void FileLock::release() noexcept {
    if (!owns_) return;
    owns_ = false;
    ::close(fd_);  // closing the only descriptor drops the flock
    fd_ = -1;
}

void FileLock::unlink_and_release() noexcept {
    if (!owns_) return;
    if (::unlink(path_.c_str()) != 0 && errno != ENOENT) {
        detail::log_os_failure("unlink", path_, errno);
    }
    release();
}

bool FileLock::try_acquire(const std::string& path, FileLock& out, bool create) {
    // A cleaner may delete the file between our open and our flock; a lock on that orphaned inode
    // protects nothing, so only a lock on the inode the path still names counts (as in C# and Python).
    constexpr int max_attempts = 8;
    for (int attempt = 0; attempt < max_attempts; ++attempt) {
        int fd = ::open(path.c_str(), (create ? O_CREAT : 0) | O_RDWR | O_CLOEXEC, 0600);
        if (fd < 0) {
            if (!create && errno == ENOENT) return false;
            throw_os_error(errno, "open lock file", path);
        }
        while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            if (err == EWOULDBLOCK) return false;
            throw_os_error(err, "flock", path);
        }
        struct stat held {};
        struct stat named {};
        if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
            held.st_ino == named.st_ino) {
            out = FileLock();
            out.path_ = path;
            out.fd_ = fd;
            out.owns_ = true;
            return true;
        }
        ::close(fd);  // the path was removed or replaced meanwhile: try again on the current file
    }
    throw_os_error(EAGAIN, "flock (the lock file kept being replaced)", path);
}

FileLock::State FileLock::probe(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return State::Missing;
        throw_os_error(errno, "open lock file", path);
    }
    int result = 0;
    while ((result = ::flock(fd, LOCK_EX | LOCK_NB)) != 0 && errno == EINTR) {
    }
    int err = errno;
    ::close(fd);  // drops the lock if we took it
    if (result == 0) return State::Free;
    if (err == EWOULDBLOCK) return State::Held;
    throw_os_error(err, "flock", path);
}

}  // namespace zerobuffer::detail
