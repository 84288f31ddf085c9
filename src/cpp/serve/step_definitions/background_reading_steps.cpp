// Reading a frame in the background: start one blocked read, join it (it must fail, and only after waiting).
#include <cmath>

#include "logging/log_capture.hpp"
#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"

namespace zbserve::step_definitions {

using namespace phrases;
using steps::BackgroundWork;

namespace {

// The background read started last and not yet joined, or AssertionFailed.
BackgroundWork& latest_read(ScenarioContext& ctx) {
    for (auto it = ctx.background.rbegin(); it != ctx.background.rend(); ++it) {
        if ((*it)->reads) return **it;
    }
    throw AssertionFailed("no background read was started in this scenario");
}

// What a finished read ended with, for a failure message.
std::string outcome(const BackgroundWork& work) {
    if (auto error = work.error()) return "failed with '" + classify_zerobuffer_error(error).value_or("a non-library error") +
                                          "' (" + steps::describe(error) + ")";
    if (work.progress.load() > 0) return "read frame " + std::to_string(work.last_sequence.load()) + " (" +
                                         std::to_string(work.last_size.load()) + " B)";
    return "timed out with no frame and no error";
}

}  // namespace

void register_background_reading_steps(steps::StepRegistry& registry) {
    registry.when(ROLE + "starts reading a frame in the background with timeout " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      auto& state = zb(ctx);
                      zerobuffer::Reader& reader = state.reader();
                      state.check_not_reading();
                      std::uint64_t& consumed = state.last_sequence();  // a std::map node: stays put
                      auto timeout = steps::to_ms(a[1]);
                      std::string what = "read of '" + reader.name() + "' with a " + a[1] + " ms timeout";
                      // One library call with the whole timeout: the library's own waiting is what is timed.
                      auto work = std::make_unique<BackgroundWork>(
                          what, [&reader, &consumed, timeout, what](BackgroundWork& self) {
                              zerobuffer::Frame frame = reader.read_frame(timeout);
                              if (frame.valid()) {
                                  consumed = frame.sequence();
                                  self.last_sequence = frame.sequence();
                                  self.last_size = frame.size();
                                  self.progress = 1;
                                  frame.release();
                              }
                              log_info("background " + what + ": " + (self.progress.load() ? "read a frame" : "no frame"));
                          });
                      work->reads = true;
                      work->role = a[0];
                      ctx.background.push_back(std::move(work));
                      r.data["buffer"] = reader.name();
                      r.data["timeoutMs"] = timeout.count();
                  });

    registry.then(ROLE + "should stop reading with " + KIND + " after at least " + COUNT + " ms and within " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      BackgroundWork& work = latest_read(ctx);
                      const std::string& expected = a[1];
                      if (!work.wait_for(steps::to_ms(a[3]))) {
                          throw AssertionFailed("background " + work.description() + " did not stop with '" + expected +
                                                "' within " + a[3] + " ms: it is still reading");
                      }
                      work.join();
                      double elapsed = work.elapsed().count();
                      std::string description = work.description();
                      std::string ended = outcome(work);
                      auto error = work.error();
                      auto kind = error ? classify_zerobuffer_error(error) : std::nullopt;
                      // Joined: forget it, so a later start or join sees only newer work.
                      std::erase_if(ctx.background, [&](const std::unique_ptr<BackgroundWork>& w) { return w.get() == &work; });
                      if (kind != expected) {
                          throw AssertionFailed("background " + description + " was expected to stop with '" + expected +
                                                "', but it " + ended);
                      }
                      if (elapsed < static_cast<double>(steps::to_ms(a[2]).count())) {
                          throw AssertionFailed("background " + description + " stopped with '" + expected + "' after " +
                                                std::to_string(std::lround(elapsed)) + " ms, before " + a[2] +
                                                " ms: it did not wait");
                      }
                      r.data["buffer"] = zb(ctx).current_buffer();
                      r.data["errorType"] = *kind;
                      r.data["elapsedMs"] = std::round(elapsed * 10.0) / 10.0;
                      log_info("background " + description + " stopped with " + *kind + " as expected");
                  });
}

}  // namespace zbserve::step_definitions
