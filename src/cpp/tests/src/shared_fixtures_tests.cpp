// The rule tables every language's suite reads from testdata/ (PROTOCOL.md section 5 and 6).
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "zerobuffer/detail/errno_mapping.hpp"
#include "zerobuffer/inspect.hpp"
#include "zerobuffer/reader.hpp"
#include "zerobuffer/writer.hpp"

using namespace std::chrono_literals;
using zerobuffer::BufferConfig;
using zerobuffer::Reader;
using zerobuffer::Writer;

namespace {

nlohmann::json load(const std::string& relative) {
    std::ifstream in(std::string(ZEROBUFFER_TESTDATA_DIR) + "/" + relative);
    EXPECT_TRUE(in.good()) << relative;
    return nlohmann::json::parse(in);
}

std::string outcome(const std::function<void()>& action) {
    try {
        action();
    } catch (const zerobuffer::ZeroBufferException& e) {
        return e.kind();
    }
    return "ok";
}

std::string run_case(const nlohmann::json& doc, const nlohmann::json& c) {
    const BufferConfig config(doc["config"]["metadata_size"].get<std::size_t>(), doc["config"]["payload_size"].get<std::size_t>());
    const std::string name = zbtest::buffer_name("val");
    const std::string field = c["field"];
    const std::uint64_t value = c["value"].get<std::uint64_t>();
    const std::string when = c["when"];
    Reader reader(name, config);
    if (when == "before-connect") {
        zerobuffer::write_oieb_field(name, field, value);
        return outcome([&] { Writer writer(name); });
    }
    Writer writer(name);
    const std::vector<std::uint8_t> frame(100, 7);
    if (when == "mid-stream") {
        writer.write_frame(frame);
        EXPECT_TRUE(reader.read_frame(1000ms).valid());
        zerobuffer::write_oieb_field(name, field, value);
        writer.set_write_timeout(200ms);
        return outcome([&] { writer.write_frame(frame); });
    }
    writer.set_metadata(std::vector<std::uint8_t>(16, 3));
    writer.write_frame(frame);
    zerobuffer::write_oieb_field(name, field, value);
    return outcome([&] {
        (void)reader.get_metadata();
        EXPECT_TRUE(reader.read_frame(1000ms).valid());
    });
}

}  // namespace

TEST(SharedFixtures, OiebValidationCases) {
    const nlohmann::json doc = load("oieb/validation-cases.json");
    ASSERT_GT(doc["cases"].size(), 40u);
    for (const auto& c : doc["cases"]) {
        SCOPED_TRACE(c.dump());
        EXPECT_EQ(run_case(doc, c), c["expect"].get<std::string>());
    }
}

TEST(SharedFixtures, ErrnoKinds) {
    const nlohmann::json doc = load("errno/errno-kinds.json");
    for (const auto& c : doc["cases"]) {
        SCOPED_TRACE(c.dump());
        const int number = c["number"];
        EXPECT_EQ(zerobuffer::detail::errno_name(number), c["errno"].get<std::string>());
        EXPECT_STREQ(zerobuffer::to_string(zerobuffer::detail::kind_from_errno(number)), c["kind"].get<std::string>().c_str());
    }
}

// PROTOCOL.md section 5: whoever creates the lock directory makes it 1777, whatever the umask.
TEST(SharedFixtures, LockDirectoryIs1777WhateverTheUmask) {
    const char* previous_env = std::getenv("ZEROBUFFER_LOCK_DIR");
    const std::string saved = previous_env != nullptr ? previous_env : "";
    for (mode_t mask : {mode_t{0}, mode_t{022}, mode_t{077}}) {
        const auto parent = std::filesystem::temp_directory_path() / zbtest::buffer_name("lockdir");
        const auto directory = parent / "locks";
        ::setenv("ZEROBUFFER_LOCK_DIR", directory.c_str(), 1);
        const mode_t old_mask = ::umask(mask);
        { Reader reader(zbtest::buffer_name("umask"), BufferConfig(0, 4096)); }
        ::umask(old_mask);
        struct stat st {};
        ASSERT_EQ(::stat(directory.c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 07777, 01777u) << "umask " << mask;
        std::filesystem::remove_all(parent);
    }
    if (previous_env != nullptr) {
        ::setenv("ZEROBUFFER_LOCK_DIR", saved.c_str(), 1);
    } else {
        ::unsetenv("ZEROBUFFER_LOCK_DIR");
    }
}
