// Byte-exact interoperability with the C# `zerobuffer` tool, both directions, many wraps.
// Tool: $ZEROBUFFER_CSHARP_TOOL, default <repo>/src/ZeroBuffer.Tool/bin/Release/net10.0/zerobuffer.
// Missing tool: skipped, unless ZEROBUFFER_REQUIRE_INTEROP=1 (then it fails).
// The Python tool (python3 -m zerobuffer from <repo>/src/python) is exercised too when present.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <vector>

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

using Command = std::vector<std::string>;

Command cpp_tool() { return {zbtest::bin_dir() + "/zerobuffer-cpp"}; }

std::string python_dir() {
    return (std::filesystem::path(zbtest::cpp_source_dir()) / ".." / "python").lexically_normal().string();
}

Command with(Command command, std::initializer_list<std::string> args) {
    command.insert(command.end(), args);
    return command;
}

class Interop : public ::testing::Test {
protected:
    void SetUp() override {
        std::string path = csharp_tool();
        tool_ = {path};
        if (::access(path.c_str(), X_OK) != 0) {
            const char* require = std::getenv("ZEROBUFFER_REQUIRE_INTEROP");
            if (require != nullptr && std::string(require) == "1") {
                FAIL() << "ZEROBUFFER_REQUIRE_INTEROP=1 but the C# tool is missing: " << path;
            }
            GTEST_SKIP() << "C# zerobuffer tool not found at " << path
                         << " (build it, or set ZEROBUFFER_CSHARP_TOOL; ZEROBUFFER_REQUIRE_INTEROP=1 makes this fail)";
        }
    }

    // reader_tool creates and reads, writer_tool writes; both validate pattern and sequences.
    void round_trip(const Command& reader_tool, const Command& writer_tool, int count, int size, int payload,
                    const std::string& metadata) {
        std::string name = zbtest::buffer_name("interop");
        zbtest::ChildProcess reader(with(reader_tool, {"read", name, "--count", std::to_string(count), "--payload-size",
                                                       std::to_string(payload), "--metadata-size", "1024",
                                                       "--timeout-ms", "10000"}),
                                    env_);
        auto ready = reader.read_line(30000ms);
        ASSERT_EQ(ready, "READY") << reader.stderr_text();

        auto written = zbtest::run_process(with(writer_tool, {"write", name, "--count", std::to_string(count), "--size",
                                                              std::to_string(size), "--metadata", metadata,
                                                              "--timeout-ms", "10000"}),
                                           120000ms, env_);
        ASSERT_EQ(written.exit_code, 0) << writer_tool[0] << " write failed: " << written.err;
        Json w = Json::parse(written.out);
        EXPECT_EQ(w["frames"], count);
        EXPECT_EQ(w["bytes"], static_cast<long long>(count) * size);

        auto summary = reader.read_line(60000ms);
        ASSERT_TRUE(summary.has_value()) << reader_tool[0] << " read failed: " << reader.stderr_text();
        Json r = Json::parse(*summary);
        EXPECT_EQ(r["frames"], count);
        EXPECT_EQ(r["bytes"], static_cast<long long>(count) * size);
        EXPECT_EQ(r["metadata"], metadata);
        EXPECT_EQ(reader.wait(10000ms), 0) << reader.stderr_text();
        EXPECT_TRUE(zbtest::leftovers(name).empty());
    }

    Command tool_;
    std::map<std::string, std::string> env_;
};

class PythonInterop : public Interop {
protected:
    void SetUp() override {
        if (::access("/usr/bin/python3", X_OK) != 0 ||
            !std::filesystem::exists(std::filesystem::path(python_dir()) / "zerobuffer" / "cli.py")) {
            GTEST_SKIP() << "the Python zerobuffer package is not in " << python_dir();
        }
        tool_ = {"/usr/bin/python3", "-m", "zerobuffer"};
        env_ = {{"PYTHONPATH", python_dir()}};
    }
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
    zbtest::ChildProcess reader(with(cpp_tool(), {"read", name, "--count", "1", "--payload-size", "10000",
                                                  "--metadata-size", "100", "--timeout-ms", "10000"}));
    ASSERT_EQ(reader.read_line(10000ms), "READY");
    auto ours = zbtest::run_process(with(cpp_tool(), {"inspect", name}), 10000ms);
    auto theirs = zbtest::run_process(with(tool_, {"inspect", name}), 30000ms, env_);
    ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
    EXPECT_EQ(Json::parse(ours.out), Json::parse(theirs.out));
    auto w = zbtest::run_process(with(tool_, {"write", name, "--count", "1", "--size", "100"}), 30000ms, env_);
    EXPECT_EQ(w.exit_code, 0) << w.err;
    EXPECT_TRUE(reader.read_line(10000ms).has_value());
    EXPECT_EQ(reader.wait(10000ms), 0);
}

TEST_F(PythonInterop, PythonWritesCppReads) { round_trip(cpp_tool(), tool_, 5000, 1000, 65536, "from Python"); }
TEST_F(PythonInterop, CppWritesPythonReads) { round_trip(tool_, cpp_tool(), 5000, 1013, 16384, "from C++"); }
