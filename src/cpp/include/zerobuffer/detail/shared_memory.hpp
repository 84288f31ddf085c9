// A named POSIX shared-memory object mapped into this process (move-only; unmaps on destruction).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace zerobuffer::detail {

class SharedMemory {
public:
    enum class CreateResult { Created, AlreadyExists };

    SharedMemory() noexcept = default;
    SharedMemory(const SharedMemory&) = delete;
    SharedMemory& operator=(const SharedMemory&) = delete;
    SharedMemory(SharedMemory&& other) noexcept;
    SharedMemory& operator=(SharedMemory&& other) noexcept;
    ~SharedMemory();

    // O_CREAT|O_EXCL, mode 0600, sized to size (zero-filled). Returns AlreadyExists without
    // throwing when the name is taken; other failures throw the mapped kind.
    static CreateResult create(const std::string& name, std::size_t size, SharedMemory& out);
    // Opens and maps an existing object read-write (or read-only). Returns false if it is missing.
    static bool open(const std::string& name, SharedMemory& out, bool read_only = false);
    // shm_unlink; true if it removed something. Never throws.
    static bool unlink(const std::string& name) noexcept;
    static bool exists(const std::string& name) noexcept;

    std::uint8_t* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    bool mapped() const noexcept { return owns_; }
    const std::string& name() const noexcept { return name_; }

private:
    void release() noexcept;

    std::string name_;
    std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
    bool owns_ = false;
};

}  // namespace zerobuffer::detail
