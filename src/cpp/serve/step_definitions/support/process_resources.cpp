#include "step_definitions/support/process_resources.hpp"

#include <dirent.h>
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "logging/log_capture.hpp"

namespace zbserve::step_definitions {

namespace {

constexpr std::int64_t RSS_ALLOWED_GROWTH_KIB = 2048;
constexpr std::int64_t RSS_ALLOWED_PERCENT = 15;

std::int64_t read_rss_kib() {
    // "VmRSS:     12345 kB"
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            std::istringstream fields(line.substr(6));
            std::int64_t kib = 0;
            fields >> kib;
            return kib;
        }
    }
    throw std::runtime_error("/proc/self/status has no VmRSS line");
}

// The listing's own descriptor is counted too, the same in every sample.
std::int64_t count_fds() {
    DIR* dir = ::opendir("/proc/self/fd");
    if (dir == nullptr) throw std::runtime_error(std::string("opendir /proc/self/fd: ") + std::strerror(errno));
    std::int64_t count = 0;
    while (const dirent* entry = ::readdir(dir)) {
        if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0) ++count;
    }
    ::closedir(dir);
    return count;
}

void set_nofile(std::uint64_t soft, std::uint64_t hard) {
    rlimit limit{static_cast<rlim_t>(soft), static_cast<rlim_t>(hard)};
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
        throw std::runtime_error(std::string("setrlimit(RLIMIT_NOFILE): ") + std::strerror(errno));
    }
}

}  // namespace

std::int64_t ResourceSample::allowed_growth_kib() const {
    return std::max(RSS_ALLOWED_GROWTH_KIB, rss_kib * RSS_ALLOWED_PERCENT / 100);
}

std::vector<std::string> ResourceSample::problems_at(const ResourceSample& end) const {
    std::vector<std::string> problems;
    if (end.fds != fds) {
        problems.push_back("open descriptors went from " + std::to_string(fds) + " to " + std::to_string(end.fds));
    }
    const std::int64_t growth = end.rss_kib - rss_kib;
    if (growth > allowed_growth_kib()) {
        problems.push_back("RSS grew from " + std::to_string(rss_kib) + " KiB to " + std::to_string(end.rss_kib) +
                           " KiB (+" + std::to_string(growth) + " KiB, more than the " +
                           std::to_string(allowed_growth_kib()) + " KiB allowed)");
    }
    return problems;
}

ResourceSample sample_resources() { return ResourceSample{read_rss_kib(), count_fds()}; }

LoweredOpenFileLimit::LoweredOpenFileLimit(std::uint64_t soft) {
    rlimit current{};
    if (::getrlimit(RLIMIT_NOFILE, &current) != 0) {
        throw std::runtime_error(std::string("getrlimit(RLIMIT_NOFILE): ") + std::strerror(errno));
    }
    previous_soft_ = current.rlim_cur;
    hard_ = current.rlim_max;
    soft_ = current.rlim_max == RLIM_INFINITY ? soft : std::min<std::uint64_t>(soft, current.rlim_max);
    set_nofile(soft_, hard_);
}

LoweredOpenFileLimit::~LoweredOpenFileLimit() {
    try {
        set_nofile(previous_soft_, hard_);
    } catch (const std::exception& e) {
        log_error(std::string("restoring the open-file limit failed: ") + e.what());
    }
}

}  // namespace zbserve::step_definitions
