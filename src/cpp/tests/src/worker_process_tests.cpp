// bin/zerobuffer-serve driven over real pipes: every method, malformed input, timeouts, and a
// hand-played Test 1.1 with two worker processes.
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "test_support.hpp"
#include "wire/content_length.hpp"

using namespace std::chrono_literals;
using Json = nlohmann::json;

namespace {

class Worker {
public:
    explicit Worker(std::vector<std::string> extra = {})
        : process_(args(std::move(extra)), {{"HARMONY_LOG_LEVEL", "debug"}}) {}
    // Any command line (e.g. a shell that starts the worker as its child).
    Worker(std::vector<std::string> argv, std::map<std::string, std::string> env) : process_(argv, env) {}

    static std::vector<std::string> args(std::vector<std::string> extra) {
        std::vector<std::string> a{zbtest::bin_dir() + "/zerobuffer-serve"};
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    }

    void send_raw(const std::string& bytes) { ASSERT_TRUE(process_.write_stdin(bytes)); }
    void send(const Json& message) { send_raw(zbserve::wire::encode_frame(message.dump())); }

    // The next frame on stdout, parsed. Fails the test (returning null) on timeout.
    Json receive(std::chrono::milliseconds timeout = 10000ms) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        auto left = [&] { return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()); };
        std::string& buf = process_.stdout_buffer();
        std::size_t header_end;
        while ((header_end = buf.find("\r\n\r\n")) == std::string::npos) {
            if (left().count() <= 0 || !process_.read_stdout(buf.size() + 1, left())) {
                ADD_FAILURE() << "no reply; stdout so far: " << buf << "\nstderr: " << process_.stderr_text();
                return nullptr;
            }
        }
        std::string header = buf.substr(0, header_end);
        EXPECT_EQ(header.rfind("Content-Length: ", 0), 0u) << header;
        std::size_t length = std::stoul(header.substr(16));
        std::size_t total = header_end + 4 + length;
        if (!process_.read_stdout(total, left())) {
            ADD_FAILURE() << "truncated reply";
            return nullptr;
        }
        std::string frame = process_.take_stdout(total);
        return Json::parse(frame.substr(header_end + 4));
    }

    Json call(const std::string& method, const Json& params = nullptr, std::chrono::milliseconds timeout = 10000ms) {
        Json m{{"jsonrpc", "2.0"}, {"id", ++next_id_}, {"method", method}};
        if (!params.is_null()) m["params"] = params;
        send(m);
        Json r = receive(timeout);
        EXPECT_EQ(r["id"], next_id_) << r.dump();
        return r;
    }

    Json step(const std::string& text, int timeout_ms = 30000) {
        Json r = call("executeStep", Json{{"process", "x"}, {"stepType", "given"}, {"keyword", "Given"}, {"step", text},
                                          {"argument", nullptr}, {"isBroadcast", false}, {"timeoutMs", timeout_ms},
                                          {"stepId", "s" + std::to_string(next_id_)}});
        return r["result"];
    }

    zbtest::ChildProcess& process() { return process_; }

private:
    zbtest::ChildProcess process_;
    int next_id_ = 0;
};

Json init_params(const std::string& run_id, const std::string& role, const std::string& mode = "separate-process") {
    return Json{{"role", role}, {"roles", {"reader", "writer"}}, {"platform", "cpp"}, {"scenario", "Test 1.1 - x"},
                {"feature", "Basic communication"}, {"runId", run_id}, {"mode", mode}};
}

}  // namespace

TEST(WorkerProcess, HealthReportsPlatformAndProtocol) {
    Worker w;
    Json r = w.call("health");
    EXPECT_EQ(r["result"]["status"], "ok");
    EXPECT_EQ(r["result"]["platform"], "cpp");
    EXPECT_EQ(r["result"]["protocol"], 1);
    EXPECT_EQ(r["result"]["pid"], w.process().pid());
    EXPECT_TRUE(r["result"]["version"].is_string());
}

TEST(WorkerProcess, DiscoverListsEveryPattern) {
    Worker w;
    Json r = w.call("discover");
    ASSERT_TRUE(r["result"]["steps"].is_array());
    EXPECT_GE(r["result"]["steps"].size(), 23u);
    std::set<std::string> types;
    for (const auto& s : r["result"]["steps"]) {
        types.insert(s["type"].get<std::string>());
        EXPECT_TRUE(s["pattern"].is_string());
        EXPECT_NE(s["source"].get<std::string>().find(".cpp:"), std::string::npos);
    }
    EXPECT_EQ(types, (std::set<std::string>{"given", "when", "then"}));
}

