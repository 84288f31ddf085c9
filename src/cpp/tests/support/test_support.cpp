#include "test_support.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <system_error>

#include <gtest/gtest.h>

#include "zerobuffer/names.hpp"

namespace zbtest {

std::string name_prefix() { return "zbcpp-" + std::to_string(::getpid()) + "-"; }

std::string buffer_name(const std::string& hint) {
    static std::atomic<int> counter{0};
    return name_prefix() + std::to_string(counter.fetch_add(1)) + "-" + hint;
}

void fill_pattern(std::uint8_t* data, std::size_t size, std::uint64_t sequence) {
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>((sequence + i) & 0xFF);
}

long find_pattern_mismatch(const std::uint8_t* data, std::size_t size, std::uint64_t sequence) {
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] != static_cast<std::uint8_t>((sequence + i) & 0xFF)) return static_cast<long>(i);
    }
    return -1;
}

std::vector<std::uint8_t> metadata_pattern(std::size_t size) {
    std::vector<std::uint8_t> v(size);
    for (std::size_t i = 0; i < size; ++i) v[i] = static_cast<std::uint8_t>(i & 0xFF);
    return v;
}

std::vector<std::string> leftovers(const std::string& prefix) {
    std::vector<std::string> found;
    for (const std::string& dir : {std::string("/dev/shm"), zerobuffer::lock_directory()}) {
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
            std::string n = e.path().filename().string();
            if (n.find(prefix) != std::string::npos) found.push_back(e.path().string());
        }
    }
    return found;
}

void remove_leftovers(const std::string& buffer) {
    std::error_code ec;
    std::filesystem::remove("/dev/shm/" + buffer, ec);
    std::filesystem::remove("/dev/shm/sem.sem-w-" + buffer, ec);
    std::filesystem::remove("/dev/shm/sem.sem-r-" + buffer, ec);
    std::filesystem::remove(zerobuffer::lock_directory() + "/" + buffer + ".lock", ec);
}

std::string cpp_source_dir() { return ZEROBUFFER_CPP_SOURCE_DIR; }
std::string bin_dir() { return ZEROBUFFER_BIN_DIR; }

namespace {
// Fails the run if any test of this process left OS objects behind.
class LeftoverCheck : public ::testing::Environment {
public:
    void TearDown() override {
        auto left = leftovers(name_prefix());
        std::string list;
        for (const auto& f : left) list += "\n  " + f;
        EXPECT_TRUE(left.empty()) << "tests left objects behind:" << list;
        for (const auto& f : left) {
            std::error_code ec;
            std::filesystem::remove(f, ec);
        }
    }
};
const auto* const g_env = ::testing::AddGlobalTestEnvironment(new LeftoverCheck);
}  // namespace

}  // namespace zbtest
