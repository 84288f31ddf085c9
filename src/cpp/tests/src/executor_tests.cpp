// The step executor really abandons an overrunning step and keeps serving.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "steps/step_executor.hpp"

using namespace std::chrono_literals;
using zbserve::steps::StepExecutor;
using zbserve::steps::StepResult;

TEST(StepExecutor, ReturnsTheResult) {
    StepExecutor ex;
    auto r = ex.run([] {
        StepResult s;
        s.data["x"] = 1;
        return s;
    }, 1000ms);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->data["x"], 1);
}

TEST(StepExecutor, AbandonsAHungStepAndServesTheNextOne) {
    StepExecutor ex;
    auto release = std::make_shared<std::promise<void>>();
    std::shared_future<void> released = release->get_future().share();
    auto start = std::chrono::steady_clock::now();
    auto r = ex.run([released] {
        released.wait();
        return StepResult{};
    }, 100ms);
    EXPECT_FALSE(r.has_value());
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    EXPECT_EQ(ex.abandoned_running(), 1);
    auto next = ex.run([] { return StepResult::failure("X", "y"); }, 1000ms);
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(next->error_type, "X");
    release->set_value();
    // The abandoned thread ends on its own; poll for it with a generous deadline.
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (ex.abandoned_running() > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(ex.abandoned_running(), 0);
}

TEST(StepExecutor, ExceptionsBecomeUnhandledException) {
    StepExecutor ex;
    auto r = ex.run([]() -> StepResult { throw std::runtime_error("bad"); }, 1000ms);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->error_type, "UnhandledException");
    EXPECT_EQ(r->error, "bad");
}

TEST(StepExecutor, NoTimeoutWaitsForever) {
    StepExecutor ex;
    auto r = ex.run([] {
        std::this_thread::sleep_for(150ms);
        return StepResult{};
    }, std::nullopt);
    EXPECT_TRUE(r.has_value());
}

TEST(StepExecutor, StopAbandonsTheJobWithoutWaitingForItsTimeout) {
    StepExecutor ex;
    auto release = std::make_shared<std::promise<void>>();
    std::shared_future<void> released = release->get_future().share();
    std::atomic<bool> stop{true};
    auto start = std::chrono::steady_clock::now();
    auto r = ex.run([released] {
        released.wait();
        return StepResult{};
    }, 30s, &stop);
    EXPECT_FALSE(r.has_value());
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    release->set_value();
}
