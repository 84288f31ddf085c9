// How the writer and the reader wait for each other (feature 06): a blocked writer, pending signals.
#include <chrono>
#include <thread>

#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/timing.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"
#include "zerobuffer/inspect.hpp"

namespace zbserve::step_definitions {

using namespace phrases;
using namespace std::chrono_literals;
using steps::BackgroundWork;

namespace {

// How long background work may take to reach the frames it should block after (STEPS.md polling).
constexpr std::chrono::milliseconds REACH_WITHIN{2000};
constexpr std::chrono::milliseconds POLL_EVERY{10};

void expect_blocked(BackgroundWork& work, std::uint64_t frames, const std::string& when) {
    const std::uint64_t written = work.progress.load();
    if (work.finished()) {
        std::string ending = "finished";
        if (auto error = work.error()) ending = "failed (" + steps::describe(error) + ")";
        throw AssertionFailed("background " + work.description() + " was expected to be blocked after " +
                              std::to_string(frames) + " frames, but it " + ending + " (" + when + ")");
    }
    if (written != frames) {
        throw AssertionFailed("background " + work.description() + " was expected to be blocked after " +
                              std::to_string(frames) + " frames, but it has written " + std::to_string(written) + " (" +
                              when + ")");
    }
}

}  // namespace

void register_synchronization_steps(steps::StepRegistry& registry) {
    registry.then(ROLE + "should be blocked with " + COUNT + " frames written for " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      BackgroundWork& work = ctx.latest_background();
                      const std::uint64_t frames = steps::to_uint(a[1]);
                      const std::chrono::milliseconds hold = steps::to_ms(a[2]);
                      Stopwatch clock;
                      while (work.progress.load() < frames && !work.finished() && clock.elapsed() < REACH_WITHIN) {
                          ctx.sleep_for(POLL_EVERY);
                      }
                      expect_blocked(work, frames, "within " + std::to_string(REACH_WITHIN.count()) + " ms");
                      Stopwatch blocked;
                      while (blocked.elapsed() < hold) {
                          ctx.sleep_for(POLL_EVERY);
                          expect_blocked(work, frames, std::to_string(blocked.elapsed().count()) + " ms after it got there");
                      }
                      r.data["written"] = work.progress.load();
                      r.data["blockedMs"] = blocked.elapsed().count();
                  });

    registry.then(ROLE + "should see " + COUNT + " unread frames and as many frame signals pending",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string& name = zb(ctx).current_buffer();
                      const std::uint64_t expected = steps::to_uint(a[1]);
                      const zerobuffer::Oieb oieb = zerobuffer::inspect_buffer(name).oieb;
                      const std::uint64_t unread = oieb.payload_written_count - oieb.payload_read_count;
                      const int signals = zerobuffer::semaphore_value(name, /*written=*/true);
                      r.data["buffer"] = name;
                      r.data["unread"] = unread;
                      r.data["pending"] = signals;
                      if (unread != expected || signals < 0 || static_cast<std::uint64_t>(signals) != expected) {
                          throw AssertionFailed("buffer '" + name + "': expected " + a[1] +
                                                " unread frames and as many frame (sem-w) signals pending, but the OIEB counts " +
                                                std::to_string(unread) + " unread (written " +
                                                std::to_string(oieb.payload_written_count) + ", read " +
                                                std::to_string(oieb.payload_read_count) + ") and the semaphore's value is " +
                                                std::to_string(signals));
                      }
                  });
}

}  // namespace zbserve::step_definitions