TEST(WorkerProcess, MalformedInputNeverKillsTheWorker) {
    Worker w;
    w.send_raw(zbserve::wire::encode_frame("{not json"));
    Json r = w.receive();
    EXPECT_EQ(r["error"]["code"], -32700);
    EXPECT_TRUE(r["id"].is_null());

    // Each bad header block is answered with -32600; the worker then resynchronises on the next
    // Content-Length header, so the health request behind it is answered normally.
    const std::string health = zbserve::wire::encode_frame(R"({"jsonrpc":"2.0","id":"h","method":"health"})");
    for (const std::string bad : {"Content-Length: abc\r\n\r\n{}", "X-Nothing: 1\r\n\r\n{\"a\":1}",
                                   "Content-Length: -1\r\n\r\n", "Content-Length: 99999999999\r\n\r\n"}) {
        w.send_raw(bad + health);
        Json error = w.receive();
        EXPECT_EQ(error["error"]["code"], -32600) << bad;
        EXPECT_TRUE(error["id"].is_null());
        EXPECT_EQ(w.receive()["result"]["status"], "ok") << bad;
    }

    w.send(Json{{"id", 1}, {"method", "health"}});
    EXPECT_EQ(w.receive()["error"]["code"], -32600);
    EXPECT_EQ(w.call("nope")["error"]["code"], -32601);
    EXPECT_EQ(w.call("executeStep", Json{{"stepType", "given"}})["error"]["code"], -32602);
    EXPECT_EQ(w.call("initialize", Json{{"runId", 5}})["error"]["code"], -32602);
    EXPECT_EQ(w.call("health")["result"]["status"], "ok");
}

TEST(WorkerProcess, NotificationsAndBatches) {
    Worker w;
    w.send(Json{{"jsonrpc", "2.0"}, {"method", "health"}});
    w.send(Json{{"jsonrpc", "2.0"}, {"method", "nope"}});
    Json r = w.call("health");  // the first reply must be this one
    EXPECT_EQ(r["result"]["status"], "ok");
    w.send(Json::array({Json{{"jsonrpc", "2.0"}, {"id", 100}, {"method", "health"}},
                        Json{{"jsonrpc", "2.0"}, {"method", "health"}},
                        Json{{"jsonrpc", "2.0"}, {"id", 101}, {"method", "discover"}}}));
    Json batch = w.receive();
    ASSERT_TRUE(batch.is_array());
    ASSERT_EQ(batch.size(), 2u);
    EXPECT_EQ(batch[0]["id"], 100);
    EXPECT_EQ(batch[1]["id"], 101);
    w.send(Json::array());
    EXPECT_EQ(w.receive()["error"]["code"], -32600);
}

TEST(WorkerProcess, CompatibleParamsAndStringIds) {
    Worker w;
    std::string run = zbtest::buffer_name("compat");
    w.send(Json{{"jsonrpc", "2.0"}, {"id", "init-1"}, {"method", "initialize"}, {"params", Json::array({init_params(run, "reader")})}});
    Json r = w.receive();
    EXPECT_EQ(r["id"], "init-1");
    EXPECT_EQ(r["result"]["ok"], true);
    r = w.call("executeStep", Json::array({Json{{"Process", "reader"}, {"StepType", 0}, {"Keyword", "Given"},
                                                 {"Step", "the 'reader' process creates buffer 'b' with metadata size '0' and payload size '1024'"},
                                                 {"TimeoutMs", 5000}}}));
    EXPECT_EQ(r["result"]["success"], true) << r.dump();
    EXPECT_EQ(w.call("cleanup")["result"]["released"].size(), 1u);
    EXPECT_TRUE(zbtest::leftovers(run).empty());
}

TEST(WorkerProcess, StepTimeoutAbandonsAndKeepsServing) {
    Worker w;
    std::string run = zbtest::buffer_name("timeout");
    w.call("initialize", init_params(run, "reader"));
    w.step("the 'reader' process creates buffer 'b' with metadata size '0' and payload size '1024'");
    auto start = std::chrono::steady_clock::now();
    Json r = w.step("the 'reader' process should receive no frame within '4000' ms", 300);
    auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(r["success"], false);
    EXPECT_EQ(r["errorType"], "StepTimeout");
    EXPECT_NE(r["error"].get<std::string>().find("300 ms"), std::string::npos);
    EXPECT_LT(took, 3s);
    start = std::chrono::steady_clock::now();
    EXPECT_EQ(w.call("health")["result"]["status"], "ok");
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    w.call("cleanup", nullptr, 15000ms);
    EXPECT_TRUE(zbtest::leftovers(run).empty());
}

