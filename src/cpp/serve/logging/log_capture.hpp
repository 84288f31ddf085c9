// Collects what the worker logs (any thread, the library included) for the next reply's "logs",
// and mirrors it to stderr. stdout is never touched.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "zerobuffer/logger.hpp"

namespace zbserve {

using zerobuffer::LogLevel;

struct LogEntry {
    std::string timestamp;  // ISO-8601 UTC with milliseconds
    LogLevel level;
    std::string message;
};

class LogCapture {
public:
    static LogCapture& instance();

    // debug|info|warning|error (HARMONY_LOG_LEVEL); entries below it are neither kept nor mirrored.
    void set_threshold(LogLevel level) noexcept { threshold_ = level; }
    void set_mirror(bool mirror) noexcept { mirror_ = mirror; }
    void log(LogLevel level, std::string_view message);
    // Everything logged since the previous drain.
    std::vector<LogEntry> drain();

    // Routes the zerobuffer library's log hook here.
    void capture_library_logs();

    static LogLevel parse_level(const char* text, LogLevel fallback) noexcept;

private:
    static constexpr std::size_t MAX_ENTRIES = 5000;
    std::mutex mutex_;
    std::vector<LogEntry> entries_;
    std::size_t dropped_ = 0;
    LogLevel threshold_ = LogLevel::Info;
    bool mirror_ = true;
};

inline void log_debug(std::string_view m) { LogCapture::instance().log(LogLevel::Debug, m); }
inline void log_info(std::string_view m) { LogCapture::instance().log(LogLevel::Info, m); }
inline void log_warning(std::string_view m) { LogCapture::instance().log(LogLevel::Warning, m); }
inline void log_error(std::string_view m) { LogCapture::instance().log(LogLevel::Error, m); }

std::string iso_timestamp_now();

}  // namespace zbserve
