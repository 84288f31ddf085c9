// An exclusive flock on a lock file (move-only). Released when destroyed or when the process dies.
#pragma once

#include <string>

namespace zerobuffer::detail {

class FileLock {
public:
    FileLock() noexcept = default;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&& other) noexcept;
    ~FileLock();

    // Creates (0600) or opens path and takes flock(LOCK_EX|LOCK_NB). Returns false if someone
    // else holds it, or (create == false) if the file does not exist; OS failures throw the mapped
    // kind. A stale sweep passes create == false: re-creating a lock file its owner has just removed
    // would leave one behind for a moment, in a directory other processes are checking.
    static bool try_acquire(const std::string& path, FileLock& out, bool create = true);

    enum class State { Missing, Free, Held };
    // Whether path exists and someone holds its flock (diagnostics): a free lock is taken with
    // LOCK_EX|LOCK_NB and dropped at once; the file is never created.
    static State probe(const std::string& path);

    // Deletes the file while still holding the lock, then releases it.
    void unlink_and_release() noexcept;
    bool held() const noexcept { return owns_; }
    const std::string& path() const noexcept { return path_; }

private:
    void release() noexcept;

    std::string path_;
    int fd_ = -1;
    bool owns_ = false;
};

}  // namespace zerobuffer::detail
