#include "zerobuffer/reader.hpp"

#include <cstring>
#include <filesystem>
#include <system_error>
#include <thread>

#include "buffer_resources.hpp"
#include "zerobuffer/detail/errno_mapping.hpp"
#include "zerobuffer/detail/file_lock.hpp"
#include "zerobuffer/detail/named_semaphore.hpp"
#include "zerobuffer/detail/oieb_validation.hpp"
#include "zerobuffer/detail/process.hpp"
#include "zerobuffer/layout.hpp"
#include "zerobuffer/logger.hpp"
#include "zerobuffer/names.hpp"

namespace zerobuffer {

using namespace detail;

class Reader::Impl {
public:
    Impl(const std::string& name, const BufferConfig& config) : name_(name), names_(resource_names(name)) {
        validate_buffer_name(name);
        validate_config(config);
        metadata_size_ = align64(config.metadata_size);
        payload_size_ = align64(config.payload_size);

        reclaim_stale_buffers();
        ensure_lock_directory(lock_directory());
        acquire_lock();
        try {
            create_objects();
        } catch (...) {
            lock_.unlink_and_release();
            throw;
        }
        log(LogLevel::Debug, "reader created buffer '" + name_ + "' (metadata " + std::to_string(metadata_size_) +
                                 ", payload " + std::to_string(payload_size_) + " bytes)");
    }

    ~Impl() { close(); }

    // See zerobuffer::abandon: descriptors closed as the kernel closes a dead process's; close() then does nothing.
    void abandon() noexcept {
        shm_ = SharedMemory();
        sem_write_ = NamedSemaphore();
        sem_read_ = NamedSemaphore();
        lock_ = FileLock();
    }

