// Writing frames in the background: start, check it is still blocked, join it.
#include "logging/log_capture.hpp"
#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "step_definitions/support/patterns.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"

namespace zbserve::step_definitions {

using namespace phrases;
using steps::BackgroundWork;

void register_background_writing_steps(steps::StepRegistry& registry) {
    registry.when(ROLE + "starts writing " + COUNT + " frames with size " + COUNT + " in the background",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::uint64_t count = steps::to_uint(a[1]);
                      std::size_t size = steps::to_uint(a[2]);
                      auto writer = zb(ctx).writer();
                      std::string what = "writing " + a[1] + " frames of " + a[2] + " bytes to '" + writer->name() + "'";
                      auto work = std::make_unique<BackgroundWork>(
                          what, [writer, count, size, what](BackgroundWork& self) {
                              for (std::uint64_t i = 0; i < count && !self.cancel_requested(); ++i) {
                                  self.last_sequence = write_pattern_frame(*writer, size);
                                  self.progress = i + 1;
                              }
                              log_info("background " + what + ": wrote " + std::to_string(self.progress.load()) + " frames");
                          });
                      work->goal = count;
                      work->role = a[0];
                      ctx.background.push_back(std::move(work));
                      r.data["buffer"] = writer->name();
                      r.data["count"] = count;
                      r.data["size"] = size;
                  });

    registry.then(ROLE + "should still be writing after " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      BackgroundWork& work = ctx.latest_background();
                      bool finished = work.wait_for(steps::to_ms(a[1]));
                      r.data["written"] = work.progress.load();
                      if (finished) {
                          std::string why = "finished";
                          if (auto error = work.error()) why = "failed (" + steps::describe(error) + ")";
                          throw AssertionFailed("background " + work.description() + " " + why + " within " + a[1] +
                                                " ms after writing " + std::to_string(work.progress.load()) +
                                                " frames; expected it to still be blocked");
                      }
                  });

    registry.then(ROLE + "should finish writing within " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      BackgroundWork& work = ctx.latest_background();
                      if (!work.wait_for(steps::to_ms(a[1]))) {
                          throw AssertionFailed("background " + work.description() + " is still running after " + a[1] +
                                                " ms (" + std::to_string(work.progress.load()) + " frames written)");
                      }
                      work.join();
                      r.data["written"] = work.progress.load();
                      r.data["lastSequence"] = work.last_sequence.load();
                      if (auto error = work.error()) {
                          throw background_failure(error, "background " + work.description() + " failed after " +
                                                              std::to_string(work.progress.load()) + " frames");
                      }
                      if (work.progress.load() != work.goal) {
                          throw AssertionFailed("background " + work.description() + " ended after writing " +
                                                std::to_string(work.progress.load()) + " of " +
                                                std::to_string(work.goal) + " frames");
                      }
                  });

    registry.then(ROLE + "should stop writing with " + KIND + " within " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      BackgroundWork& work = ctx.latest_background();
                      const std::string& expected = a[1];
                      if (!work.wait_for(steps::to_ms(a[2]))) {
                          throw AssertionFailed("background " + work.description() + " is still running after " + a[2] +
                                                " ms (" + std::to_string(work.progress.load()) +
                                                " frames written); expected it to stop with '" + expected + "'");
                      }
                      work.join();
                      r.data["written"] = work.progress.load();
                      auto error = work.error();
                      if (!error) {
                          throw AssertionFailed("background " + work.description() + " finished after writing " +
                                                std::to_string(work.progress.load()) + " frames; expected it to stop with '" +
                                                expected + "'");
                      }
                      auto kind = classify_zerobuffer_error(error);
                      if (kind != expected) {
                          throw AssertionFailed("background " + work.description() + " stopped with '" +
                                                kind.value_or("a non-library error") + "' (" + steps::describe(error) +
                                                "); expected '" + expected + "'");
                      }
                      r.data["errorType"] = *kind;
                      log_info("background " + work.description() + " stopped with " + *kind + " after " +
                               std::to_string(work.progress.load()) + " frames");
                  });
}

}  // namespace zbserve::step_definitions
