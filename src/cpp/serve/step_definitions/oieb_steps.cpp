// What any process sees in the current buffer's OIEB and semaphores, read by name through the
// library's diagnostics API (STEPS.md "Current buffer"); and stale resources a crash leaves.
#include <unistd.h>

#include "logging/log_capture.hpp"
#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/dead_process.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"
#include "zerobuffer/inspect.hpp"

namespace zbserve::step_definitions {

using namespace phrases;

namespace {

std::uint64_t own_pid() { return static_cast<std::uint64_t>(::getpid()); }

// The current buffer's writer_pid or reader_pid (peer "writer" / "reader"), recorded in data.
std::uint64_t recorded_pid(ScenarioContext& ctx, const std::string& peer, StepResult& r) {
    const std::string& name = zb(ctx).current_buffer();
    const zerobuffer::Oieb oieb = zerobuffer::inspect_buffer(name).oieb;
    std::uint64_t pid = peer == "writer" ? oieb.writer_pid : oieb.reader_pid;
    r.data["buffer"] = name;
    r.data["pid"] = pid;
    return pid;
}

// Fails naming the buffer and every mismatch collected.
class Mismatches {
public:
    template <typename T>
    void expect(const char* what, T actual, T expected) {
        if (actual != expected) {
            text_ += std::string(text_.empty() ? "" : ", ") + what + " is " + std::to_string(actual) + " (expected " +
                     std::to_string(expected) + ")";
        }
    }
    void expect(const char* what, bool holds) {
        if (!holds) text_ += std::string(text_.empty() ? "" : ", ") + what;
    }
    void throw_if_any(const std::string& buffer, const std::string& expected) const {
        if (!text_.empty()) throw AssertionFailed("buffer '" + buffer + "' is not " + expected + ": " + text_);
    }

private:
    std::string text_;
};

}  // namespace

void register_oieb_steps(steps::StepRegistry& registry) {
    registry.then(ROLE + "should see its pid recorded as the (writer|reader) in the OIEB",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::uint64_t pid = recorded_pid(ctx, a[1], r);
                      if (pid != own_pid()) {
                          throw AssertionFailed("buffer '" + zb(ctx).current_buffer() + "' records " + a[1] + "_pid " + std::to_string(pid) +
                                                ", expected this worker's pid " + std::to_string(own_pid()));
                      }
                  });

    registry.then(ROLE + "should see a dead (writer|reader) pid recorded in the OIEB",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::uint64_t pid = recorded_pid(ctx, a[1], r);
                      if (!is_dead_pid(pid)) {
                          throw AssertionFailed("buffer '" + zb(ctx).current_buffer() + "' records " + a[1] + "_pid " + std::to_string(pid) +
                                                (pid == 0 ? ", expected a dead process's pid, not 0"
                                                          : ", which names a live process; expected a dead one"));
                      }
                  });

    registry.then(ROLE + "should see " + COUNT + " free payload bytes in the OIEB",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string& name = zb(ctx).current_buffer();
                      std::uint64_t free_bytes = zerobuffer::inspect_buffer(name).oieb.payload_free_bytes;
                      r.data["buffer"] = name;
                      r.data["freeBytes"] = free_bytes;
                      if (free_bytes != steps::to_uint(a[1])) {
                          throw AssertionFailed("buffer '" + name + "' has " + std::to_string(free_bytes) +
                                                " free payload bytes, expected " + a[1]);
                      }
                  });

    registry.then(ROLE + "should see " + COUNT + " (space|frame) signals pending",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string& name = zb(ctx).current_buffer();
                      bool frames = a[2] == "frame";
                      int value = zerobuffer::semaphore_value(name, /*written=*/frames);
                      r.data["buffer"] = name;
                      r.data["value"] = value;
                      if (value < 0 || static_cast<std::uint64_t>(value) != steps::to_uint(a[1])) {
                          throw AssertionFailed("buffer '" + name + "': its " + (frames ? "sem-w" : "sem-r") +
                                                " semaphore holds " + std::to_string(value) + ", expected " + a[1] +
                                                " " + a[2] + " signals");
                      }
                  });

    registry.when(ROLE + "leaves stale resources for buffer " + NAME + " with payload size " + COUNT,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      auto& state = zb(ctx);
                      std::string name = state.buffer_name(a[1]);
                      zerobuffer::Reader reader(name, zerobuffer::BufferConfig(1024, steps::to_uint(a[2])));
                      zerobuffer::post_semaphore(name, /*written=*/true, 3);
                      abandon_reader(reader);
                      state.set_current_buffer(name);
                      r.data["buffer"] = name;
                  });

    registry.then(ROLE + "should see stale resources of buffer " + NAME,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::string name = zb(ctx).buffer_name(a[1]);
                      zerobuffer::BufferObjects objects = zerobuffer::buffer_objects(name);
                      r.data["buffer"] = name;
                      Mismatches wrong;
                      wrong.expect("its lock file is missing", objects.lock_file != zerobuffer::LockFileState::Missing);
                      wrong.expect("its lock file is held", objects.lock_file != zerobuffer::LockFileState::Held);
                      wrong.expect("its shared memory is missing", objects.shared_memory);
                      wrong.expect("its sem-w semaphore is missing", objects.sem_write);
                      wrong.expect("its sem-r semaphore is missing", objects.sem_read);
                      if (objects.shared_memory) {
                          std::uint64_t pid = zerobuffer::inspect_buffer(name).oieb.reader_pid;
                          r.data["pid"] = pid;
                          wrong.expect("its reader_pid does not name a dead process", is_dead_pid(pid));
                      }
                      wrong.throw_if_any(name, "stale");
                  });

    registry.then(ROLE + "should see a fresh buffer " + NAME + " with payload size " + COUNT,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::string name = zb(ctx).buffer_name(a[1]);
                      const zerobuffer::Oieb o = zerobuffer::inspect_buffer(name).oieb;
                      const std::uint64_t payload = steps::to_uint(a[2]);
                      r.data["buffer"] = name;
                      Mismatches wrong;
                      wrong.expect("payload_size", o.payload_size, payload);
                      wrong.expect("payload_free_bytes", o.payload_free_bytes, payload);
                      wrong.expect("payload_write_pos", o.payload_write_pos, std::uint64_t{0});
                      wrong.expect("payload_read_pos", o.payload_read_pos, std::uint64_t{0});
                      wrong.expect("payload_written_count", o.payload_written_count, std::uint64_t{0});
                      wrong.expect("payload_read_count", o.payload_read_count, std::uint64_t{0});
                      wrong.expect("reader_pid", o.reader_pid, own_pid());
                      wrong.expect("its sem-w value", zerobuffer::semaphore_value(name, /*written=*/true), 0);
                      wrong.throw_if_any(name, "fresh");
                  });
}

}  // namespace zbserve::step_definitions
