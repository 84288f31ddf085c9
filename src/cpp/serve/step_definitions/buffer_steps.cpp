// Creating buffers, connecting writers, write timeouts and connection state.
#include "logging/log_capture.hpp"
#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"
#include "zerobuffer/config.hpp"

namespace zbserve::step_definitions {

using namespace phrases;

namespace {

void expect_connected(const std::string& buffer, const char* peer, bool expected, bool actual, StepResult& r) {
    r.data["buffer"] = buffer;
    r.data["connected"] = actual;
    if (actual != expected) {
        throw AssertionFailed("buffer '" + buffer + "': expected the " + peer + " " +
                              (expected ? "connected" : "disconnected") + ", but it is " +
                              (actual ? "connected" : "disconnected"));
    }
}

}  // namespace

void register_buffer_steps(steps::StepRegistry& registry) {
    registry.given(ROLE + "creates buffer " + NAME + " with metadata size " + COUNT + " and payload size " + COUNT,
                   [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                       auto& state = zb(ctx);
                       std::string name = state.buffer_name(a[1]);
                       zerobuffer::BufferConfig config(steps::to_uint(a[2]), steps::to_uint(a[3]));
                       state.add_reader(name, std::make_unique<zerobuffer::Reader>(name, config));
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
        state.connect(name);
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
                      expect_connected(writer->name(), "reader", a[1] == "connected", writer->is_reader_connected(), r);
                  });

    registry.then(ROLE + "should see the writer (connected|disconnected)",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      zerobuffer::Reader& reader = zb(ctx).reader();
                      expect_connected(reader.name(), "writer", a[1] == "connected", reader.is_writer_connected(), r);
                  });
}

}  // namespace zbserve::step_definitions
