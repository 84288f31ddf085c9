#include "logging/log_capture.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>

namespace zbserve {

LogCapture& LogCapture::instance() {
    // Leaked on purpose: abandoned step threads may still log while the process exits.
    static auto* capture = new LogCapture();
    return *capture;
}

std::string iso_timestamp_now() {
    auto now = std::chrono::system_clock::now();
    auto secs = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    return buf;
}

void LogCapture::log(LogLevel level, std::string_view message) {
    if (level < threshold_) return;
    LogEntry entry{iso_timestamp_now(), level, std::string(message)};
    std::lock_guard lock(mutex_);
    if (mirror_) {
        std::cerr << entry.timestamp << " [" << zerobuffer::to_string(level) << "] " << entry.message << '\n';
    }
    if (entries_.size() >= MAX_ENTRIES) {
        ++dropped_;
        return;
    }
    entries_.push_back(std::move(entry));
}

std::vector<LogEntry> LogCapture::drain() {
    std::lock_guard lock(mutex_);
    std::vector<LogEntry> out;
    out.swap(entries_);
    if (dropped_ > 0) {
        out.push_back({iso_timestamp_now(), LogLevel::Warning, std::to_string(dropped_) + " log entries were dropped"});
        dropped_ = 0;
    }
    return out;
}

namespace {
void library_sink(LogLevel level, std::string_view message) {
    LogCapture::instance().log(level, std::string("zerobuffer: ") + std::string(message));
}
}  // namespace

void LogCapture::capture_library_logs() { zerobuffer::set_log_sink(&library_sink); }

LogLevel LogCapture::parse_level(const char* text, LogLevel fallback) noexcept {
    if (text == nullptr) return fallback;
    if (std::strcmp(text, "debug") == 0 || std::strcmp(text, "trace") == 0) return LogLevel::Debug;
    if (std::strcmp(text, "info") == 0 || std::strcmp(text, "information") == 0) return LogLevel::Info;
    if (std::strcmp(text, "warning") == 0 || std::strcmp(text, "warn") == 0) return LogLevel::Warning;
    if (std::strcmp(text, "error") == 0) return LogLevel::Error;
    return fallback;
}

}  // namespace zbserve
