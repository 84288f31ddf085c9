// The OIEB and semaphore phrases, stale resources, the timing phrases' edges and the conventions
// STEPS.md pins for every step (signed sizes, elapsedMs, UnhandledException naming the type).
#include <stdexcept>

#include "steps/step_arguments.hpp"
#include "steps_fixture.hpp"
#include "zerobuffer/inspect.hpp"

namespace {

class OiebSteps : public zbtest::StepsFixture {
protected:
    void create(const std::string& name) {
        ok("the 'reader' process creates buffer '" + name + "' with metadata size '1024' and payload size '10240'");
        ok("the 'writer' process connects to buffer '" + name + "'");
    }
};

}  // namespace

TEST_F(OiebSteps, FreeBytesAndSignalsFollowAWriteAndARead) {
    create("oieb-signals");
    ok("the 'writer' process writes frame with size '1024'");
    ok("the 'reader' process should see '9200' free payload bytes in the OIEB");
    ok("the 'reader' process should see '1' frame signals pending");
    ok("the 'reader' process should see '0' space signals pending");
    fails("the 'reader' process should see '1' space signals pending", "AssertionFailed");
    ok("the 'reader' process should read frame with sequence '1' and size '1024'");
    ok("the 'reader' process should see '10240' free payload bytes in the OIEB");
    ok("the 'reader' process should see '1' space signals pending");
    ok("the 'reader' process should see '0' frame signals pending");
    fails("the 'reader' process should see '9200' free payload bytes in the OIEB", "AssertionFailed");
}

TEST_F(OiebSteps, PidsRecordedAndNotDead) {
    ok("the 'reader' process creates buffer 'oieb-pids' with metadata size '1024' and payload size '10240'");
    Json r = ok("the 'reader' process should see its pid recorded as the reader in the OIEB");
    EXPECT_EQ(r["data"]["pid"], static_cast<std::uint64_t>(::getpid()));
    fails("the 'reader' process should see its pid recorded as the writer in the OIEB", "AssertionFailed");
    fails("the 'reader' process should see a dead writer pid recorded in the OIEB", "AssertionFailed");  // 0
    fails("the 'reader' process should see a dead reader pid recorded in the OIEB", "AssertionFailed");  // alive
}

TEST_F(OiebSteps, OiebPhrasesWithoutABufferFailClearly) {
    Json r = fails("the 'reader' process should see '0' space signals pending", "AssertionFailed");
    EXPECT_NE(r["error"].get<std::string>().find("no current buffer"), std::string::npos) << r.dump(2);
}

TEST_F(OiebSteps, StaleResourcesAreSeenThenReplacedByAFreshBuffer) {
    ok("the 'reader' process leaves stale resources for buffer 'stale' with payload size '10240'");
    ok("the 'reader' process should see stale resources of buffer 'stale'");
    ok("the 'reader' process should see '3' frame signals pending");
    fails("the 'reader' process should see a fresh buffer 'stale' with payload size '10240'", "AssertionFailed");
    ok("the 'reader' process creates buffer 'stale' with metadata size '1024' and payload size '20480'");
    ok("the 'reader' process should see a fresh buffer 'stale' with payload size '20480'");
    Json r = fails("the 'reader' process should see stale resources of buffer 'stale'", "AssertionFailed");
    EXPECT_NE(r["error"].get<std::string>().find("lock file is held"), std::string::npos) << r.dump(2);
    ok("the 'writer' process connects to buffer 'stale'");
    ok("the 'writer' process writes frame with size '15000'");
    fails("the 'reader' process should see a fresh buffer 'stale' with payload size '20480'", "AssertionFailed");
    ok("the 'reader' process should read frame with sequence '1' and size '15000'");
}

TEST_F(OiebSteps, NoStaleResourcesWhereNothingWasLeft) {
    Json r = fails("the 'reader' process should see stale resources of buffer 'never'", "AssertionFailed");
    EXPECT_NE(r["error"].get<std::string>().find("lock file is missing"), std::string::npos) << r.dump(2);
    EXPECT_NE(r["error"].get<std::string>().find("shared memory is missing"), std::string::npos) << r.dump(2);
}

