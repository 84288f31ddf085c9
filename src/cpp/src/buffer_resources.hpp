// What reader, writer and tools share about a buffer's OS objects: their names, the OIEB
// consistency check, removal, and the stale-buffer sweep of PROTOCOL.md section 5 step 2.
#pragma once

#include <cstdint>
#include <string>

#include "zerobuffer/detail/oieb_access.hpp"
#include "zerobuffer/detail/shared_memory.hpp"

namespace zerobuffer::detail {

ResourceNames resource_names(const std::string& buffer);
std::string lock_file_path(const std::string& buffer);

// Creates the lock directory (and its parents) if missing; the one that creates it sets mode 1777.
void ensure_lock_directory(const std::string& directory);

// Unlinks the shm and both semaphores of buffer (whatever exists). Never throws.
void remove_buffer_objects(const std::string& buffer) noexcept;

// True when the buffer's OIEB records a live reader. Never throws.
bool has_live_reader(const std::string& buffer) noexcept;

// Removes every buffer whose lock file nobody holds and which records no live reader or writer.
// Errors are logged, never thrown: a failed sweep must not stop a reader from starting.
void reclaim_stale_buffers() noexcept;

// Checks a mapped OIEB as a writer or inspector sees it: BufferNotFound when the reader has not
// published it yet, InvalidOieb / ProtocolVersionMismatch when it cannot be trusted.
void validate_oieb(const SharedMemory& shm, const std::string& buffer);

}  // namespace zerobuffer::detail
