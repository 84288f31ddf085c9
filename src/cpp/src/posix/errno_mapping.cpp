#include "zerobuffer/detail/errno_mapping.hpp"

#include <cerrno>
#include <cstring>

namespace zerobuffer::detail {

ErrorKind kind_from_errno(int err) noexcept {
    switch (err) {
        case ENOENT:
            return ErrorKind::BufferNotFound;
        case EACCES:
        case EPERM:
            return ErrorKind::PermissionDenied;
        case ENOSPC:
        case EMFILE:
        case ENFILE:
        case ENOMEM:
            return ErrorKind::ResourceExhausted;
        case ENAMETOOLONG:
            return ErrorKind::InvalidBufferName;
        default:
            return ErrorKind::SystemError;
    }
}

std::string errno_name(int err) {
    const char* name = ::strerrorname_np(err);  // glibc >= 2.32
    return name != nullptr ? std::string(name) : "errno " + std::to_string(err);
}

void throw_os_error(int err, const std::string& operation, const std::string& resource) {
    throw_error(kind_from_errno(err), operation + " '" + resource + "': " + std::strerror(err) + " (" + errno_name(err) + ")",
                err);
}

}  // namespace zerobuffer::detail
