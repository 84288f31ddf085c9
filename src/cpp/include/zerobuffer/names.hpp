#pragma once

#include <string>

namespace zerobuffer {

// 1-200 characters of [A-Za-z0-9._-], not starting with '.' (PROTOCOL.md section 1).
bool is_valid_buffer_name(const std::string& name) noexcept;
// Throws InvalidBufferName quoting the name and the rule.
void validate_buffer_name(const std::string& name);

// $ZEROBUFFER_LOCK_DIR, or /tmp/zerobuffer.
std::string lock_directory();

}  // namespace zerobuffer
