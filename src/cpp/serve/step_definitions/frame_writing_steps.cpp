// Writing frames in the foreground.
#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "step_definitions/support/patterns.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"
#include "step_definitions/support/timing.hpp"

namespace zbserve::step_definitions {

using namespace phrases;

void register_frame_writing_steps(steps::StepRegistry& registry) {
    registry.when(ROLE + "writes frame with size " + COUNT, [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
        std::size_t size = steps::to_uint(a[1]);
        auto writer = zb(ctx).writer();
        r.data["buffer"] = writer->name();
        r.data["sequence"] = write_pattern_frame(*writer, size);
        r.data["size"] = size;
    });

    registry.when(ROLE + "writes " + COUNT + " frames with size " + COUNT,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::uint64_t count = steps::to_uint(a[1]);
                      std::size_t size = steps::to_uint(a[2]);
                      auto writer = zb(ctx).writer();
                      std::uint64_t first = 0, last = 0;
                      for (std::uint64_t i = 0; i < count; ++i) {
                          ctx.check_cancelled();
                          last = write_pattern_frame(*writer, size);
                          if (i == 0) first = last;
                      }
                      r.data["buffer"] = writer->name();
                      r.data["count"] = count;
                      r.data["size"] = size;
                      r.data["firstSequence"] = first;
                      r.data["lastSequence"] = last;
                  });

    registry.then(ROLE + "should fail to write frame with size " + COUNT + " with " + KIND,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::size_t size = steps::to_uint(a[1]);
                      auto writer = zb(ctx).writer();
                      Stopwatch watch;
                      r.data["buffer"] = writer->name();
                      expect_error(a[2], "writing a frame of " + a[1] + " bytes to buffer '" + writer->name() + "'", r,
                                   [&] { write_pattern_frame(*writer, size); });
                      r.data["elapsedMs"] = watch.elapsed().count();
                  });

    registry.then(ROLE + "should fail to write frame with size " + COUNT + " with " + KIND + " after the write timeout",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::size_t size = steps::to_uint(a[1]);
                      auto writer = zb(ctx).writer();
                      auto timeout = writer->get_write_timeout();
                      r.data["buffer"] = writer->name();
                      r.data["writeTimeoutMs"] = timeout.count();
                      Stopwatch watch;
                      expect_error(a[2], "writing a frame of " + a[1] + " bytes to buffer '" + writer->name() + "'", r,
                                   [&] { write_pattern_frame(*writer, size); });
                      expect_waited(watch.elapsed(), timeout, "the write's " + a[2], r);
                  });
}

}  // namespace zbserve::step_definitions
