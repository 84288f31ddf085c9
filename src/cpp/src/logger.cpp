#include "zerobuffer/logger.hpp"

#include <atomic>
#include <iostream>
#include <mutex>
#include <string>

namespace zerobuffer {

namespace {
std::atomic<LogSink> g_sink{nullptr};
std::mutex g_cerr_mutex;
}  // namespace

void set_log_sink(LogSink sink) noexcept { g_sink.store(sink, std::memory_order_release); }

const char* to_string(LogLevel level) noexcept {
    switch (level) {
        case LogLevel::Debug: return "debug";
        case LogLevel::Info: return "info";
        case LogLevel::Warning: return "warning";
        case LogLevel::Error: return "error";
    }
    return "info";
}

namespace detail {
void log(LogLevel level, std::string_view message) noexcept {
    try {
        if (LogSink sink = g_sink.load(std::memory_order_acquire)) {
            sink(level, message);
        } else if (level >= LogLevel::Warning) {
            std::lock_guard lock(g_cerr_mutex);
            std::cerr << "zerobuffer " << to_string(level) << ": " << message << '\n';
        }
    } catch (...) {
        // Logging must never take the caller down.
    }
}
void log_os_failure(std::string_view operation, std::string_view resource, int err) noexcept {
    try {
        std::string message(operation);
        message += " of '";
        message += resource;
        message += "' failed: errno ";
        message += std::to_string(err);
        log(LogLevel::Warning, message);
    } catch (...) {
    }
}
}  // namespace detail

}  // namespace zerobuffer
