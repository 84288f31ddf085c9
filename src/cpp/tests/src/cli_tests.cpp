// bin/zerobuffer-cpp read / write / inspect / bench, as the other languages' tools are used.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "test_support.hpp"

using namespace std::chrono_literals;
using Json = nlohmann::json;

namespace {

std::string tool() { return zbtest::bin_dir() + "/zerobuffer-cpp"; }

}  // namespace

TEST(Cli, ReadAndWriteRoundTripWithMetadata) {
    std::string name = zbtest::buffer_name("cli");
    zbtest::ChildProcess reader({tool(), "read", name, "--count", "3000", "--payload-size", "65536", "--metadata-size", "256"});
    auto ready = reader.read_line(5000ms);
    ASSERT_EQ(ready, "READY");

    auto inspect = zbtest::run_process({tool(), "inspect", name}, 5000ms);
    ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
    Json o = Json::parse(inspect.out);
    const char* keys[] = {"oieb_size", "version", "metadata_size", "metadata_free_bytes", "metadata_written_bytes",
                          "payload_size", "payload_free_bytes", "payload_write_pos", "payload_read_pos",
                          "payload_written_count", "payload_read_count", "writer_pid", "reader_pid",
                          "reader_alive", "writer_alive"};
    for (const char* k : keys) EXPECT_TRUE(o.contains(k)) << k;
    EXPECT_EQ(o.size(), 15u);
    EXPECT_EQ(o["oieb_size"], 128);
    EXPECT_EQ(o["version"], "1.0.0");
    EXPECT_EQ(o["payload_size"], 65536);
    EXPECT_EQ(o["metadata_size"], 256);
    EXPECT_EQ(o["reader_pid"], reader.pid());
    EXPECT_EQ(o["reader_alive"], true);
    EXPECT_EQ(o["writer_alive"], false);
    EXPECT_EQ(inspect.out.find("{\"oieb_size\""), 0u) << "fields in PROTOCOL.md order";

    auto writer = zbtest::run_process({tool(), "write", name, "--count", "3000", "--size", "1000", "--metadata", "h\xC3\xA9llo"}, 30000ms);
    ASSERT_EQ(writer.exit_code, 0) << writer.err;
    Json w = Json::parse(writer.out);
    EXPECT_EQ(w["frames"], 3000);
    EXPECT_EQ(w["bytes"], 3000000);
    EXPECT_TRUE(w["seconds"].is_number());
    EXPECT_EQ(writer.out.find("{\"frames\":3000,\"bytes\":3000000,\"seconds\":"), 0u) << writer.out;

    auto summary = reader.read_line(10000ms);
    ASSERT_TRUE(summary.has_value());
    Json r = Json::parse(*summary);
    EXPECT_EQ(r["frames"], 3000);
    EXPECT_EQ(r["bytes"], 3000000);
    EXPECT_EQ(r["metadata"], "h\xC3\xA9llo");
    EXPECT_EQ(reader.wait(5000ms), 0);
    EXPECT_TRUE(zbtest::leftovers(name).empty());
}

TEST(Cli, ReaderTimesOutWithKindOnStderr) {
    std::string name = zbtest::buffer_name("cli-timeout");
    auto r = zbtest::run_process({tool(), "read", name, "--count", "1", "--timeout-ms", "200"}, 5000ms);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "READY\n");
    EXPECT_EQ(r.err.rfind("error: Timeout: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
    EXPECT_TRUE(zbtest::leftovers(name).empty());
}

TEST(Cli, ErrorsNameTheKind) {
    auto r = zbtest::run_process({tool(), "write", zbtest::buffer_name("none"), "--count", "1", "--size", "10"}, 5000ms);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err.rfind("error: BufferNotFound: ", 0), 0u) << r.err;
    EXPECT_TRUE(r.out.empty());
    r = zbtest::run_process({tool(), "inspect", "bad/name"}, 5000ms);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err.rfind("error: InvalidBufferName: ", 0), 0u) << r.err;
    r = zbtest::run_process({tool(), "inspect", zbtest::buffer_name("none")}, 5000ms);
    EXPECT_EQ(r.err.rfind("error: BufferNotFound: ", 0), 0u) << r.err;
}

