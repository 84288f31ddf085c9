#include "buffer_resources.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "zerobuffer/detail/errno_mapping.hpp"
#include "zerobuffer/detail/file_lock.hpp"
#include "zerobuffer/detail/named_semaphore.hpp"
#include "zerobuffer/detail/oieb_validation.hpp"
#include "zerobuffer/detail/process.hpp"
#include "zerobuffer/errors.hpp"
#include "zerobuffer/logger.hpp"
#include "zerobuffer/names.hpp"

namespace zerobuffer::detail {

ResourceNames resource_names(const std::string& buffer) {
    return ResourceNames{"/" + buffer, "/sem-w-" + buffer, "/sem-r-" + buffer};
}

void ensure_lock_directory(const std::string& directory) {
    const std::filesystem::path path(directory);
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    if (::mkdir(directory.c_str(), 0700) != 0) {
        if (errno == EEXIST) return;
        throw_os_error(errno, "creating the lock directory", directory);
    }
    // Whoever creates it makes it 1777 (sticky, like /tmp): after mkdir, so the umask takes nothing away.
    if (::chmod(directory.c_str(), 01777) != 0) throw_os_error(errno, "chmod of the lock directory", directory);
}

std::string lock_file_path(const std::string& buffer) { return lock_directory() + "/" + buffer + ".lock"; }

void remove_buffer_objects(const std::string& buffer) noexcept {
    try {
        ResourceNames names = resource_names(buffer);
        SharedMemory::unlink(names.shm);
        NamedSemaphore::unlink(names.sem_write);
        NamedSemaphore::unlink(names.sem_read);
    } catch (...) {
    }
}

namespace {

// True when the buffer's OIEB names a live reader (or, with writer_too, a live writer); an
// unreadable or missing OIEB counts as dead.
bool records_live_process(const std::string& buffer, bool writer_too) {
    SharedMemory shm;
    if (!SharedMemory::open(resource_names(buffer).shm, shm, /*read_only=*/true)) return false;
    if (!shm.mapped() || shm.size() < OIEB_SIZE) return false;
    Oieb& oieb = oieb_at(shm.data());
    return is_process_alive(load_acquire(oieb.reader_pid)) ||
           (writer_too && is_process_alive(load_acquire(oieb.writer_pid)));
}

bool has_live_peer(const std::string& buffer) { return records_live_process(buffer, /*writer_too=*/true); }

void reclaim_one(const std::filesystem::path& lock_path) {
    std::string buffer = lock_path.stem().string();
    if (!is_valid_buffer_name(buffer)) return;
    FileLock lock;
    // Held by a live reader, or already removed by its owner (never re-created here).
    if (!FileLock::try_acquire(lock_path.string(), lock, /*create=*/false)) return;
    if (has_live_peer(buffer)) return;                             // e.g. a writer still attached
    detail::log(LogLevel::Info, "reclaiming stale buffer '" + buffer + "' (lock file " + lock_path.string() + ")");
    remove_buffer_objects(buffer);
    lock.unlink_and_release();
}

}  // namespace

bool has_live_reader(const std::string& buffer) noexcept {
    try {
        return records_live_process(buffer, /*writer_too=*/false);
    } catch (...) {
        return false;
    }
}

void reclaim_stale_buffers() noexcept {
    try {
        std::error_code ec;
        std::filesystem::directory_iterator it(lock_directory(), ec);
        if (ec) return;
        for (const auto& entry : it) {
            if (entry.path().extension() != ".lock") continue;
            try {
                reclaim_one(entry.path());
            } catch (const std::exception& e) {
                detail::log(LogLevel::Warning, "stale check of '" + entry.path().string() + "' failed: " + e.what());
            }
        }
    } catch (const std::exception& e) {
        detail::log(LogLevel::Warning, std::string("stale buffer sweep failed: ") + e.what());
    }
}

void validate_oieb(const SharedMemory& shm, const std::string& buffer) {
    if (!shm.mapped() || shm.size() < OIEB_SIZE) {
        throw BufferNotFoundException("buffer '" + buffer + "' is not ready (no reader has finished creating it)");
    }
    detail::validate_oieb(oieb_at(shm.data()), shm.size(), buffer);
}

}  // namespace zerobuffer::detail
