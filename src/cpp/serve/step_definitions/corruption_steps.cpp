// Corrupting a live buffer through the diagnostics API, and the errors that must follow (feature 10):
// a corrupt OIEB is InvalidOieb, a corrupt frame header InvalidFrameSize, never a crash or a hang.
#include <stdexcept>

#include "logging/log_capture.hpp"
#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "step_definitions/support/next_unread_frame.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"
#include "zerobuffer/inspect.hpp"
#include "zerobuffer/writer.hpp"

namespace zbserve::step_definitions {

using namespace phrases;

namespace {

// What an error message must name: any text without a quote.
const std::string TEXT = "'([^']+)'";

// The failure's message (recorded by expect_error) must contain text (PROTOCOL.md §5/§4: errors name
// the offending field or value).
void expect_named(StepResult& r, const std::string& what, const std::string& kind, const std::string& text) {
    const std::string message = r.data.value("message", std::string());
    if (message.find(text) == std::string::npos) {
        throw AssertionFailed("expected " + what + " to fail with '" + kind + "' naming '" + text +
                              "', but its message does not: " + message);
    }
    r.data["named"] = text;
}

}  // namespace

void register_corruption_steps(steps::StepRegistry& registry) {
    registry.when(ROLE + "sets OIEB field " + TEXT + " to " + COUNT, [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
        const std::string& name = zb(ctx).current_buffer();
        const std::uint64_t value = steps::to_uint(a[2]);
        try {
            zerobuffer::write_oieb_field(name, a[1], value);
        } catch (const std::invalid_argument& e) {
            throw AssertionFailed("'" + a[1] + "' is not an OIEB field: " + e.what());
        }
        log_info("set OIEB field " + a[1] + " of '" + name + "' to " + a[2]);
        r.data["buffer"] = name;
        r.data["field"] = a[1];
        r.data["value"] = value;
    });

    registry.when(ROLE + "sets the payload size of the next unread frame to " + COUNT,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string& name = zb(ctx).current_buffer();
                      const std::uint64_t size = steps::to_uint(a[1]);
                      const HeaderEdit edit = set_next_unread_frame_field(name, HeaderField::payload_size, size);
                      r.data["buffer"] = name;
                      r.data["offset"] = edit.offset;
                      r.data["previousSize"] = edit.previous;
                      r.data["size"] = size;
                  });

    registry.then(ROLE + "should fail to connect to buffer " + NAME + " with " + KIND + " naming " + TEXT,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string name = zb(ctx).buffer_name(a[1]);
                      const std::string what = "connecting to buffer '" + name + "'";
                      r.data["buffer"] = name;
                      expect_error(a[2], what, r, [&] { zerobuffer::Writer writer(name); });
                      expect_named(r, what, a[2], a[3]);
                  });

    registry.then(ROLE + "should fail to read a frame with " + KIND + " naming " + TEXT,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      auto& state = zb(ctx);
                      zerobuffer::Reader& reader = state.reader();
                      const std::string what = "reading a frame from buffer '" + reader.name() + "'";
                      r.data["buffer"] = reader.name();
                      expect_error(a[1], what, r, [&] {
                          zerobuffer::Frame frame = state.read_frame(reader, ZeroBufferContext::READ_TIMEOUT);
                          if (frame.valid()) state.last_sequence() = frame.sequence();
                      });
                      expect_named(r, what, a[1], a[2]);
                  });

    registry.then(ROLE + "should fail to read metadata with " + KIND, [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
        zerobuffer::Reader& reader = zb(ctx).reader();
        r.data["buffer"] = reader.name();
        expect_error(a[1], "reading the metadata of buffer '" + reader.name() + "'", r, [&] { (void)reader.get_metadata(); });
    });
}

}  // namespace zbserve::step_definitions
