// Reading frames: one, many in order, none, or an expected failure.
#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "step_definitions/support/patterns.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"
#include "step_definitions/support/timing.hpp"

namespace zbserve::step_definitions {

using namespace phrases;

namespace {

constexpr auto READ_TIMEOUT = ZeroBufferContext::READ_TIMEOUT;

// Reads the next frame and checks it; the reader's progress follows whatever frame arrived.
void read_one(ZeroBufferContext& state, std::uint64_t sequence, std::size_t size) {
    zerobuffer::Reader& reader = state.reader();
    zerobuffer::Frame frame = state.read_frame(reader, READ_TIMEOUT);
    if (frame.valid()) state.last_sequence() = frame.sequence();
    check_frame(frame, reader.name(), sequence, size, READ_TIMEOUT);
    frame.release();
}

void read_in_order(ScenarioContext& ctx, std::uint64_t count, std::size_t size, std::chrono::milliseconds delay,
                   StepResult& r) {
    auto& state = zb(ctx);
    std::uint64_t first = state.last_sequence() + 1;
    for (std::uint64_t i = 0; i < count; ++i) {
        if (delay.count() > 0) ctx.sleep_for(delay);
        try {
            read_one(state, state.last_sequence() + 1, size);
        } catch (const AssertionFailed& e) {
            throw AssertionFailed(std::string(e.what()) + " [frame " + std::to_string(i + 1) + " of " +
                                  std::to_string(count) + "]");
        }
    }
    r.data["buffer"] = state.reader().name();
    r.data["count"] = count;
    r.data["size"] = size;
    r.data["firstSequence"] = first;
    r.data["lastSequence"] = state.last_sequence();
}

}  // namespace

void register_frame_reading_steps(steps::StepRegistry& registry) {
    registry.then(ROLE + "should read frame with sequence " + COUNT + " and size " + COUNT,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      auto& state = zb(ctx);
                      std::uint64_t sequence = steps::to_uint(a[1]);
                      std::size_t size = steps::to_uint(a[2]);
                      read_one(state, sequence, size);
                      r.data["buffer"] = state.reader().name();
                      r.data["sequence"] = sequence;
                      r.data["size"] = size;
                  });

    registry.then(ROLE + "should read " + COUNT + " frames with size " + COUNT + " in order",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      read_in_order(ctx, steps::to_uint(a[1]), steps::to_uint(a[2]), std::chrono::milliseconds(0), r);
                  });

    registry.then(ROLE + "should read " + COUNT + " frames with size " + COUNT + " in order with " + COUNT + " ms delay",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      read_in_order(ctx, steps::to_uint(a[1]), steps::to_uint(a[2]), steps::to_ms(a[3]), r);
                  });

    registry.then(ROLE + "should receive no frame within " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      auto& state = zb(ctx);
                      zerobuffer::Reader& reader = state.reader();
                      zerobuffer::Frame frame = state.read_frame(reader, steps::to_ms(a[1]));
                      r.data["buffer"] = reader.name();
                      if (frame.valid()) {
                          state.last_sequence() = frame.sequence();
                          throw AssertionFailed("buffer '" + reader.name() + "': expected no frame within " + a[1] +
                                                " ms, got sequence " + std::to_string(frame.sequence()) + " of size " +
                                                std::to_string(frame.size()));
                      }
                      r.data["received"] = false;
                  });

    registry.then(ROLE + "should fail to read a frame within " + COUNT + " ms with " + KIND,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      auto& state = zb(ctx);
                      zerobuffer::Reader& reader = state.reader();
                      auto timeout = steps::to_ms(a[1]);
                      r.data["buffer"] = reader.name();
                      expect_error(a[2], "reading a frame from buffer '" + reader.name() + "' within " + a[1] + " ms", r,
                                   [&] {
                                       zerobuffer::Frame frame = state.read_frame(reader, timeout);
                                       if (frame.valid()) state.last_sequence() = frame.sequence();
                                   });
                  });

    // One read with the whole timeout (not sliced): the library may only report the dead writer once
    // that read has waited its timeout out.
    registry.then(ROLE + "should fail to read a frame with " + KIND + " after waiting " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      auto& state = zb(ctx);
                      zerobuffer::Reader& reader = state.reader();
                      auto timeout = steps::to_ms(a[2]);
                      r.data["buffer"] = reader.name();
                      Stopwatch watch;
                      expect_error(a[1], "reading a frame from buffer '" + reader.name() + "' with a " + a[2] + " ms timeout",
                                   r, [&] {
                                       zerobuffer::Frame frame = reader.read_frame(timeout);
                                       if (frame.valid()) state.last_sequence() = frame.sequence();
                                   });
                      expect_waited(watch.elapsed(), timeout, "the read's " + a[1], r);
                  });
}

}  // namespace zbserve::step_definitions
