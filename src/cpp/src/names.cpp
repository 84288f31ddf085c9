#include "zerobuffer/names.hpp"

#include <cstdlib>

#include "zerobuffer/errors.hpp"

namespace zerobuffer {

bool is_valid_buffer_name(const std::string& name) noexcept {
    if (name.empty() || name.size() > 200 || name.front() == '.') return false;
    for (char c : name) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

void validate_buffer_name(const std::string& name) {
    if (!is_valid_buffer_name(name)) {
        throw InvalidBufferNameException("invalid buffer name '" + name +
                                         "': use 1-200 characters of [A-Za-z0-9._-], not starting with '.'");
    }
}

std::string lock_directory() {
    const char* dir = std::getenv("ZEROBUFFER_LOCK_DIR");
    return (dir != nullptr && *dir != '\0') ? std::string(dir) : std::string("/tmp/zerobuffer");
}

}  // namespace zerobuffer
