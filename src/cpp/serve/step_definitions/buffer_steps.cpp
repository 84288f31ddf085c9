// Creating buffers, connecting writers, write timeouts and connection state.
#include "logging/log_capture.hpp"
#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "step_definitions/support/polling.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"
#include "zerobuffer/config.hpp"

namespace zbserve::step_definitions {

using namespace phrases;

namespace {

// A polling phrase (STEPS.md): the peer's state must become the expected one within POLL_LIMIT.
void expect_connected(ScenarioContext& ctx, const std::string& buffer, const char* peer, bool expected,
                      const std::function<bool()>& connected, StepResult& r) {
    std::chrono::milliseconds elapsed{0};
    bool actual = poll_for(ctx, expected, connected, elapsed);
    r.data["buffer"] = buffer;
    r.data["connected"] = actual;
    r.data["elapsedMs"] = elapsed.count();
    if (actual != expected) {
        throw AssertionFailed("buffer '" + buffer + "': expected the " + peer + " " +
                              (expected ? "connected" : "disconnected") + " within " +
                              std::to_string(POLL_LIMIT.count()) + " ms, but it is still " +
                              (actual ? "connected" : "disconnected") + " after " + std::to_string(elapsed.count()) +
                              " ms");
    }
}

}  // namespace

void register_buffer_steps(steps::StepRegistry& registry) {
    // Sizes go to the library as parsed (STEPS.md "Sizes"): a negative one wraps to a size far past
    // any limit, which the library refuses with InvalidConfig as it refuses zero.
    registry.given(ROLE + "creates buffer " + NAME + " with metadata size " + SIGNED + " and payload size " + SIGNED,
                   [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                       auto& state = zb(ctx);
                       std::string name = state.buffer_name(a[1]);
                       zerobuffer::BufferConfig config(static_cast<std::size_t>(steps::to_int(a[2])),
                                                       static_cast<std::size_t>(steps::to_int(a[3])));
                       state.add_reader(name, std::make_unique<zerobuffer::Reader>(name, config), a[0]);
                       log_info("created buffer '" + name + "' (metadata " + a[2] + ", payload " + a[3] + ")");
                       r.data["buffer"] = name;
                       r.data["metadataSize"] = config.metadata_size;
                       r.data["payloadSize"] = config.payload_size;
                   });

    registry.then(ROLE + "should fail to create buffer " + NAME + " with " + KIND,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::string name = zb(ctx).buffer_name(a[1]);
                      r.data["buffer"] = name;
                      expect_error(a[2], "creating buffer '" + name + "'", r,
                                   [&] { zerobuffer::Reader reader(name, zerobuffer::BufferConfig(1024, 10240)); });
                  });

    registry.given(ROLE + "connects to buffer " + NAME, [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
        auto& state = zb(ctx);
        std::string name = state.buffer_name(a[1]);
        state.connect(name, a[0]);
        log_info("connected to buffer '" + name + "'");
        r.data["buffer"] = name;
    });

    registry.then(ROLE + "should fail to connect to buffer " + NAME + " with " + KIND,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::string name = zb(ctx).buffer_name(a[1]);
                      r.data["buffer"] = name;
                      expect_error(a[2], "connecting to buffer '" + name + "'", r, [&] { zerobuffer::Writer writer(name); });
                  });

    registry.given(ROLE + "sets write timeout to " + COUNT + " ms", [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
        auto& state = zb(ctx);
        state.write_timeout = steps::to_ms(a[1]);
        if (state.has_writer()) state.writer()->set_write_timeout(*state.write_timeout);
        r.data["writeTimeoutMs"] = state.write_timeout->count();
    });

    registry.then(ROLE + "should see the reader (connected|disconnected)",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      auto writer = zb(ctx).writer();
                      expect_connected(ctx, writer->name(), "reader", a[1] == "connected",
                                       [&] { return writer->is_reader_connected(); }, r);
                  });

    registry.then(ROLE + "should see the writer (connected|disconnected)",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      zerobuffer::Reader& reader = zb(ctx).reader();
                      expect_connected(ctx, reader.name(), "writer", a[1] == "connected",
                                       [&] { return reader.is_writer_connected(); }, r);
                  });
}

}  // namespace zbserve::step_definitions
