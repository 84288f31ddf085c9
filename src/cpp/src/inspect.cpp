#include "zerobuffer/inspect.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <dirent.h>
#include <sys/stat.h>
#include <stdexcept>
#include <utility>

#include "buffer_resources.hpp"
#include "zerobuffer/detail/file_lock.hpp"
#include "zerobuffer/detail/named_semaphore.hpp"
#include "zerobuffer/detail/process.hpp"
#include "zerobuffer/errors.hpp"
#include "zerobuffer/names.hpp"

namespace zerobuffer {

namespace {

detail::SharedMemory open_buffer(const std::string& name, bool read_only) {
    validate_buffer_name(name);
    detail::SharedMemory shm;
    if (!detail::SharedMemory::open(detail::resource_names(name).shm, shm, read_only) || !shm.mapped() ||
        shm.size() < OIEB_SIZE) {
        throw BufferNotFoundException("buffer '" + name + "' does not exist");
    }
    return shm;
}

// [start, end) of a region; a corrupted OIEB is clamped so no edit leaves the mapping.
std::pair<std::size_t, std::size_t> region_bounds(const detail::SharedMemory& shm, BufferRegion region) {
    const Oieb& o = *reinterpret_cast<const Oieb*>(shm.data());
    const std::size_t payload_start = OIEB_SIZE + static_cast<std::size_t>(std::min<std::uint64_t>(o.metadata_size, shm.size() - OIEB_SIZE));
    if (region == BufferRegion::Metadata) return {OIEB_SIZE, payload_start};
    const std::uint64_t room = shm.size() - payload_start;
    return {payload_start, payload_start + static_cast<std::size_t>(std::min<std::uint64_t>(o.payload_size, room))};
}

struct FieldSpec {
    const char* name;
    std::size_t offset;
    std::size_t width;
};

constexpr FieldSpec FIELDS[] = {
    {"oieb_size", offsetof(Oieb, oieb_size), 4},
    {"version_major", offsetof(Oieb, version), 1},
    {"version_minor", offsetof(Oieb, version) + 1, 1},
    {"version_patch", offsetof(Oieb, version) + 2, 1},
    {"metadata_size", offsetof(Oieb, metadata_size), 8},
    {"metadata_free_bytes", offsetof(Oieb, metadata_free_bytes), 8},
    {"metadata_written_bytes", offsetof(Oieb, metadata_written_bytes), 8},
    {"payload_size", offsetof(Oieb, payload_size), 8},
    {"payload_free_bytes", offsetof(Oieb, payload_free_bytes), 8},
    {"payload_write_pos", offsetof(Oieb, payload_write_pos), 8},
    {"payload_read_pos", offsetof(Oieb, payload_read_pos), 8},
    {"payload_written_count", offsetof(Oieb, payload_written_count), 8},
    {"payload_read_count", offsetof(Oieb, payload_read_count), 8},
    {"writer_pid", offsetof(Oieb, writer_pid), 8},
    {"reader_pid", offsetof(Oieb, reader_pid), 8},
};

detail::NamedSemaphore open_semaphore(const std::string& name, bool written) {
    validate_buffer_name(name);
    const detail::ResourceNames names = detail::resource_names(name);
    detail::NamedSemaphore semaphore;
    if (!detail::NamedSemaphore::open(written ? names.sem_write : names.sem_read, semaphore)) {
        throw BufferNotFoundException("buffer '" + name + "' has no " + (written ? "sem-w" : "sem-r") + " semaphore");
    }
    return semaphore;
}

}  // namespace

BufferSnapshot inspect_buffer(const std::string& name) {
    detail::SharedMemory shm = open_buffer(name, /*read_only=*/true);
    BufferSnapshot snapshot{};
    std::memcpy(&snapshot.oieb, shm.data(), sizeof(Oieb));
    snapshot.reader_alive = detail::is_process_alive(snapshot.oieb.reader_pid);
    snapshot.writer_alive = detail::is_process_alive(snapshot.oieb.writer_pid);
    return snapshot;
}

std::uint64_t continuous_free_bytes(const Oieb& oieb) noexcept {
    const std::uint64_t size = oieb.payload_size;
    const std::uint64_t free_bytes = oieb.payload_free_bytes;
    const std::uint64_t tail = oieb.payload_write_pos >= size ? 0 : size - oieb.payload_write_pos;
    const std::uint64_t in_tail = std::min(tail, free_bytes);
    const std::uint64_t at_start = free_bytes > tail ? free_bytes - tail : 0;
    return std::max(in_tail, at_start);
}

RingEntry ring_entry_at(const std::string& name, std::uint64_t offset) {
    detail::SharedMemory shm = open_buffer(name, /*read_only=*/true);
    const std::uint64_t size = reinterpret_cast<const Oieb*>(shm.data())->payload_size;
    auto [start, end] = region_bounds(shm, BufferRegion::Payload);
    if (end - start != size || offset >= size) {
        throw std::out_of_range("offset " + std::to_string(offset) + " is not inside the " + std::to_string(size) +
                                "-byte ring of buffer '" + name + "' (mapping " + std::to_string(shm.size()) + " bytes)");
    }
    const std::uint64_t to_end = size - offset;
    if (to_end < FRAME_HEADER_SIZE) return {offset, RingEntry::Kind::ImplicitWrap, 0, 0, to_end};
    FrameHeader header{};
    std::memcpy(&header, shm.data() + start + offset, sizeof header);  // frames have no padding: any offset
    if (header.payload_size == 0 && header.sequence_number == 0) return {offset, RingEntry::Kind::WrapMarker, 0, 0, to_end};
    return {offset, RingEntry::Kind::Frame, header.payload_size, header.sequence_number, 0};
}

std::vector<std::uint8_t> oieb_image(const std::string& name) {
    detail::SharedMemory shm = open_buffer(name, /*read_only=*/true);
    return std::vector<std::uint8_t>(shm.data(), shm.data() + OIEB_SIZE);
}

std::vector<std::uint8_t> region_image(const std::string& name, BufferRegion region) {
    detail::SharedMemory shm = open_buffer(name, /*read_only=*/true);
    auto [start, end] = region_bounds(shm, region);
    return std::vector<std::uint8_t>(shm.data() + start, shm.data() + end);
}

void write_oieb_field(const std::string& name, const std::string& field, std::uint64_t value) {
    const auto* spec = std::find_if(std::begin(FIELDS), std::end(FIELDS), [&](const FieldSpec& f) { return field == f.name; });
    if (spec == std::end(FIELDS)) throw std::invalid_argument("unknown OIEB field '" + field + "'");
    detail::SharedMemory shm = open_buffer(name, /*read_only=*/false);
    std::memcpy(shm.data() + spec->offset, &value, spec->width);  // little-endian: the low bytes
}

void write_region_bytes(const std::string& name, BufferRegion region, std::size_t offset,
                        const std::vector<std::uint8_t>& bytes) {
    detail::SharedMemory shm = open_buffer(name, /*read_only=*/false);
    auto [start, end] = region_bounds(shm, region);
    if (offset > end - start || bytes.size() > end - start - offset) {
        throw std::out_of_range(std::to_string(bytes.size()) + " bytes at offset " + std::to_string(offset) +
                                " do not fit the " + std::to_string(end - start) + "-byte region of buffer '" + name + "'");
    }
    if (!bytes.empty()) std::memcpy(shm.data() + start + offset, bytes.data(), bytes.size());
}

namespace {

// Where a frame header at ring offset sits in the mapping; std::out_of_range when it does not fit.
std::size_t frame_header_at(const detail::SharedMemory& shm, const std::string& name, std::size_t offset) {
    auto [start, end] = region_bounds(shm, BufferRegion::Payload);
    if (end - start < FRAME_HEADER_SIZE || offset > end - start - FRAME_HEADER_SIZE) {
        throw std::out_of_range("a 16-byte frame header at payload offset " + std::to_string(offset) +
                                " does not fit the " + std::to_string(end - start) + "-byte payload ring of buffer '" +
                                name + "'");
    }
    return start + offset;
}

}  // namespace

FrameHeader frame_header(const std::string& name, std::size_t offset) {
    detail::SharedMemory shm = open_buffer(name, /*read_only=*/true);
    FrameHeader header{};
    std::memcpy(&header, shm.data() + frame_header_at(shm, name, offset), sizeof header);
    return header;
}

void write_frame_sequence(const std::string& name, std::size_t offset, std::uint64_t sequence) {
    detail::SharedMemory shm = open_buffer(name, /*read_only=*/false);
    std::memcpy(shm.data() + frame_header_at(shm, name, offset) + offsetof(FrameHeader, sequence_number), &sequence,
                sizeof sequence);
}

void write_frame_payload_size(const std::string& name, std::size_t offset, std::uint64_t payload_size) {
    detail::SharedMemory shm = open_buffer(name, /*read_only=*/false);
    std::memcpy(shm.data() + frame_header_at(shm, name, offset) + offsetof(FrameHeader, payload_size), &payload_size,
                sizeof payload_size);
}

void post_semaphore(const std::string& name, bool written, unsigned count) {
    detail::NamedSemaphore semaphore = open_semaphore(name, written);
    for (unsigned i = 0; i < count; ++i) semaphore.post();
}

int semaphore_value(const std::string& name, bool written) { return open_semaphore(name, written).value(); }

BufferObjects buffer_objects(const std::string& name) {
    validate_buffer_name(name);
    const detail::ResourceNames names = detail::resource_names(name);
    BufferObjects objects{};
    switch (detail::FileLock::probe(detail::lock_file_path(name))) {
        case detail::FileLock::State::Missing: objects.lock_file = LockFileState::Missing; break;
        case detail::FileLock::State::Free: objects.lock_file = LockFileState::Free; break;
        case detail::FileLock::State::Held: objects.lock_file = LockFileState::Held; break;
    }
    objects.shared_memory = detail::SharedMemory::exists(names.shm);
    detail::NamedSemaphore semaphore;
    objects.sem_write = detail::NamedSemaphore::open(names.sem_write, semaphore);
    objects.sem_read = detail::NamedSemaphore::open(names.sem_read, semaphore);
    return objects;
}

namespace {

// Where Linux keeps POSIX shared memory and named semaphores (a semaphore "/x" is /dev/shm/sem.x).
const std::string SHM_DIR = "/dev/shm";

ObjectFile describe(std::string kind, std::string path) {
    struct stat st {};
    bool exists = ::stat(path.c_str(), &st) == 0;
    return ObjectFile{std::move(kind), std::move(path), exists, exists ? static_cast<unsigned>(st.st_mode & 0777) : 0u};
}

}  // namespace

std::vector<ObjectFile> object_files(const std::string& name) {
    validate_buffer_name(name);
    return {describe("shared memory", SHM_DIR + "/" + name), describe("sem-w", SHM_DIR + "/sem.sem-w-" + name),
            describe("sem-r", SHM_DIR + "/sem.sem-r-" + name),
            describe("lock file", lock_directory() + "/" + name + ".lock")};
}

std::vector<std::string> objects_named_after(const std::string& fragment) {
    std::vector<std::string> found;
    for (const std::string& directory : {SHM_DIR, lock_directory()}) {
        DIR* dir = ::opendir(directory.c_str());
        if (dir == nullptr) continue;  // no lock directory yet: nothing in it
        while (const dirent* entry = ::readdir(dir)) {
            std::string file = entry->d_name;
            if (file.find(fragment) != std::string::npos) found.push_back(directory + "/" + file);
        }
        ::closedir(dir);
    }
    return found;
}

RegionLayout buffer_layout(const std::string& name) {
    detail::SharedMemory shm = open_buffer(name, /*read_only=*/true);
    const Oieb& o = *reinterpret_cast<const Oieb*>(shm.data());
    return RegionLayout{reinterpret_cast<std::uintptr_t>(shm.data()), shm.size(), OIEB_SIZE, o.metadata_size,
                        OIEB_SIZE + o.metadata_size, o.payload_size};
}

}  // namespace zerobuffer