    // Step 3. Another process's stale sweep holds a lock file for a moment while it checks the buffer,
    // so a held lock without a live reader recorded is retried briefly (as the C# and Python readers do);
    // a live reader is refused at once.
    void acquire_lock() {
        const std::string path = lock_file_path(name_);
        const auto deadline = std::chrono::steady_clock::now() + LOCK_RETRY;
        for (int attempt = 1; !FileLock::try_acquire(path, lock_); ++attempt) {
            if (has_live_reader(name_) || std::chrono::steady_clock::now() >= deadline) {
                throw ReaderAlreadyConnectedException("buffer '" + name_ + "' already has a reader (its lock file " +
                                                      path + " is held)");
            }
            if (attempt == 1) {
                log(LogLevel::Debug, "lock file " + path + " of buffer '" + name_ +
                                         "' is held without a live reader; retrying for up to " +
                                         std::to_string(LOCK_RETRY.count()) + " ms");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }

    static constexpr std::chrono::milliseconds LOCK_RETRY{250};

    Frame read_frame(std::chrono::milliseconds timeout, void* owner);
    void expect_sequence_restart() noexcept { restart_expected_ = true; }
    static void release_frame(void* owner, std::uint64_t bytes) noexcept;

    const std::uint8_t* metadata(std::size_t& size) const {
        std::uint64_t written = load_acquire(oieb().metadata_written_bytes);
        if (written == 0) {
            size = 0;
            return nullptr;
        }
        check_metadata_written(written, metadata_size_, name_);
        std::uint64_t length = 0;
        std::memcpy(&length, metadata_block(), sizeof length);
        if (length != written - METADATA_PREFIX_SIZE) {
            throw InvalidOiebException("buffer '" + name_ + "' has corrupt metadata: length prefix " +
                                       std::to_string(length) + ", metadata_written_bytes " + std::to_string(written) +
                                       ", metadata_size " + std::to_string(metadata_size_));
        }
        size = static_cast<std::size_t>(length);
        return metadata_block() + METADATA_PREFIX_SIZE;
    }

    bool writer_connected() const {
        std::uint64_t pid = load_acquire(oieb().writer_pid);
        if (pid != 0) writer_seen_ = true;
        return is_process_alive(pid);
    }

    std::uint64_t frames_read = 0;
    std::uint64_t bytes_read = 0;

private:
    static void validate_config(const BufferConfig& config) {
        constexpr std::uint64_t max_block = std::uint64_t{1} << 40;  // keeps every sum far from overflow
        if (config.payload_size == 0 || config.payload_size > max_block || config.metadata_size > max_block) {
            throw InvalidConfigException("invalid buffer config: payload_size " + std::to_string(config.payload_size) +
                                         " must be 1.." + std::to_string(max_block) + ", metadata_size " +
                                         std::to_string(config.metadata_size) + " must be 0.." +
                                         std::to_string(max_block));
        }
    }

    void create_objects() {
        std::size_t size = static_cast<std::size_t>(total_size(metadata_size_, payload_size_));
        for (int attempt = 0;; ++attempt) {
            if (SharedMemory::create(names_.shm, size, shm_) == SharedMemory::CreateResult::Created) break;
            // Someone's shm is in the way. We hold the lock, so a live reader here means another
            // implementation ignored it: never take over a live buffer.
            SharedMemory existing;
            if (SharedMemory::open(names_.shm, existing, true) && existing.mapped() && existing.size() >= OIEB_SIZE &&
                is_process_alive(load_acquire(oieb_at(existing.data()).reader_pid))) {
                throw ReaderAlreadyConnectedException("buffer '" + name_ + "' has a live reader (pid " +
                                                      std::to_string(oieb_at(existing.data()).reader_pid) + ")");
            }
            if (attempt > 0) {
                throw ReaderAlreadyConnectedException("buffer '" + name_ +
                                                      "' was re-created by another process while reclaiming it");
            }
            log(LogLevel::Info, "removing stale shared memory and semaphores of buffer '" + name_ + "'");
            remove_buffer_objects(name_);
        }
        try {
            create_semaphore(names_.sem_write, sem_write_);
            create_semaphore(names_.sem_read, sem_read_);
            Oieb& o = oieb();
            std::memset(shm_.data(), 0, OIEB_SIZE);
            o.version = PROTOCOL_VERSION;
            o.metadata_size = metadata_size_;
            o.metadata_free_bytes = metadata_size_;
            o.metadata_written_bytes = 0;
            o.payload_size = payload_size_;
            o.payload_free_bytes = payload_size_;
            o.reader_pid = current_pid();
            // Published last: a writer that sees 128 sees everything above.
            store_release(o.oieb_size, OIEB_SIZE);
        } catch (...) {
            sem_write_ = NamedSemaphore();
            sem_read_ = NamedSemaphore();
            shm_ = SharedMemory();
            remove_buffer_objects(name_);
            throw;
        }
    }

    static void create_semaphore(const std::string& sem_name, NamedSemaphore& out) {
        if (NamedSemaphore::create(sem_name, out)) return;
        // A leftover of a dead buffer (we own the lock and just created the shm): replace it.
        NamedSemaphore::unlink(sem_name);
        if (!NamedSemaphore::create(sem_name, out)) {
            throw ResourceExhaustedException("semaphore '" + sem_name + "' exists and cannot be replaced");
        }
    }

    void close() noexcept {
        if (!shm_.mapped()) return;
        store_release(oieb().reader_pid, 0);
        shm_ = SharedMemory();
        sem_write_ = NamedSemaphore();
        sem_read_ = NamedSemaphore();
        SharedMemory::unlink(names_.shm);
        NamedSemaphore::unlink(names_.sem_write);
        NamedSemaphore::unlink(names_.sem_read);
        lock_.unlink_and_release();
        try {
            log(LogLevel::Debug, "reader closed buffer '" + name_ + "'");
        } catch (...) {  // a destructor path: never throw
        }
    }

    Oieb& oieb() const noexcept { return oieb_at(shm_.data()); }
    std::uint8_t* metadata_block() const noexcept { return shm_.data() + OIEB_SIZE; }
    std::uint8_t* payload() const noexcept { return shm_.data() + OIEB_SIZE + metadata_size_; }

    [[noreturn]] void corrupt(const std::string& what) const {
        throw InvalidFrameSizeException("buffer '" + name_ + "' is corrupt: " + what);
    }

    std::string name_;
    ResourceNames names_;
    std::uint64_t metadata_size_ = 0;
    std::uint64_t payload_size_ = 0;
    FileLock lock_;
    SharedMemory shm_;
    NamedSemaphore sem_write_;
    NamedSemaphore sem_read_;
    std::uint64_t expected_sequence_ = 1;
    std::uint64_t read_pos_ = 0;
    std::uint64_t sequence_writer_pid_ = 0;  // writer_pid seen with the last frame of sequence 1
    bool restart_expected_ = false;           // a duplex server awaits its next client's sequence 1
    mutable bool writer_seen_ = false;
};

Frame Reader::Impl::read_frame(std::chrono::milliseconds timeout, void* owner) {
    Oieb& o = oieb();
    if (!sem_write_.wait_until(std::chrono::steady_clock::now() + timeout)) {
        std::uint64_t writer = load_acquire(o.writer_pid);
        if (writer != 0) {
            writer_seen_ = true;
            if (!is_process_alive(writer)) {
                throw WriterDeadException("writer of buffer '" + name_ + "' (pid " + std::to_string(writer) + ") is dead");
            }
        } else if (writer_seen_ || load_acquire(o.payload_written_count) > 0) {
            if (load_acquire(o.payload_written_count) <= load_acquire(o.payload_read_count)) {
                throw WriterDeadException("writer of buffer '" + name_ + "' disconnected and no frames are left");
            }
        }
        return Frame();
    }
    std::uint64_t writer = load_acquire(o.writer_pid);
    if (writer != 0) writer_seen_ = true;
    (void)load_acquire(o.payload_write_pos);  // acquire: the frame bytes are visible from here on

    // The reader's own position, never the shared copy: a corrupted OIEB cannot steer it.
    std::uint64_t pos = read_pos_;
    FrameHeader header{};
    bool wrapped = false;
    bool marker = false;
    if (payload_size_ - pos < FRAME_HEADER_SIZE) {
        wrapped = true;  // implicit wrap: no room for a header in the tail
    } else {
        std::memcpy(&header, payload() + pos, sizeof header);
        // A writer never puts a marker at offset 0 (a frame always fits there): a zero header there is
        // validated as a frame below, as C# and Python do, and never wraps again.
        if (header.payload_size == 0 && pos != 0) {
            wrapped = true;
            marker = true;
        }
    }
    if (wrapped) {
        if (marker) store_release(o.payload_read_count, o.payload_read_count + 1);  // a marker counts too
        fetch_add(o.payload_free_bytes, payload_size_ - pos);
        pos = 0;
        read_pos_ = 0;
        store_release(o.payload_read_pos, 0);
        std::memcpy(&header, payload(), sizeof header);
    }

    if (header.sequence_number != expected_sequence_) {
        // Every writer connection starts again at 1, so a 1 in place of the expected value is a restart
        // unless the writer that sent the previous 1 is still the one connected (as in C# and Python).
        const std::uint64_t writer_now = load_acquire(o.writer_pid);
        if (header.sequence_number != 1 ||
            (!restart_expected_ && writer_now != 0 && writer_now == sequence_writer_pid_)) {
            throw SequenceErrorException(expected_sequence_, header.sequence_number, name_);
        }
        log(LogLevel::Info, "buffer '" + name_ + "': sequence restarted at 1 after " +
                                std::to_string(expected_sequence_ - 1) + " (a new writer connection)");
        expected_sequence_ = 1;
    }
    if (header.payload_size == 0 || header.payload_size > payload_size_ - pos - FRAME_HEADER_SIZE) {
        corrupt("frame at offset " + std::to_string(pos) + " claims payload_size " + std::to_string(header.payload_size) +
                ", but only " + std::to_string(payload_size_ - pos - FRAME_HEADER_SIZE) +
                " bytes fit before the end of the " + std::to_string(payload_size_) + "-byte ring");
    }
    if (header.sequence_number == 1) {
        sequence_writer_pid_ = load_acquire(o.writer_pid);
        restart_expected_ = false;
    }
    std::uint64_t total = FRAME_HEADER_SIZE + header.payload_size;
    std::uint64_t next = pos + total;
    read_pos_ = next == payload_size_ ? 0 : next;
    store_release(o.payload_read_pos, read_pos_);
    store_release(o.payload_read_count, o.payload_read_count + 1);
    ++expected_sequence_;
    ++frames_read;
    bytes_read += header.payload_size;
    return Frame(payload() + pos + FRAME_HEADER_SIZE, static_cast<std::size_t>(header.payload_size), header.sequence_number,
                 owner, &Reader::Impl::release_frame);
}

void Reader::Impl::release_frame(void* owner, std::uint64_t bytes) noexcept {
    auto* self = static_cast<Reader::Impl*>(owner);
    fetch_add(self->oieb().payload_free_bytes, bytes);
    try {
        self->sem_read_.post();
    } catch (const std::exception& e) {
        log_os_failure("sem_post (frame release)", e.what(), 0);
    }
}

Reader::Reader(const std::string& name, const BufferConfig& config)
    : impl_(std::make_unique<Impl>(name, config)), name_(name) {}
Reader::~Reader() = default;
Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;

std::vector<std::uint8_t> Reader::get_metadata() const {
    std::size_t size = 0;
    const std::uint8_t* p = impl_->metadata(size);
    return p == nullptr ? std::vector<std::uint8_t>() : std::vector<std::uint8_t>(p, p + size);
}

const void* Reader::get_metadata_raw() const {
    std::size_t size = 0;
    return impl_->metadata(size);
}

std::size_t Reader::get_metadata_size() const {
    std::size_t size = 0;
    impl_->metadata(size);
    return size;
}

Frame Reader::read_frame(std::chrono::milliseconds timeout) { return impl_->read_frame(timeout, impl_.get()); }

bool Reader::is_writer_connected() const { return impl_->writer_connected(); }

bool Reader::is_writer_connected(int timeout_ms) const {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
        if (impl_->writer_connected()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void abandon(Reader& reader) noexcept {
    if (reader.impl_) reader.impl_->abandon();
}

std::uint64_t Reader::frames_read() const noexcept { return impl_->frames_read; }

void Reader::expect_sequence_restart() noexcept { impl_->expect_sequence_restart(); }
std::uint64_t Reader::bytes_read() const noexcept { return impl_->bytes_read; }

}  // namespace zerobuffer