TEST(WorkerProcess, LogsComeWithTheReply) {
    Worker w;
    std::string run = zbtest::buffer_name("logs");
    w.call("initialize", init_params(run, "reader"));
    Json r = w.step("the 'reader' process creates buffer 'b' with metadata size '0' and payload size '1024'");
    bool found = false;
    for (const auto& entry : r["logs"]) {
        EXPECT_TRUE(entry["timestamp"].is_string());
        EXPECT_TRUE(entry["level"] == "debug" || entry["level"] == "info" || entry["level"] == "warning" ||
                    entry["level"] == "error");
        if (entry["message"].get<std::string>().find("created buffer") != std::string::npos) found = true;
    }
    EXPECT_TRUE(found) << r.dump(2);
    // logs are only sent once
    Json again = w.step("the 'reader' process should have no metadata");
    for (const auto& entry : again["logs"]) EXPECT_EQ(entry["message"].get<std::string>().find("created buffer"), std::string::npos);
    EXPECT_NE(w.process().stderr_text().find("created buffer"), std::string::npos);
}

TEST(WorkerProcess, HandPlayedTest11WithTwoWorkers) {
    Worker reader, writer;
    std::string run = zbtest::buffer_name("t11");
    EXPECT_EQ(reader.call("initialize", init_params(run, "reader"))["result"]["ok"], true);
    EXPECT_EQ(writer.call("initialize", init_params(run, "writer"))["result"]["ok"], true);
    auto expect_ok = [](const Json& r, const std::string& what) { EXPECT_EQ(r["success"], true) << what << "\n" << r.dump(2); };
    expect_ok(reader.step("the 'reader' process creates buffer 'test-basic' with metadata size '1024' and payload size '10240'"), "create");
    expect_ok(writer.step("the 'writer' process connects to buffer 'test-basic'"), "connect");
    expect_ok(writer.step("the 'writer' process should see the reader connected"), "reader connected");
    expect_ok(reader.step("the 'reader' process should see the writer connected"), "writer connected");
    expect_ok(writer.step("the 'writer' process writes metadata with size '100'"), "metadata");
    expect_ok(writer.step("the 'writer' process writes frame with size '1024'"), "frame");
    expect_ok(reader.step("the 'reader' process should have metadata with size '100'"), "has metadata");
    Json r = reader.step("the 'reader' process should read frame with sequence '1' and size '1024'");
    expect_ok(r, "read");
    EXPECT_EQ(r["data"]["sequence"], 1);
    // a writer killed like the orchestrator does it: the reader sees it dead
    writer.process().kill_hard();
    expect_ok(reader.step("the 'reader' process should see the writer disconnected"), "writer disconnected");
    expect_ok(reader.step("the 'reader' process should fail to read a frame within '300' ms with 'WriterDead'"), "WriterDead");
    EXPECT_EQ(reader.call("shutdown")["result"]["ok"], true);
    EXPECT_EQ(reader.process().wait(5000ms), 0);
    EXPECT_TRUE(zbtest::leftovers(run).empty());
}

TEST(WorkerProcess, SameProcessModeHostsBothRoles) {
    Worker w;
    std::string run = zbtest::buffer_name("same");
    w.call("initialize", init_params(run, "reader", "same-process"));
    for (const char* s : {"the 'reader' process creates buffer 'test-high-volume' with metadata size '1024' and payload size '10240'",
                          "the 'writer' process connects to buffer 'test-high-volume'",
                          "the 'writer' process starts writing '5000' frames with size '1024' in the background",
                          "the 'reader' process should read '5000' frames with size '1024' in order",
                          "the 'writer' process should finish writing within '10000' ms"}) {
        Json r = w.step(s);
        EXPECT_EQ(r["success"], true) << s << "\n" << r.dump(2);
    }
    // initialize again without cleanup: the worker cleans up first
    w.call("initialize", init_params(zbtest::buffer_name("same2"), "reader", "same-process"));
    EXPECT_TRUE(zbtest::leftovers(run).empty());
}

