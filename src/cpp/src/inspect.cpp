#include "zerobuffer/inspect.hpp"

#include <cstring>

#include "buffer_resources.hpp"
#include "zerobuffer/detail/process.hpp"
#include "zerobuffer/errors.hpp"
#include "zerobuffer/names.hpp"

namespace zerobuffer {

BufferSnapshot inspect_buffer(const std::string& name) {
    validate_buffer_name(name);
    detail::SharedMemory shm;
    if (!detail::SharedMemory::open(detail::resource_names(name).shm, shm, /*read_only=*/true) || !shm.mapped() ||
        shm.size() < OIEB_SIZE) {
        throw BufferNotFoundException("buffer '" + name + "' does not exist");
    }
    BufferSnapshot snapshot{};
    std::memcpy(&snapshot.oieb, shm.data(), sizeof(Oieb));
    snapshot.reader_alive = detail::is_process_alive(snapshot.oieb.reader_pid);
    snapshot.writer_alive = detail::is_process_alive(snapshot.oieb.writer_pid);
    return snapshot;
}

}  // namespace zerobuffer