TEST_F(OiebSteps, FailingAfterWaitingFailsWhenTheReadReturnsEarly) {
    create("early-read");
    // A signalled frame that was never written (sequence 0): the read fails at once with SequenceError.
    zerobuffer::post_semaphore(buffer("early-read"), /*written=*/true);
    Json r = fails("the 'reader' process should fail to read a frame with 'SequenceError' after waiting '500' ms",
                   "AssertionFailed");
    EXPECT_NE(r["error"].get<std::string>().find("did not wait"), std::string::npos) << r.dump(2);
    EXPECT_LT(r["data"]["elapsedMs"].get<long>(), 500);
}

TEST_F(OiebSteps, FailingAfterWaitingNeedsTheFailure) {
    create("no-failure");
    fails("the 'reader' process should fail to read a frame with 'WriterDead' after waiting '100' ms", "AssertionFailed");
}

TEST_F(OiebSteps, FailingAfterTheWriteTimeoutFailsWhenTheWriteFailsAtOnce) {
    create("early-write");
    ok("the 'writer' process sets write timeout to '500' ms");
    Json r = fails("the 'writer' process should fail to write frame with size '20000' with 'FrameTooLarge' after the write timeout",
                   "AssertionFailed");
    EXPECT_NE(r["error"].get<std::string>().find("did not wait"), std::string::npos) << r.dump(2);
    EXPECT_EQ(r["data"]["writeTimeoutMs"], 500);
}

TEST_F(OiebSteps, NegativeAndZeroSizesReachTheLibrary) {
    fails("the 'reader' process creates buffer 'neg' with metadata size '1024' and payload size '-1'", "InvalidConfig");
    fails("the 'reader' process creates buffer 'neg' with metadata size '-5' and payload size '10240'", "InvalidConfig");
    fails("the 'reader' process creates buffer 'zero' with metadata size '1024' and payload size '0'", "InvalidConfig");
}

TEST_F(OiebSteps, EveryStepReportsElapsedMs) {
    create("elapsed");
    for (const char* text : {"the 'writer' process writes frame with size '1024'",
                             "the 'reader' process should read frame with sequence '1' and size '1024'",
                             "the 'writer' process should see the reader connected"}) {
        Json r = ok(text);
        EXPECT_TRUE(r["data"]["elapsedMs"].is_number()) << text << "\n" << r.dump(2);
    }
    Json failed = fails("the 'reader' process should read frame with sequence '9' and size '1024'", "AssertionFailed");
    EXPECT_TRUE(failed["data"].is_object());
}

// Through the invoker alone: a step throwing a non-library exception, and a background job that
// ends early without an error.
namespace {

zbserve::steps::StepResult invoke(const zbserve::steps::StepRegistry& registry,
                                  const std::shared_ptr<zbserve::steps::ScenarioContext>& context, const std::string& text) {
    zbserve::steps::StepMatcher matcher{registry};
    std::atomic<bool> stop{false};
    zbserve::steps::StepInvoker invoker{matcher, {zbserve::step_definitions::classify_zerobuffer_error}, stop};
    zbserve::steps::StepRequest request;
    request.text = text;
    request.timeout = std::chrono::milliseconds(10000);
    return invoker.invoke(context, request);
}

}  // namespace

TEST(StepConventions, UnhandledExceptionNamesTypeAndMessage) {
    zbserve::steps::StepRegistry registry;
    registry.when("boom", [](auto&, const auto&, auto&) { throw std::out_of_range("index 7"); });
    auto r = invoke(registry, std::make_shared<zbserve::steps::ScenarioContext>(), "boom");
    EXPECT_EQ(r.error_type, "UnhandledException");
    EXPECT_NE(r.error.find("std::out_of_range"), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("index 7"), std::string::npos) << r.error;
}

TEST(StepConventions, FinishWritingNeedsEveryFrameWritten) {
    zbserve::steps::StepRegistry registry;
    zbserve::step_definitions::register_all(registry);
    auto context = std::make_shared<zbserve::steps::ScenarioContext>();
    auto work = std::make_unique<zbserve::steps::BackgroundWork>("writing 5 frames", [](auto& self) { self.progress = 3; });
    work->goal = 5;
    context->background.push_back(std::move(work));
    auto r = invoke(registry, context, "the 'writer' process should finish writing within '5000' ms");
    EXPECT_EQ(r.error_type, "AssertionFailed");
    EXPECT_NE(r.error.find("3 of 5"), std::string::npos) << r.error;
}