TEST(WorkerProcess, EndOfInputReleasesEverythingAndExitsCleanly) {
    std::string run = zbtest::buffer_name("eof");
    {
        Worker w;
        w.call("initialize", init_params(run, "reader", "same-process"));
        w.step("the 'reader' process creates buffer 'b' with metadata size '0' and payload size '1024'");
        w.step("the 'writer' process connects to buffer 'b'");
        ASSERT_FALSE(zbtest::leftovers(run).empty());
        w.process().close_stdin();
        EXPECT_EQ(w.process().wait(5000ms), 0);
        EXPECT_EQ(w.process().stdout_buffer().find("Content-Length"), std::string::npos) << "nothing but frames on stdout";
    }
    EXPECT_TRUE(zbtest::leftovers(run).empty());
}

TEST(WorkerProcess, ShutdownExitsZero) {
    Worker w;
    EXPECT_EQ(w.call("shutdown")["result"]["ok"], true);
    EXPECT_EQ(w.process().wait(5000ms), 0);
}

TEST(WorkerProcess, WaitForDebuggerPrintsPidAndHowToAttach) {
    Worker w({"--wait-for-debugger"});
    EXPECT_TRUE(w.process().wait_stderr("gdb -p " + std::to_string(w.process().pid()), 10000ms))
        << w.process().stderr_text();
    // still waiting: no answer to health
    w.send(Json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "health"}});
    EXPECT_FALSE(w.process().read_stdout(1, 300ms));
    w.process().kill_hard();
}

TEST(WorkerProcess, UnknownArgumentIsRefused) {
    auto r = zbtest::run_process({zbtest::bin_dir() + "/zerobuffer-serve", "--bogus"}, 5000ms);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.out.empty());
}

// --- testdata/rpc/cases.json: the worker contract, shared by the C#, Python and C++ suites ---------

namespace {

std::string reply_problem(const Json& expected, const Json& actual);

// Every expectation met by a distinct reply, no reply left over, in any order; empty when so.
std::string replies_problem(const Json& expected, std::vector<Json> actual) {
    for (const auto& expectation : expected) {
        auto hit = std::find_if(actual.begin(), actual.end(), [&](const Json& r) { return reply_problem(expectation, r).empty(); });
        if (hit == actual.end()) return "no reply meets " + expectation.dump();
        actual.erase(hit);
    }
    return actual.empty() ? "" : "unexpected replies, first: " + actual.front().dump();
}

std::string reply_problem(const Json& expected, const Json& actual) {
    if (expected.contains("batch")) {
        if (actual.is_array()) {
            if (actual.size() != expected["batch"].size()) return "batch of another size: " + actual.dump();
            return replies_problem(expected["batch"], actual.get<std::vector<Json>>());
        }
        bool refused = actual.is_object() && actual.contains("error") && actual["error"]["code"] == -32600;
        return expected.value("orRefused", false) && refused ? "" : "expected a batch reply, got " + actual.dump();
    }
    if (!actual.is_object()) return "expected one reply object, got " + actual.dump();
    if (expected.contains("id") && (!actual.contains("id") || actual["id"] != expected["id"])) return "other id: " + actual.dump();
    if (expected.contains("error")) {
        bool ok = actual.contains("error") && !actual.contains("result") && actual["error"]["code"] == expected["error"];
        return ok ? "" : "expected error " + expected["error"].dump() + ", got " + actual.dump();
    }
    if (!actual.contains("result") || !actual["result"].is_object()) return "expected a result object, got " + actual.dump();
    const Json& result = actual["result"];
    for (const auto& key : expected["result"]) {
        if (!result.contains(key.get<std::string>())) return "result lacks " + key.dump() + ": " + result.dump();
    }
    const Json values = expected.value("values", Json::object());
    for (const auto& [key, value] : values.items()) {
        if (result[key] != value) return "result " + key + " is " + result[key].dump() + ", expected " + value.dump();
    }
    return "";
}

std::vector<Json> parse_frames(std::string out) {
    std::vector<Json> frames;
    zbserve::wire::ContentLengthReader reader([&out](char* buf, std::size_t n) -> std::ptrdiff_t {
        std::size_t take = std::min(n, out.size());
        out.copy(buf, take);
        out.erase(0, take);
        return static_cast<std::ptrdiff_t>(take);
    });
    for (auto m = reader.next(); m.status == zbserve::wire::ContentLengthReader::Status::Message; m = reader.next()) {
        frames.push_back(Json::parse(m.body));
    }
    return frames;
}

Json rpc_cases() {
    std::ifstream in(std::string(zbtest::cpp_source_dir()) + "/../../testdata/rpc/cases.json");
    return Json::parse(in)["cases"];
}

}  // namespace

