#include "zerobuffer/writer.hpp"

#include <cstring>

#include "buffer_resources.hpp"
#include "zerobuffer/detail/named_semaphore.hpp"
#include "zerobuffer/detail/oieb_validation.hpp"
#include "zerobuffer/detail/process.hpp"
#include "zerobuffer/layout.hpp"
#include "zerobuffer/logger.hpp"
#include "zerobuffer/names.hpp"

namespace zerobuffer {

using namespace detail;

class Writer::Impl {
public:
    explicit Impl(const std::string& name) : name_(name) {
        validate_buffer_name(name);
        ResourceNames names = resource_names(name);
        if (!SharedMemory::open(names.shm, shm_)) {
            throw BufferNotFoundException("buffer '" + name + "' does not exist (no reader has created it)");
        }
        validate_oieb(shm_, name);
        Oieb& o = oieb();
        metadata_size_ = o.metadata_size;
        payload_size_ = o.payload_size;

        std::uint64_t reader = load_acquire(o.reader_pid);
        if (!is_process_alive(reader)) {
            throw ReaderDeadException("buffer '" + name + "' has no reader" +
                                      (reader == 0 ? std::string() : " (reader pid " + std::to_string(reader) + " is dead)"));
        }
        std::uint64_t writer = load_acquire(o.writer_pid);
        if (is_process_alive(writer)) {
            throw WriterAlreadyConnectedException("buffer '" + name + "' already has a writer (pid " +
                                                  std::to_string(writer) + ")");
        }
        if (!NamedSemaphore::open(names.sem_write, sem_write_) || !NamedSemaphore::open(names.sem_read, sem_read_)) {
            throw BufferNotFoundException("buffer '" + name + "' is missing its semaphores");
        }
        // Last, and atomically against a second writer racing through the same checks.
        if (!compare_exchange(o.writer_pid, writer, current_pid())) {
            throw WriterAlreadyConnectedException("buffer '" + name + "' got another writer while connecting");
        }
        write_pos_ = load_acquire(o.payload_write_pos);
        // Validated <= payload_size above; the end means 0 (older writers leave it). >= also covers a
        // change made between that check and this load.
        if (write_pos_ >= payload_size_) write_pos_ = 0;
        log(LogLevel::Debug, "writer connected to buffer '" + name_ + "'");
    }

    ~Impl() {
        if (!shm_.mapped()) return;
        // Only clear the pid if it is still ours (a replacement writer may have taken over).
        compare_exchange(oieb().writer_pid, current_pid(), 0);
        try {
            log(LogLevel::Debug, "writer disconnected from buffer '" + name_ + "'");
        } catch (...) {  // never throw from a destructor
        }
    }

    // See zerobuffer::abandon: descriptors closed as the kernel closes a dead process's; ~Impl then does nothing.
    void abandon() noexcept {
        shm_ = SharedMemory();
        sem_write_ = NamedSemaphore();
        sem_read_ = NamedSemaphore();
    }

    // The same order as C# and Python: the recorded state first (InvalidOieb, MetadataAlreadyWritten),
    // then the size asked for.
    void check_metadata(std::size_t size) const {
        if (check_metadata_written(load_acquire(oieb().metadata_written_bytes), metadata_size_, name_) > 0) {
            throw MetadataAlreadyWrittenException("metadata of buffer '" + name_ + "' has already been written");
        }
        if (size > metadata_size_ || metadata_size_ - size < METADATA_PREFIX_SIZE) {
            throw MetadataTooLargeException("metadata of " + std::to_string(size) + " bytes (+8 byte prefix) does not fit the " +
                                            std::to_string(metadata_size_) + "-byte metadata block of buffer '" + name_ + "'");
        }
    }

    std::uint8_t* metadata_buffer(std::size_t size) {
        check_metadata(size);
        pending_metadata_ = size;
        has_pending_metadata_ = true;
        return metadata_block() + METADATA_PREFIX_SIZE;
    }

    void commit_metadata() {
        if (!has_pending_metadata_) {
            throw MetadataTooLargeException("commit_metadata without get_metadata_buffer on buffer '" + name_ + "'");
        }
        has_pending_metadata_ = false;
        std::uint64_t length = pending_metadata_;
        std::memcpy(metadata_block(), &length, sizeof length);
        Oieb& o = oieb();
        o.metadata_free_bytes = metadata_size_ - (METADATA_PREFIX_SIZE + length);
        store_release(o.metadata_written_bytes, METADATA_PREFIX_SIZE + length);
    }

    std::uint8_t* reserve(std::size_t size, std::uint64_t& sequence);
    void commit();

    bool reader_connected() const { return is_process_alive(load_acquire(oieb().reader_pid)); }

    std::chrono::milliseconds write_timeout{DEFAULT_WRITE_TIMEOUT};
    std::uint64_t frames_written = 0;
    std::uint64_t bytes_written = 0;

private:
    Oieb& oieb() const noexcept { return oieb_at(shm_.data()); }
    std::uint8_t* metadata_block() const noexcept { return shm_.data() + OIEB_SIZE; }
    std::uint8_t* payload() const noexcept { return shm_.data() + OIEB_SIZE + metadata_size_; }

