// errno -> ErrorKind, in one place (src/posix/errno_mapping.cpp): the table of PROTOCOL.md §6,
// pinned by testdata/errno/errno-kinds.json.
#pragma once

#include <string>

#include "zerobuffer/errors.hpp"

namespace zerobuffer::detail {

// ENOENT -> BufferNotFound, EACCES/EPERM -> PermissionDenied, ENOSPC/EMFILE/ENFILE/ENOMEM ->
// ResourceExhausted, ENAMETOOLONG -> InvalidBufferName; anything else -> SystemError.
ErrorKind kind_from_errno(int err) noexcept;

// "EACCES" for 13; "errno N" for a number without a name.
std::string errno_name(int err);

// Throws the mapped kind with "<operation> '<resource>': <strerror> (<errno name>)".
[[noreturn]] void throw_os_error(int err, const std::string& operation, const std::string& resource);

}  // namespace zerobuffer::detail
