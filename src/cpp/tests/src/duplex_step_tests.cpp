// The duplex steps (STEPS.md "Duplex channel") through the worker's methods in one process: client
// and server share one context, as in same-process mode.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "logging/log_capture.hpp"
#include "rpc/worker_methods.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/allocation_counter.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "steps/step_invoker.hpp"
#include "steps/step_matcher.hpp"
#include "test_support.hpp"

using Json = nlohmann::json;

namespace {

const bool g_quiet = [] {
    zbserve::LogCapture::instance().set_mirror(false);
    return true;
}();

const std::string RECEIVE_ECHO_IN_ORDER =
    "the 'client' process should receive the 'echo' response to every request in 'request' order within '5000' ms";

class DuplexSteps : public ::testing::Test {
protected:
    DuplexSteps() { zbserve::step_definitions::register_all(registry_); }

    void SetUp() override {
        run_id_ = zbtest::buffer_name("dx");
        methods_.initialize(Json{{"role", "server"}, {"roles", {"client", "server"}}, {"runId", run_id_},
                                 {"mode", "same-process"}, {"scenario", "t"}, {"feature", "f"}, {"platform", "cpp"}});
    }
    void TearDown() override {
        methods_.cleanup(Json::object());
        EXPECT_TRUE(zbtest::leftovers(run_id_).empty());
    }

    Json step(const std::string& text) {
        return methods_.execute_step(Json{{"process", "x"}, {"stepType", "when"}, {"step", text}, {"timeoutMs", 30000}});
    }
    Json ok(const std::string& text) {
        Json r = step(text);
        EXPECT_TRUE(r["success"].get<bool>()) << text << "\n" << r.dump(2);
        return r;
    }
    Json fails(const std::string& text, const std::string& contains) {
        Json r = step(text);
        EXPECT_EQ(r["errorType"], "AssertionFailed") << text << "\n" << r.dump(2);
        EXPECT_NE(r["error"].get<std::string>().find(contains), std::string::npos) << r["error"];
        return r;
    }
    void start_and_connect(const std::string& channel, const std::string& server = "starts an immutable 'echo' server") {
        ok("the 'server' process " + server + " on channel '" + channel + "' with payload size '65536' in 'SingleThread' mode");
        ok("the 'client' process connects to channel '" + channel + "' with response payload size '65536'");
    }

    std::string run_id_;
    zbserve::steps::StepRegistry registry_;
    zbserve::steps::StepMatcher matcher_{registry_};
    std::atomic<bool> stop_{false};
    zbserve::steps::StepInvoker invoker_{matcher_, {zbserve::step_definitions::classify_zerobuffer_error}, stop_};
    zbserve::rpc::WorkerMethods methods_{registry_, invoker_};
};

TEST_F(DuplexSteps, RequestsSentInOneStepAreReceivedInAnotherAndChecked) {
    start_and_connect("echo");
    EXPECT_EQ(ok("the 'client' process sends '3' requests with size '100'")["data"]["lastSequence"], 3);
    EXPECT_EQ(ok(RECEIVE_ECHO_IN_ORDER)["data"]["sequences"], Json({1, 2, 3}));
    ok("the 'client' process sends a request with size '10'");
    fails("the 'client' process should receive the 'xor' response to every request in 'any' order within '5000' ms",
          "differs at byte 0");
}

TEST_F(DuplexSteps, OrderAndTimingChecksFailWhenTheResponsesDoNotFit) {
    start_and_connect("order");
    ok("the 'client' process sends '3' requests with size '8'");
    fails("the 'client' process should receive the 'echo' response to every request in 'reverse' order within '5000' ms",
          "not in reverse order");
    fails("the 'client' process should have waited at least '2000' ms for the first response", "expected at least 2000 ms");
}

TEST_F(DuplexSteps, TheReversingServerAnswersLastFirstAfterItsDelay) {
    ok("the 'server' process starts an immutable 'echo' server on channel 'reverse' with payload size '65536' answering "
       "every '4' requests in reverse order after '300' ms");
    ok("the 'client' process connects to channel 'reverse' with response payload size '65536'");
    ok("the 'client' process sends '4' requests with size '64'");
    Json received = ok("the 'client' process should receive the 'echo' response to every request in 'reverse' order "
                       "within '10000' ms");
    EXPECT_EQ(received["data"]["sequences"], Json({4, 3, 2, 1}));
    ok("the 'client' process should have waited at least '300' ms for the first response");
}

TEST_F(DuplexSteps, TheMutablePathAllocatesNothingAndTheCopyCheckFailsOnIt) {
    start_and_connect("mutable", "starts a mutable 'xor' server");
    ok("the 'client' process sends '20' requests with size '4096'");
    ok("the 'client' process should receive the 'xor' response to every request in 'request' order within '5000' ms");
    ok("the 'server' process should have allocated nothing per request on channel 'mutable'");
    fails("the 'server' process should have allocated at least the request size per request on channel 'mutable'",
          "expected every request to allocate at least 4096 B");
}

TEST_F(DuplexSteps, HeldRequestsFailAfterStopAndTheChannelLeavesNothing) {
    ok("the 'server' process starts an immutable 'echo' server on channel 'stop' with payload size '65536' answering "
       "only the first '1' requests");
    ok("the 'client' process connects to channel 'stop' with response payload size '65536'");
    ok("the 'client' process sends '3' requests with size '16'");
    ok("the 'client' process should receive '1' 'echo' responses within '5000' ms");
    fails("the 'client' process should fail to receive the '3' pending responses with 'WriterDead' within '100' ms",
          "found 2");
    ok("the 'server' process stops the server on channel 'stop'");
    ok("the 'client' process should fail to receive the '2' pending responses with 'WriterDead' within '5000' ms");
    fails("the 'server' process should see no shared memory left for channel 'stop'", "_response");
    ok("the 'client' process disconnects from channel 'stop'");
    ok("the 'server' process should see no shared memory left for channel 'stop'");
}

TEST(AllocationCounter, CountsTheBytesThisThreadAllocates) {
    std::uint64_t before = zbserve::step_definitions::thread_allocated_bytes();
    auto block = std::make_unique<std::array<char, 1000>>();
    EXPECT_GE(zbserve::step_definitions::thread_allocated_bytes() - before, 1000u);
}

}  // namespace
