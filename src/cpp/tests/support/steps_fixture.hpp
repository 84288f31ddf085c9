// One worker's registry, matcher, invoker and methods in the test process (same-process mode: one
// shared context), composed as main() composes them, and a fixture that runs step texts on it.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include <nlohmann/json.hpp>

#include "logging/log_capture.hpp"
#include "rpc/worker_methods.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "steps/step_invoker.hpp"
#include "steps/step_matcher.hpp"
#include "test_support.hpp"

namespace zbtest {

struct InProcessWorker {
    InProcessWorker() { zbserve::step_definitions::register_all(registry); }
    zbserve::steps::StepRegistry registry;
    zbserve::steps::StepMatcher matcher{registry};
    std::atomic<bool> stop{false};
    zbserve::steps::StepInvoker invoker{matcher, {zbserve::step_definitions::classify_zerobuffer_error}, stop};
    zbserve::rpc::WorkerMethods methods{registry, invoker};
};

class StepsFixture : public ::testing::Test {
protected:
    using Json = nlohmann::json;

    void SetUp() override {
        // The worker mirrors logs to stderr; in these in-process tests that is only noise.
        zbserve::LogCapture::instance().set_mirror(false);
        run_id_ = zbtest::buffer_name("run");
        service_.initialize(Json{{"role", "reader"}, {"roles", {"reader", "writer"}}, {"runId", run_id_},
                                 {"mode", "same-process"}, {"scenario", "t"}, {"feature", "f"}, {"platform", "cpp"}});
    }
    void TearDown() override {
        service_.cleanup(Json::object());
        EXPECT_TRUE(zbtest::leftovers(run_id_).empty());
    }

    Json step(const std::string& text, int timeout_ms = 30000) {
        return service_.execute_step(Json{{"process", "x"}, {"stepType", "when"}, {"step", text}, {"timeoutMs", timeout_ms}});
    }
    Json ok(const std::string& text) {
        Json r = step(text);
        EXPECT_TRUE(r["success"].get<bool>()) << text << "\n" << r.dump(2);
        return r;
    }
    Json fails(const std::string& text, const std::string& error_type, int timeout_ms = 30000) {
        Json r = step(text, timeout_ms);
        EXPECT_FALSE(r["success"].get<bool>()) << text;
        EXPECT_EQ(r["errorType"], error_type) << text << "\n" << r.dump(2);
        return r;
    }
    // "<runId>-<name>", the name a feature's buffer gets.
    std::string buffer(const std::string& name) const { return run_id_ + "-" + name; }

    std::string run_id_;
    InProcessWorker worker_;
    zbserve::rpc::WorkerMethods& service_ = worker_.methods;
};

}  // namespace zbtest