TEST(WorkerProcess, RpcFixtureCases) {
    Json cases = rpc_cases();
    ASSERT_GT(cases.size(), 10u);
    for (const auto& c : cases) {
        zbtest::ChildProcess worker({zbtest::bin_dir() + "/zerobuffer-serve"});
        ASSERT_TRUE(worker.write_stdin(c["input"].get<std::string>())) << c["name"];
        worker.close_stdin();
        ASSERT_TRUE(worker.wait_stdout_eof(30000ms)) << c["name"];
        EXPECT_EQ(worker.wait(10000ms), 0) << c["name"] << "\n" << worker.stderr_text();
        std::vector<Json> replies = parse_frames(worker.stdout_buffer());
        Json expected = c["replies"];
        if (c.contains("mayExitAfter") && replies.size() == c["mayExitAfter"].get<std::size_t>()) {
            expected = Json(std::vector<Json>(expected.begin(), expected.begin() + static_cast<long>(replies.size())));
        }
        std::string problem = replies_problem(expected, replies);
        EXPECT_TRUE(problem.empty()) << c["name"].get<std::string>() << ": " << problem;
    }
}

// --- liveness: exit within 2 s of end of input or parent death, even mid-step, releasing buffers ---

namespace {

// The liveness rule allows 2 s; a loaded machine adds some.
constexpr auto LIVENESS_LIMIT = 2000ms + 2000ms;

// Initializes, creates a buffer, and starts a read that would wait 20 s for a writer that never comes.
void start_blocking_read(Worker& w, const std::string& run) {
    w.call("initialize", init_params(run, "reader"));
    Json created = w.step("the 'reader' process creates buffer 'live' with metadata size '0' and payload size '1024'");
    ASSERT_TRUE(created["success"].get<bool>()) << created.dump();
    ASSERT_FALSE(zbtest::leftovers(run).empty());
    w.send(Json{{"jsonrpc", "2.0"}, {"id", 99}, {"method", "executeStep"},
                {"params", {{"process", "reader"}, {"stepType", "then"}, {"timeoutMs", 30000},
                            {"step", "the 'reader' process should receive no frame within '20000' ms"}}}});
    ASSERT_TRUE(w.process().wait_stderr("-> frame_reading_steps.cpp", 20000ms)) << w.process().stderr_text();
}

}  // namespace

TEST(WorkerProcess, EndOfInputMidStepExitsWithin2sAndReleases) {
    std::string run = zbtest::buffer_name("live");
    Worker w;
    start_blocking_read(w, run);
    auto started = std::chrono::steady_clock::now();
    w.process().close_stdin();
    EXPECT_EQ(w.process().wait(30000ms), 0);
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_LE(took, LIVENESS_LIMIT) << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
    EXPECT_TRUE(zbtest::leftovers(run).empty());
}

TEST(WorkerProcess, ParentDeathMidStepExitsWithin2sAndReleases) {
    // The worker's parent is a shell the test SIGKILLs; the test keeps the worker's stdin open,
    // so only the parent watch can end it.
    std::string run = zbtest::buffer_name("live");
    std::string serve = zbtest::bin_dir() + "/zerobuffer-serve";
    Worker w({"/bin/sh", "-c", "exec 3<&0; \"" + serve + "\" <&3 3<&- & echo \"WORKER $!\" >&2; wait"}, {{"HARMONY_LOG_LEVEL", "debug"}});
    start_blocking_read(w, run);
    std::string err = w.process().stderr_text();
    pid_t worker_pid = std::atoi(err.c_str() + err.find("WORKER ") + 7);
    ASSERT_GT(worker_pid, 0) << err;
    auto started = std::chrono::steady_clock::now();
    w.process().kill_hard();
    bool exited = w.process().wait_stdout_eof(30000ms);
    auto took = std::chrono::steady_clock::now() - started;
    if (!exited) ::kill(worker_pid, SIGKILL);
    ASSERT_TRUE(exited);
    EXPECT_LE(took, LIVENESS_LIMIT) << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
    EXPECT_TRUE(zbtest::leftovers(run).empty());
}
