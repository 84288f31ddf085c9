// What the reader sees is what the writer wrote (feature 07): corrupted sequences, multi-field records.
#include <cstdio>
#include <memory>

#include "logging/log_capture.hpp"
#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/cpu_load.hpp"
#include "step_definitions/support/next_unread_frame.hpp"
#include "step_definitions/support/records.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"
#include "zerobuffer/errors.hpp"
#include "zerobuffer/inspect.hpp"

namespace zbserve::step_definitions {

using namespace phrases;
using steps::BackgroundWork;

namespace {

constexpr auto READ_TIMEOUT = ZeroBufferContext::READ_TIMEOUT;

std::string hex(std::uint64_t value) {
    char text[24];
    std::snprintf(text, sizeof text, "0x%016llx", static_cast<unsigned long long>(value));
    return text;
}

bool names(const std::string& message, std::uint64_t number) {
    return message.find(std::to_string(number)) != std::string::npos;
}

}  // namespace

void register_integrity_steps(steps::StepRegistry& registry) {
    registry.when(ROLE + "sets the sequence of the next unread frame to " + COUNT,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string& name = zb(ctx).current_buffer();
                      const std::uint64_t sequence = steps::to_uint(a[1]);
                      const HeaderEdit edit = set_next_unread_frame_field(name, HeaderField::sequence, sequence);
                      r.data["buffer"] = name;
                      r.data["offset"] = edit.offset;
                      r.data["previousSequence"] = edit.previous;
                      r.data["sequence"] = sequence;
                  });

    registry.then(ROLE + "should fail to read a frame with 'SequenceError' naming expected " + COUNT + " and actual " + COUNT,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      auto& state = zb(ctx);
                      zerobuffer::Reader& reader = state.reader();
                      const std::uint64_t expected = steps::to_uint(a[1]);
                      const std::uint64_t actual = steps::to_uint(a[2]);
                      r.data["buffer"] = reader.name();
                      std::string outcome;
                      try {
                          zerobuffer::Frame frame = state.read_frame(reader, READ_TIMEOUT);
                          if (frame.valid()) {
                              state.last_sequence() = frame.sequence();
                              outcome = "it returned frame " + std::to_string(frame.sequence()) + " (" +
                                        std::to_string(frame.size()) + " B)";
                          } else {
                              outcome = "no frame arrived within " + std::to_string(READ_TIMEOUT.count()) + " ms";
                          }
                      } catch (const zerobuffer::SequenceErrorException& e) {
                          const std::string message = e.what();
                          if (e.expected() != expected || e.got() != actual || !names(message, expected) ||
                              !names(message, actual)) {
                              throw AssertionFailed("buffer '" + reader.name() + "': expected a SequenceError naming expected " +
                                                    a[1] + " and actual " + a[2] + ", but it carries expected " +
                                                    std::to_string(e.expected()) + ", got " + std::to_string(e.got()) + ": " +
                                                    message);
                          }
                          r.data["errorType"] = e.kind();
                          r.data["expected"] = e.expected();
                          r.data["actual"] = e.got();
                          return;
                      } catch (const zerobuffer::ZeroBufferException& e) {
                          throw AssertionFailed("buffer '" + reader.name() +
                                                "': expected the read to fail with 'SequenceError', but it failed with '" +
                                                e.kind() + "': " + e.what());
                      }
                      throw AssertionFailed("buffer '" + reader.name() + "': expected the read to fail with 'SequenceError' (expected " +
                                            a[1] + ", actual " + a[2] + "), but " + outcome);
                  });

    registry.when(ROLE + "starts writing " + COUNT + " records of " + COUNT + " fields under CPU load in the background",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::uint64_t count = steps::to_uint(a[1]);
                      const std::size_t fields = steps::to_uint(a[2]);
                      auto writer = zb(ctx).writer();
                      std::string what = "writing " + a[1] + " records of " + a[2] + " fields to '" + writer->name() +
                                         "' under CPU load";
                      auto work = std::make_unique<BackgroundWork>(what, [writer, count, fields, what](BackgroundWork& self) {
                          CpuLoad load;
                          for (std::uint64_t i = 0; i < count && !self.cancel_requested(); ++i) {
                              self.last_sequence = write_record(*writer, fields);
                              self.progress = i + 1;
                          }
                          log_info("background " + what + ": wrote " + std::to_string(self.progress.load()) + " records");
                      });
                      work->goal = count;
                      work->role = a[0];
                      ctx.background.push_back(std::move(work));
                      r.data["buffer"] = writer->name();
                      r.data["count"] = count;
                      r.data["fields"] = fields;
                      r.data["size"] = fields * RECORD_FIELD_SIZE;
                  });

    registry.then(ROLE + "should read " + COUNT + " records of " + COUNT + " fields in order, each whole",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      auto& state = zb(ctx);
                      zerobuffer::Reader& reader = state.reader();
                      const std::uint64_t count = steps::to_uint(a[1]);
                      const std::size_t fields = steps::to_uint(a[2]);
                      const std::size_t size = fields * RECORD_FIELD_SIZE;
                      const std::uint64_t first = state.last_sequence() + 1;
                      for (std::uint64_t i = 0; i < count; ++i) {
                          const std::uint64_t expected = state.last_sequence() + 1;
                          zerobuffer::Frame frame = state.read_frame(reader, READ_TIMEOUT);
                          if (!frame.valid()) {
                              throw AssertionFailed("buffer '" + reader.name() + "': no record within " +
                                                    std::to_string(READ_TIMEOUT.count()) + " ms (record " + std::to_string(i + 1) +
                                                    " of " + a[1] + "); expected record " + std::to_string(expected));
                          }
                          state.last_sequence() = frame.sequence();
                          if (frame.sequence() != expected || frame.size() != size) {
                              throw AssertionFailed("buffer '" + reader.name() + "': expected record " + std::to_string(expected) +
                                                    " of " + std::to_string(size) + " B, but read frame " +
                                                    std::to_string(frame.sequence()) + " of " + std::to_string(frame.size()) + " B");
                          }
                          const auto* data = static_cast<const std::uint8_t*>(static_cast<const zerobuffer::Frame&>(frame).data());
                          if (auto wrong = find_wrong_field(data, frame.size(), frame.sequence())) {
                              throw AssertionFailed("buffer '" + reader.name() + "': record " + std::to_string(frame.sequence()) +
                                                    " is half-written: field " + std::to_string(wrong->index) + " of " + a[2] +
                                                    " is " + hex(wrong->value) + ", expected " +
                                                    hex(record_field(frame.sequence(), wrong->index)));
                          }
                          frame.release();
                      }
                      r.data["buffer"] = reader.name();
                      r.data["count"] = count;
                      r.data["firstSequence"] = first;
                      r.data["lastSequence"] = state.last_sequence();
                  });
}

}  // namespace zbserve::step_definitions
