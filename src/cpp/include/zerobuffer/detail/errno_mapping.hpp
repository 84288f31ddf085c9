// errno -> ErrorKind, in one place (src/posix/errno_mapping.cpp).
#pragma once

#include <string>

#include "zerobuffer/errors.hpp"

namespace zerobuffer::detail {

// ENOSPC/EMFILE/ENFILE/ENOMEM -> ResourceExhausted, EACCES/EPERM -> PermissionDenied,
// ENOENT -> BufferNotFound; anything else -> fallback.
ErrorKind kind_from_errno(int err, ErrorKind fallback) noexcept;

// Throws the mapped kind with "<operation> '<resource>' failed: <strerror> (errno N)".
[[noreturn]] void throw_os_error(int err, const std::string& operation, const std::string& resource,
                                 ErrorKind fallback = ErrorKind::ResourceExhausted);

}  // namespace zerobuffer::detail
