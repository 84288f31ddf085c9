// A frame handed out by Reader::read_frame: a zero-copy view into the ring that gives its space
// back to the writer when released (destructor, release() or Reader::release_frame).
#pragma once

#include <cstddef>
#include <cstdint>

namespace zerobuffer {

class Frame {
public:
    // Releases 16 + size bytes back to the ring; called at most once per frame.
    using ReleaseFn = void (*)(void* owner, std::uint64_t bytes) noexcept;

    Frame() noexcept = default;
    Frame(const Frame&) = delete;
    Frame& operator=(const Frame&) = delete;
    Frame(Frame&& other) noexcept { take(other); }
    Frame& operator=(Frame&& other) noexcept {
        if (this != &other) {
            release();
            take(other);
        }
        return *this;
    }
    ~Frame() { release(); }

    const void* data() const noexcept { return data_; }
    void* data() noexcept { return const_cast<std::uint8_t*>(data_); }
    const std::uint8_t* bytes() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    std::uint64_t sequence() const noexcept { return sequence_; }
    bool valid() const noexcept { return data_ != nullptr; }
    bool is_valid() const noexcept { return valid(); }
    explicit operator bool() const noexcept { return valid(); }

    // Gives the frame's space back now; the frame stays readable until it is destroyed or moved
    // over, but the writer may overwrite it from here on. Idempotent.
    void release() const noexcept {
        if (owns_) {
            owns_ = false;
            release_fn_(owner_, FRAME_HEADER + size_);
        }
    }

private:
    friend class Reader;
    static constexpr std::uint64_t FRAME_HEADER = 16;

    Frame(const std::uint8_t* data, std::size_t size, std::uint64_t sequence, void* owner,
          ReleaseFn release_fn) noexcept
        : data_(data), size_(size), sequence_(sequence), owner_(owner), release_fn_(release_fn),
          owns_(true) {}

    void take(Frame& other) noexcept {
        data_ = other.data_;
        size_ = other.size_;
        sequence_ = other.sequence_;
        owner_ = other.owner_;
        release_fn_ = other.release_fn_;
        owns_ = other.owns_;
        other.data_ = nullptr;
        other.size_ = 0;
        other.sequence_ = 0;
        other.owns_ = false;
    }

    const std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
    std::uint64_t sequence_ = 0;
    void* owner_ = nullptr;
    ReleaseFn release_fn_ = nullptr;
    // mutable: release_frame(const Frame&) of the 1.x API must be able to release.
    mutable bool owns_ = false;
};

}  // namespace zerobuffer
