// A buffer's OS objects and names on this platform (feature 08): maximum-length names, the files in
// /dev/shm and the lock directory and their modes, a graceful close, names refused before any OS call.
#include <cstdio>

#include "logging/log_capture.hpp"
#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"
#include "zerobuffer/config.hpp"
#include "zerobuffer/inspect.hpp"

namespace zbserve::step_definitions {

using namespace phrases;

namespace {

const std::string PADDED = " padded to " + COUNT + " characters";

std::string octal(unsigned mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", mode);
    return text;
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
    std::string text;
    for (const auto& part : parts) text += (text.empty() ? "" : separator) + part;
    return text;
}

}  // namespace

void register_platform_steps(steps::StepRegistry& registry) {
    registry.given(ROLE + "creates buffer " + NAME + PADDED + " with metadata size " + SIGNED + " and payload size " + SIGNED,
                   [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                       auto& state = zb(ctx);
                       std::string name = state.padded_buffer_name(a[1], steps::to_uint(a[2]));
                       zerobuffer::BufferConfig config(static_cast<std::size_t>(steps::to_int(a[3])),
                                                       static_cast<std::size_t>(steps::to_int(a[4])));
                       state.add_reader(name, std::make_unique<zerobuffer::Reader>(name, config), a[0]);
                       log_info("created buffer '" + name + "' (" + std::to_string(name.size()) + " characters)");
                       r.data["buffer"] = name;
                       r.data["nameLength"] = name.size();
                   });

    registry.given(ROLE + "connects to buffer " + NAME + PADDED, [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
        auto& state = zb(ctx);
        std::string name = state.padded_buffer_name(a[1], steps::to_uint(a[2]));
        state.connect(name, a[0]);
        log_info("connected to buffer '" + name + "' (" + std::to_string(name.size()) + " characters)");
        r.data["buffer"] = name;
        r.data["nameLength"] = name.size();
    });

    registry.then(ROLE + "should fail to create buffer " + NAME + PADDED + " with " + KIND,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::string name = zb(ctx).padded_buffer_name(a[1], steps::to_uint(a[2]));
                      r.data["buffer"] = name;
                      r.data["nameLength"] = name.size();
                      expect_error(a[3], "creating buffer '" + name + "'", r,
                                   [&] { zerobuffer::Reader reader(name, zerobuffer::BufferConfig(1024, 10240)); });
                  });

    registry.then(ROLE + "should fail to connect to buffer " + NAME + PADDED + " with " + KIND,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::string name = zb(ctx).padded_buffer_name(a[1], steps::to_uint(a[2]));
                      r.data["buffer"] = name;
                      r.data["nameLength"] = name.size();
                      expect_error(a[3], "connecting to buffer '" + name + "'", r, [&] { zerobuffer::Writer writer(name); });
                  });

    registry.when(ROLE + "closes its (reader|writer)", [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
        auto& state = zb(ctx);
        std::string name = a[1] == "reader" ? state.close_reader() : state.close_writer();
        log_info("closed the " + a[1] + " of '" + name + "'");
        r.data["buffer"] = name;
    });

    registry.then(ROLE + "should see the shared memory, both semaphores and the lock file of the buffer with mode '([0-7]{3,4})'",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string& buffer = zb(ctx).current_buffer();
                      const unsigned expected = static_cast<unsigned>(std::stoul(a[1], nullptr, 8));
                      std::vector<std::string> wrong;
                      std::vector<std::string> paths;
                      for (const auto& file : zerobuffer::object_files(buffer)) {
                          paths.push_back(file.path);
                          if (!file.exists) {
                              wrong.push_back(file.kind + " '" + file.path + "' does not exist");
                          } else if (file.mode != expected) {
                              wrong.push_back(file.kind + " '" + file.path + "' has mode " + octal(file.mode));
                          }
                      }
                      if (!wrong.empty()) {
                          throw AssertionFailed("expected the objects of '" + buffer + "' with mode " + a[1] + ", but " +
                                                join(wrong, "; "));
                      }
                      r.data["buffer"] = buffer;
                      r.data["paths"] = paths;
                      r.data["mode"] = a[1];
                  });

    registry.then(ROLE + "should see no shared memory, semaphores or lock file of the buffer",
                  [](ScenarioContext& ctx, const StepArgs&, StepResult& r) {
                      const std::string& buffer = zb(ctx).current_buffer();
                      std::vector<std::string> left;
                      for (const auto& file : zerobuffer::object_files(buffer)) {
                          if (file.exists) left.push_back(file.kind + " '" + file.path + "'");
                      }
                      if (!left.empty()) {
                          throw AssertionFailed("expected no OS object of '" + buffer + "' to be left, but " +
                                                join(left, ", ") + " still exists");
                      }
                      r.data["buffer"] = buffer;
                  });

    registry.then(ROLE + "should see no OS object named after buffer " + NAME,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::string name = zb(ctx).buffer_name(a[1]);
                      std::vector<std::string> found = zerobuffer::objects_named_after(name);
                      if (!found.empty()) {
                          throw AssertionFailed("expected nothing in /dev/shm or the lock directory named after '" + name +
                                                "', but found " + join(found, ", "));
                      }
                      r.data["buffer"] = name;
                  });
}

}  // namespace zbserve::step_definitions
