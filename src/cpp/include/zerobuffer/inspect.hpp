// Looking into a buffer's OIEB, for tools and tests, and editing a live buffer from outside its
// reader and writer, for tests and the fuzzer (tests/fuzz). The edits bypass every protocol rule.
// Test and diagnostics only: nothing here is part of the read/write protocol.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "zerobuffer/layout.hpp"
#include "zerobuffer/reader.hpp"
#include "zerobuffer/writer.hpp"

namespace zerobuffer {

struct BufferSnapshot {
    Oieb oieb;
    bool reader_alive;
    bool writer_alive;
};

// Throws InvalidBufferName, BufferNotFound (missing or not yet published), PermissionDenied.
BufferSnapshot inspect_buffer(const std::string& name);

// The largest frame, header included, the writer could place now without waiting: what PROTOCOL.md
// section 4 steps 3-4 allow. A frame fits in the tail (total <= payload_size - write_pos and <= free)
// or, wrapping, at the start (the tail is consumed too: tail + total <= free). So: 0 when the ring is
// full; read_pos - write_pos when write_pos < read_pos; otherwise the tail or the start up to read_pos,
// whichever is larger, and only the tail when read_pos is 0. read_pos needs no term of its own: the
// free-byte accounting already keeps a wrapping frame short of it. A write_pos at payload_size (older
// writers leave it) has no tail.
std::uint64_t continuous_free_bytes(const Oieb& oieb) noexcept;

// What the payload ring holds at an offset (PROTOCOL.md section 4). For a wrap, wasted_bytes are the
// bytes from offset to the end of the ring that no frame uses; 0 for a frame.
struct RingEntry {
    enum class Kind { Frame, WrapMarker, ImplicitWrap };
    std::uint64_t offset;
    Kind kind;
    std::uint64_t payload_size;
    std::uint64_t sequence;
    std::uint64_t wasted_bytes;
    bool operator==(const RingEntry&) const = default;
};

// What the ring holds at offset (0-based in the ring): an implicit wrap when fewer than 16 bytes are
// left to its end, else the header there (as stored, not validated), a wrap marker when it is all
// zeros. Zeros no writer ever wrote read as a marker too: combine with payload_written_count.
// Throws InvalidBufferName, BufferNotFound; std::out_of_range when offset is not inside the ring.
RingEntry ring_entry_at(const std::string& name, std::uint64_t offset);

enum class BufferRegion { Metadata, Payload };

// Copies of the 128 OIEB bytes and of a region (located through the OIEB's sizes, clamped to the mapping).
std::vector<std::uint8_t> oieb_image(const std::string& name);
std::vector<std::uint8_t> region_image(const std::string& name, BufferRegion region);

// Stores value into the OIEB field named as in PROTOCOL.md section 2 (version_major/_minor/_patch
// for the version bytes), truncated to the field's width. std::invalid_argument for an unknown name.
void write_oieb_field(const std::string& name, const std::string& field, std::uint64_t value);

// Overwrites bytes at offset of a region; std::out_of_range if they do not fit it.
void write_region_bytes(const std::string& name, BufferRegion region, std::size_t offset,
                        const std::vector<std::uint8_t>& bytes);

// The frame header at offset of the payload ring (payload_size 0: a wrap marker), and edits of its
// sequence or its payload size alone (as a corruption would; any value goes). std::out_of_range if
// 16 bytes at offset do not fit the ring.
FrameHeader frame_header(const std::string& name, std::size_t offset);
void write_frame_sequence(const std::string& name, std::size_t offset, std::uint64_t sequence);
void write_frame_payload_size(const std::string& name, std::size_t offset, std::uint64_t payload_size);

// Posts sem-w (written = true) or sem-r count times.
void post_semaphore(const std::string& name, bool written, unsigned count = 1);

// The count of sem-w (written = true: frames signalled) or sem-r (space signalled), by sem_getvalue.
// Throws InvalidBufferName, BufferNotFound when the semaphore does not exist.
int semaphore_value(const std::string& name, bool written);

enum class LockFileState { Missing, Free, Held };

// Which of a buffer's OS objects exist, and whether anyone holds its lock file. Never creates any.
struct BufferObjects {
    LockFileState lock_file;
    bool shared_memory;
    bool sem_write;
    bool sem_read;
};
BufferObjects buffer_objects(const std::string& name);

// One of a buffer's OS objects as a Linux file; mode is its permission bits (0 when it does not exist).
struct ObjectFile {
    std::string kind;  // "shared memory", "sem-w", "sem-r", "lock file"
    std::string path;
    bool exists;
    unsigned mode;
};
// The shm, sem-w, sem-r and lock file of name, in that order, at the paths PROTOCOL.md section 1
// gives them on Linux (spelled out here rather than taken from the library's naming code, so a test
// sees whether the library follows them). Throws InvalidBufferName.
std::vector<ObjectFile> object_files(const std::string& name);

// Every entry of /dev/shm and the lock directory whose file name contains fragment. The fragment is
// not validated: this is how a test shows that an invalid name reached no OS call.
std::vector<std::string> objects_named_after(const std::string& fragment);

// Where the blocks lie in a read-only mapping of the buffer (PROTOCOL.md section 2): the address the
// mapping got (the OIEB starts there), its size, and the offsets and sizes of the metadata block
// (at 128) and the payload ring (right after it), the sizes as the OIEB records them.
struct RegionLayout {
    std::uintptr_t mapping_address;
    std::size_t mapping_size;
    std::uint64_t metadata_offset;
    std::uint64_t metadata_size;
    std::uint64_t payload_offset;
    std::uint64_t payload_size;
};
// Throws InvalidBufferName, BufferNotFound.
RegionLayout buffer_layout(const std::string& name);

// Leaves a reader or writer as a killed process leaves it: its mapping, semaphores and lock file
// descriptors are closed (so the reader's flock is released), but nothing is unlinked and no OIEB
// field is reset. Afterwards the object may only be destroyed, which then does nothing more.
void abandon(Reader& reader) noexcept;
void abandon(Writer& writer) noexcept;

}  // namespace zerobuffer
