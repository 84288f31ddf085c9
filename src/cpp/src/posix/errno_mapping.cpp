#include "zerobuffer/detail/errno_mapping.hpp"

#include <cerrno>
#include <cstring>

namespace zerobuffer::detail {

ErrorKind kind_from_errno(int err, ErrorKind fallback) noexcept {
    switch (err) {
        case ENOSPC:
        case EMFILE:
        case ENFILE:
        case ENOMEM:
            return ErrorKind::ResourceExhausted;
        case EACCES:
        case EPERM:
            return ErrorKind::PermissionDenied;
        case ENOENT:
            return ErrorKind::BufferNotFound;
        default:
            return fallback;
    }
}

void throw_os_error(int err, const std::string& operation, const std::string& resource, ErrorKind fallback) {
    throw_error(kind_from_errno(err, fallback),
                operation + " '" + resource + "' failed: " + std::strerror(err) + " (errno " +
                    std::to_string(err) + ")",
                err);
}

}  // namespace zerobuffer::detail
