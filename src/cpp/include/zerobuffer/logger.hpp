// The library's only logging side channel. Without a sink, warnings and errors go to std::cerr;
// a host (e.g. zerobuffer-serve) installs its own sink to capture everything.
#pragma once

#include <string_view>

namespace zerobuffer {

enum class LogLevel { Debug, Info, Warning, Error };

using LogSink = void (*)(LogLevel level, std::string_view message);

// Installs sink (nullptr restores the std::cerr default). Thread-safe.
void set_log_sink(LogSink sink) noexcept;

const char* to_string(LogLevel level) noexcept;

namespace detail {
void log(LogLevel level, std::string_view message) noexcept;
// "<operation> of '<resource>' failed: errno N" as a warning; safe in destructors.
void log_os_failure(std::string_view operation, std::string_view resource, int err) noexcept;
}

}  // namespace zerobuffer