TEST(Cli, WriterFailsWhenTheRingStaysFull) {
    std::string name = zbtest::buffer_name("cli-full");
    zbtest::ChildProcess reader({tool(), "read", name, "--count", "0", "--payload-size", "4096", "--timeout-ms", "100"});
    // --count 0: the reader prints its summary at once and exits, removing the buffer.
    EXPECT_EQ(reader.read_line(5000ms), "READY");
    EXPECT_EQ(reader.wait(5000ms), 0);
    auto r = zbtest::run_process({tool(), "write", name, "--count", "1", "--size", "10"}, 5000ms);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(zbtest::leftovers(name).empty());
}

TEST(Cli, UsageErrors) {
    for (const std::vector<std::string>& args : {std::vector<std::string>{tool()},
                                                 std::vector<std::string>{tool(), "frobnicate"},
                                                 std::vector<std::string>{tool(), "read", "x"},
                                                 std::vector<std::string>{tool(), "write", "x", "--count", "1", "--size", "q"}}) {
        auto usage = zbtest::run_process(args, 5000ms);
        EXPECT_EQ(usage.exit_code, 1);
        EXPECT_EQ(usage.err.rfind("error: Usage: ", 0), 0u) << usage.err;
        EXPECT_EQ(std::count(usage.err.begin(), usage.err.end(), '\n'), 1) << usage.err;
    }
    auto r = zbtest::run_process({tool(), "write", "x", "--count", "1", "--size", "0"}, 5000ms);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err.rfind("error: InvalidFrameSize: ", 0), 0u) << r.err;
}

// testdata/cli/number-validation.json, which the C# and Python tool suites run too.
TEST(Cli, NumbersFollowTheOneRule) {
    std::ifstream in(std::string(zbtest::cpp_source_dir()) + "/../../testdata/cli/number-validation.json");
    ASSERT_TRUE(in.good());
    const Json data = Json::parse(in);
    ASSERT_GE(data["cases"].size(), 10u);
    for (const Json& c : data["cases"]) {
        const std::string name = zbtest::buffer_name("num");
        std::vector<std::string> argv{tool()};
        for (const Json& a : c["args"]) argv.push_back(a == "NAME" ? name : a.get<std::string>());
        auto r = zbtest::run_process(argv, 20000ms);
        if (!c.contains("message")) {
            EXPECT_EQ(r.err.find("error: Usage:"), std::string::npos) << c.dump() << " -> " << r.err;
        } else {
            const std::string expected = "error: Usage: " + c["message"].get<std::string>();
            EXPECT_EQ(r.exit_code, data["exitCode"].get<int>()) << c.dump();
            EXPECT_EQ(r.err.rfind(expected, 0), 0u) << c.dump() << " -> " << r.err;
            const std::string rest = r.err.substr(std::min(expected.size(), r.err.size()));
            EXPECT_TRUE(rest == "\n" || rest == " (see 'zerobuffer-cpp --help')\n") << r.err;
            EXPECT_TRUE(r.out.empty()) << r.out;
        }
        EXPECT_TRUE(zbtest::leftovers(name).empty()) << c.dump();
    }
}

TEST(Cli, QuickBenchWritesRecords) {
    std::string path = "/tmp/" + zbtest::buffer_name("bench") + ".json";
    auto r = zbtest::run_process({tool(), "bench", "--quick", "--json", path}, 120000ms);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(path);
    Json records = Json::parse(in);
    std::remove(path.c_str());
    ASSERT_TRUE(records.is_array());
    int throughput = 0, roundtrip = 0;
    for (const auto& rec : records) {
        for (const char* k : {"measure", "frameBytes", "value", "unit", "baseline", "baselineValue", "ratio"}) {
            EXPECT_TRUE(rec.contains(k)) << k;
        }
        EXPECT_GT(rec["value"].get<double>(), 0.0) << rec.dump();
        EXPECT_GT(rec["baselineValue"].get<double>(), 0.0) << rec.dump();
        if (rec["measure"] == "throughput") ++throughput;
        if (rec["measure"] == "roundtrip") {
            ++roundtrip;
            EXPECT_EQ(rec["frameBytes"], 64);
        }
    }
    EXPECT_EQ(throughput, 6);  // 3 sizes x frames/s, GB/s
    EXPECT_EQ(roundtrip, 2);   // p50, p99
    EXPECT_TRUE(zbtest::leftovers("zbbench-").empty());
}
