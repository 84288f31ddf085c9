#include "buffer_resources.hpp"

#include <filesystem>
#include <system_error>

#include "zerobuffer/detail/file_lock.hpp"
#include "zerobuffer/detail/named_semaphore.hpp"
#include "zerobuffer/detail/process.hpp"
#include "zerobuffer/errors.hpp"
#include "zerobuffer/logger.hpp"
#include "zerobuffer/names.hpp"

namespace zerobuffer::detail {

ResourceNames resource_names(const std::string& buffer) {
    return ResourceNames{"/" + buffer, "/sem-w-" + buffer, "/sem-r-" + buffer};
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
    if (!FileLock::try_acquire(lock_path.string(), lock)) return;  // a live reader holds it
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
    Oieb& oieb = oieb_at(shm.data());
    std::uint32_t oieb_size = load_acquire(oieb.oieb_size);
    if (oieb_size == 0) {
        throw BufferNotFoundException("buffer '" + buffer + "' is not ready (its reader is still creating it)");
    }
    if (oieb_size != OIEB_SIZE) {
        throw InvalidOiebException("buffer '" + buffer + "' has oieb_size " + std::to_string(oieb_size) +
                                   ", expected 128");
    }
    if (oieb.version.major != PROTOCOL_VERSION.major) {
        throw ProtocolVersionMismatchException(
            "buffer '" + buffer + "' speaks protocol " + std::to_string(oieb.version.major) + "." +
            std::to_string(oieb.version.minor) + "." + std::to_string(oieb.version.patch) + ", this library speaks 1.0.0");
    }
    std::uint64_t meta = oieb.metadata_size;
    std::uint64_t payload = oieb.payload_size;
    bool sizes_ok = meta % BLOCK_ALIGNMENT == 0 && payload % BLOCK_ALIGNMENT == 0 && payload > 0 &&
                    meta <= shm.size() && payload <= shm.size() && total_size(meta, payload) == shm.size();
    if (!sizes_ok) {
        throw InvalidOiebException("buffer '" + buffer + "' has metadata_size " + std::to_string(meta) +
                                   " and payload_size " + std::to_string(payload) +
                                   " which do not add up to its mapping of " + std::to_string(shm.size()) + " bytes");
    }
}

}  // namespace zerobuffer::detail
