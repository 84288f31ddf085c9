// Byte-exact interoperability with the C# `zerobuffer` tool, both directions, many wraps.
// Tool: $ZEROBUFFER_CSHARP_TOOL, default <repo>/src/ZeroBuffer.Tool/bin/Release/net10.0/zerobuffer.
// Missing tool: skipped, unless ZEROBUFFER_REQUIRE_INTEROP=1 (then it fails).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "test_support.hpp"

using namespace std::chrono_literals;
using Json = nlohmann::json;

namespace {

std::string csharp_tool() {
    if (const char* env = std::getenv("ZEROBUFFER_CSHARP_TOOL"); env != nullptr && *env != '\0') return env;
    return (std::filesystem::path(zbtest::cpp_source_dir()) / ".." / "ZeroBuffer.Tool" / "bin" / "Release" / "net10.0" /
            "zerobuffer").lexically_normal().string();
}

std::string cpp_tool() { return zbtest::bin_dir() + "/zerobuffer-cpp"; }

class Interop : public ::testing::Test {
protected:
    void SetUp() override {
        tool_ = csharp_tool();
        if (::access(tool_.c_str(), X_OK) != 0) {
            const char* require = std::getenv("ZEROBUFFER_REQUIRE_INTEROP");
            if (require != nullptr && std::string(require) == "1") {
                FAIL() << "ZEROBUFFER_REQUIRE_INTEROP=1 but the C# tool is missing: " << tool_;
            }
            GTEST_SKIP() << "C# zerobuffer tool not found at " << tool_
                         << " (build it, or set ZEROBUFFER_CSHARP_TOOL; ZEROBUFFER_REQUIRE_INTEROP=1 makes this fail)";
        }
    }

    // reader_tool creates and reads, writer_tool writes; both validate pattern and sequences.
    void round_trip(const std::string& reader_tool, const std::string& writer_tool, int count, int size,
                    int payload, const std::string& metadata) {
        std::string name = zbtest::buffer_name("interop");
        zbtest::ChildProcess reader({reader_tool, "read", name, "--count", std::to_string(count), "--payload-size",
                                     std::to_string(payload), "--metadata-size", "1024", "--timeout-ms", "10000"});
        auto ready = reader.read_line(30000ms);
        ASSERT_EQ(ready, "READY") << reader.stderr_text();

        auto written = zbtest::run_process({writer_tool, "write", name, "--count", std::to_string(count), "--size",
                                            std::to_string(size), "--metadata", metadata, "--timeout-ms", "10000"},
                                           120000ms);
        ASSERT_EQ(written.exit_code, 0) << writer_tool << " write failed: " << written.err;
        Json w = Json::parse(written.out);
        EXPECT_EQ(w["frames"], count);
        EXPECT_EQ(w["bytes"], static_cast<long long>(count) * size);

        auto summary = reader.read_line(60000ms);
        ASSERT_TRUE(summary.has_value()) << reader_tool << " read failed: " << reader.stderr_text();
        Json r = Json::parse(*summary);
        EXPECT_EQ(r["frames"], count);
        EXPECT_EQ(r["bytes"], static_cast<long long>(count) * size);
        EXPECT_EQ(r["metadata"], metadata);
        EXPECT_EQ(reader.wait(10000ms), 0) << reader.stderr_text();
        EXPECT_TRUE(zbtest::leftovers(name).empty());
    }

    std::string tool_;
};

}  // namespace

// 30000 frames of 1000 bytes through a 64 KiB ring: ~480 wraps, with markers.
TEST_F(Interop, CSharpWritesCppReads) { round_trip(cpp_tool(), tool_, 30000, 1000, 65536, "from C#"); }
TEST_F(Interop, CppWritesCSharpReads) { round_trip(tool_, cpp_tool(), 30000, 1000, 65536, "from C++ \xE2\x9C\x93"); }

// Sizes whose wrap leaves tails of under 16 bytes (implicit wraps) and odd alignment.
TEST_F(Interop, CSharpWritesCppReadsOddSizes) { round_trip(cpp_tool(), tool_, 20000, 1013, 16384, "odd"); }
TEST_F(Interop, CppWritesCSharpReadsOddSizes) { round_trip(tool_, cpp_tool(), 20000, 1013, 16384, "odd"); }

TEST_F(Interop, CSharpInspectsACppBufferIdentically) {
    std::string name = zbtest::buffer_name("inspect");
    zbtest::ChildProcess reader({cpp_tool(), "read", name, "--count", "1", "--payload-size", "10000",
                                 "--metadata-size", "100", "--timeout-ms", "10000"});
    ASSERT_EQ(reader.read_line(10000ms), "READY");
    auto ours = zbtest::run_process({cpp_tool(), "inspect", name}, 10000ms);
    auto theirs = zbtest::run_process({tool_, "inspect", name}, 30000ms);
    ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
    EXPECT_EQ(Json::parse(ours.out), Json::parse(theirs.out));
    auto w = zbtest::run_process({tool_, "write", name, "--count", "1", "--size", "100"}, 30000ms);
    EXPECT_EQ(w.exit_code, 0) << w.err;
    EXPECT_TRUE(reader.read_line(10000ms).has_value());
    EXPECT_EQ(reader.wait(10000ms), 0);
}