    std::string name_;
    SharedMemory shm_;
    NamedSemaphore sem_write_;
    NamedSemaphore sem_read_;
    std::uint64_t metadata_size_ = 0;
    std::uint64_t payload_size_ = 0;
    std::uint64_t write_pos_ = 0;
    std::uint64_t next_sequence_ = 1;
    std::uint64_t pending_total_ = 0;  // 16 + n of the frame between reserve and commit, 0 if none
    std::size_t pending_metadata_ = 0;
    bool has_pending_metadata_ = false;
};

std::uint8_t* Writer::Impl::reserve(std::size_t size, std::uint64_t& sequence) {
    if (pending_total_ != 0) {
        throw InvalidFrameSizeException("buffer '" + name_ + "': the previous frame buffer was not committed");
    }
    if (size == 0) throw InvalidFrameSizeException("frame size 0 is invalid (buffer '" + name_ + "')");
    if (size > payload_size_ - FRAME_HEADER_SIZE || payload_size_ < FRAME_HEADER_SIZE) {
        throw FrameTooLargeException("frame of " + std::to_string(size) + " bytes (+16 byte header) exceeds the " +
                                     std::to_string(payload_size_) + "-byte payload of buffer '" + name_ + "'");
    }
    const std::uint64_t total = FRAME_HEADER_SIZE + size;
    Oieb& o = oieb();
    const std::uint64_t space_to_end = write_pos_ >= payload_size_ ? 0 : payload_size_ - write_pos_;
    const bool wrap = space_to_end < total;
    // The wasted tail is consumed too (upstream wrap-around fix 961910f).
    const std::uint64_t required = wrap ? space_to_end + total : total;

    // payload_free_bytes is checked (PROTOCOL.md §5) every time it is used.
    auto free_bytes = [&] { return check_free_bytes(load_acquire(o.payload_free_bytes), payload_size_, name_); };
    if (free_bytes() < required) {
        const auto deadline = std::chrono::steady_clock::now() + write_timeout;
        while (free_bytes() < required) {
            if (!sem_read_.wait_until(deadline)) {
                if (free_bytes() >= required) break;
                std::uint64_t reader = load_acquire(o.reader_pid);
                if (!is_process_alive(reader)) {
                    throw ReaderDeadException("reader of buffer '" + name_ + "' is gone" +
                                              (reader == 0 ? std::string() : " (pid " + std::to_string(reader) + " is dead)"));
                }
                throw BufferFullException("buffer '" + name_ + "' is full: " + std::to_string(required) +
                                          " bytes needed, " + std::to_string(load_acquire(o.payload_free_bytes)) +
                                          " free after " + std::to_string(write_timeout.count()) + " ms");
            }
        }
    }

    if (wrap) {
        if (space_to_end >= FRAME_HEADER_SIZE) {
            const FrameHeader marker{0, 0};
            std::memcpy(payload() + write_pos_, &marker, sizeof marker);
            store_release(o.payload_written_count, o.payload_written_count + 1);
        }
        // else: implicit wrap, no room for a header in the tail
        fetch_sub(o.payload_free_bytes, space_to_end);
        write_pos_ = 0;
        store_release(o.payload_write_pos, 0);
    }
    sequence = next_sequence_;
    const FrameHeader header{size, sequence};
    std::memcpy(payload() + write_pos_, &header, sizeof header);
    pending_total_ = total;
    return payload() + write_pos_ + FRAME_HEADER_SIZE;
}

void Writer::Impl::commit() {
    if (pending_total_ == 0) {
        throw InvalidFrameSizeException("commit_frame without get_frame_buffer on buffer '" + name_ + "'");
    }
    Oieb& o = oieb();
    const std::uint64_t total = pending_total_;
    pending_total_ = 0;
    write_pos_ += total;
    if (write_pos_ >= payload_size_) write_pos_ = 0;
    store_release(o.payload_write_pos, write_pos_);
    fetch_sub(o.payload_free_bytes, total);
    store_release(o.payload_written_count, o.payload_written_count + 1);
    ++next_sequence_;
    ++frames_written;
    bytes_written += total - FRAME_HEADER_SIZE;
    sem_write_.post();
}

Writer::Writer(const std::string& name) : impl_(std::make_unique<Impl>(name)), name_(name) {}
Writer::~Writer() = default;
Writer::Writer(Writer&&) noexcept = default;
Writer& Writer::operator=(Writer&&) noexcept = default;

void Writer::set_metadata(const void* data, std::size_t size) {
    std::uint8_t* dst = impl_->metadata_buffer(size);
    if (size > 0) std::memcpy(dst, data, size);
    impl_->commit_metadata();
}

void* Writer::get_metadata_buffer(std::size_t size) { return impl_->metadata_buffer(size); }
void Writer::commit_metadata() { impl_->commit_metadata(); }

void Writer::write_frame(const void* data, std::size_t size) {
    std::uint64_t sequence = 0;
    std::uint8_t* dst = impl_->reserve(size, sequence);
    std::memcpy(dst, data, size);
    impl_->commit();
}

void* Writer::get_frame_buffer(std::size_t size, std::uint64_t& sequence_number) {
    return impl_->reserve(size, sequence_number);
}

void Writer::commit_frame() { impl_->commit(); }

void Writer::set_write_timeout(std::chrono::milliseconds timeout) { impl_->write_timeout = timeout; }
std::chrono::milliseconds Writer::get_write_timeout() const noexcept { return impl_->write_timeout; }

bool Writer::is_reader_connected() const { return impl_->reader_connected(); }

void abandon(Writer& writer) noexcept {
    if (writer.impl_) writer.impl_->abandon();
}

std::uint64_t Writer::frames_written() const noexcept { return impl_->frames_written; }
std::uint64_t Writer::bytes_written() const noexcept { return impl_->bytes_written; }

}  // namespace zerobuffer
