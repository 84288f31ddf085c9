// Stress (feature 12): a long write-read run, buffers until the system refuses one, a buffer created
// and destroyed over and over under a connecting writer, and this process's memory and descriptors
// staying flat through each.
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <thread>

#include "logging/log_capture.hpp"
#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "step_definitions/support/patterns.hpp"
#include "step_definitions/support/process_resources.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"
#include "zerobuffer/inspect.hpp"

namespace zbserve::step_definitions {

using namespace phrases;
using steps::BackgroundWork;
using Clock = std::chrono::steady_clock;

namespace {

// The config of the buffers the limit and cycle steps create (STEPS.md).
const zerobuffer::BufferConfig SMALL_CONFIG(1024, 10240);
// A loop asked to stop must end within this (longer than the default write timeout).
constexpr std::chrono::milliseconds STOP_WITHIN{10000};
// Each read waits this long, so a stop request is seen soon after an idle spell; once asked to stop, a
// read that finds no frame this long means the buffer is drained (the writer has stopped by then).
constexpr std::chrono::milliseconds READ_SLICE{100};
constexpr std::chrono::milliseconds DRAIN_WAIT{500};
// A created buffer is held this long, so a connecting writer can meet it; the writer pauses this long
// between attempts, probing every transition without starving the reader of CPU.
constexpr std::chrono::milliseconds CYCLE_HOLD{1};
constexpr std::chrono::milliseconds CONNECT_PAUSE{1};
// The kinds of a clean refusal while a buffer comes and goes (PROTOCOL.md section 5): none yet, none
// any more or not finished (BufferNotFound); its reader is closing it (ReaderDead).
const std::vector<std::string> CLEAN_REFUSALS{"BufferNotFound", "ReaderDead"};

// What a loop counted; written by its thread, read after it has been joined.
struct Tally {
    std::uint64_t frames = 0;
    std::uint64_t last_sequence = 0;
    double seconds = 0;
    std::uint64_t attempts = 0;
    std::uint64_t connected = 0;
    std::map<std::string, std::uint64_t> refused;
    std::vector<std::string> failures;
};

// A loop the steps started: asked to stop with BackgroundWork::cancel (cleanup cancels it too).
struct Loop {
    BackgroundWork* work = nullptr;
    std::shared_ptr<Tally> tally;
};

// The stress state of one scenario: resource baselines by role and the loops by kind. The loops are
// the context's background work, so release has already stopped them.
class StressState : public steps::ScenarioService {
public:
    explicit StressState(steps::ScenarioContext&) {}
    std::map<std::string, ResourceSample> baselines;
    std::map<std::string, std::vector<Loop>> loops;  // "write", "read", "connect"
    std::vector<std::string> release() override {
        baselines.clear();
        loops.clear();
        return {};
    }
};

StressState& stress(ScenarioContext& ctx) { return ctx.service<StressState>(); }

Loop start_loop(ScenarioContext& ctx, const std::string& kind, const std::string& what, const std::string& role,
                std::function<void(BackgroundWork&, Tally&)> body) {
    auto tally = std::make_shared<Tally>();
    auto work = std::make_unique<BackgroundWork>(what, [tally, body](BackgroundWork& self) {
        const auto started = Clock::now();
        body(self, *tally);
        tally->seconds = std::chrono::duration<double>(Clock::now() - started).count();
    });
    work->role = role;
    Loop loop{work.get(), tally};
    stress(ctx).loops[kind].push_back(loop);
    ctx.background.push_back(std::move(work));
    return loop;
}

// Asks the latest loop of kind to stop and joins it; its error is reported with its own kind.
Loop join_loop(ScenarioContext& ctx, const std::string& kind, const std::string& step) {
    auto& loops = stress(ctx).loops[kind];
    if (loops.empty()) throw AssertionFailed("no " + step + " step ran in this worker");
    Loop loop = loops.back();
    loop.work->cancel();
    if (!loop.work->wait_for(STOP_WITHIN)) {
        throw AssertionFailed("the " + loop.work->description() + " did not stop within " +
                              std::to_string(STOP_WITHIN.count() / 1000) + " s of being asked");
    }
    loop.work->join();
    if (auto error = loop.work->error()) throw background_failure(error, "the " + loop.work->description() + " failed");
    loops.pop_back();
    return loop;
}

nlohmann::json run_metrics(std::uint64_t frames, double seconds) {
    return {{"frames", frames},
            {"duration_s", std::round(seconds * 1000) / 1000},
            {"frames_per_s", std::round(static_cast<double>(frames) / std::max(seconds, 1e-9) * 10) / 10}};
}

std::vector<std::string> files_left(const std::string& name) {
    std::vector<std::string> left;
    for (const auto& file : zerobuffer::object_files(name)) {
        if (file.exists) left.push_back(file.path);
    }
    return left;
}

std::string join(const std::vector<std::string>& items, const std::string& separator, std::size_t at_most = 100) {
    std::string out;
    for (std::size_t i = 0; i < items.size() && i < at_most; ++i) out += (i ? separator : "") + items[i];
    return out;
}

}  // namespace

void register_stress_steps(steps::StepRegistry& registry) {
    registry.when(ROLE + "records its resource usage", [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
        const ResourceSample now = sample_resources();
        stress(ctx).baselines[a[0]] = now;
        r.data["metrics"] = {{"rss_kib", now.rss_kib}, {"fds", now.fds}};
    });

    registry.then(ROLE + "should have kept its resource usage flat",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      auto& baselines = stress(ctx).baselines;
                      auto it = baselines.find(a[0]);
                      if (it == baselines.end()) {
                          throw AssertionFailed("the '" + a[0] + "' process recorded no resource usage in this scenario "
                                                "(no 'records its resource usage' step ran for it)");
                      }
                      const ResourceSample start = it->second;
                      const ResourceSample end = sample_resources();
                      r.data["metrics"] = {{"rss_start_kib", start.rss_kib},
                                           {"rss_end_kib", end.rss_kib},
                                           {"rss_growth_kib", end.rss_kib - start.rss_kib},
                                           {"rss_allowed_growth_kib", start.allowed_growth_kib()},
                                           {"fds_start", start.fds},
                                           {"fds_end", end.fds}};
                      auto problems = start.problems_at(end);
                      if (!problems.empty()) {
                          throw AssertionFailed("the '" + a[0] + "' process did not stay flat: " + join(problems, "; "));
                      }
                  });

    registry.when(ROLE + "starts writing frames with size " + COUNT + " continuously in the background",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::shared_ptr<zerobuffer::Writer> writer = zb(ctx).writer();
                      const std::size_t size = steps::to_uint(a[1]);
                      start_loop(ctx, "write", "continuous write of " + a[1] + " B frames to '" + writer->name() + "'",
                                 a[0], [writer, size, &ctx](BackgroundWork& self, Tally& tally) {
                                     while (!self.cancel_requested() && !ctx.cancelled()) {
                                         tally.last_sequence = write_pattern_frame(*writer, size);
                                         ++tally.frames;
                                         self.progress = tally.frames;
                                     }
                                 });
                      r.data["buffer"] = writer->name();
                      r.data["size"] = size;
                  });

    registry.then(ROLE + "stops writing continuously without error",
                  [](ScenarioContext& ctx, const StepArgs&, StepResult& r) {
                      Loop loop = join_loop(ctx, "write", "'starts writing frames ... continuously'");
                      r.data["lastSequence"] = loop.tally->last_sequence;
                      r.data["metrics"] = run_metrics(loop.tally->frames, loop.tally->seconds);
                  });

    registry.when(ROLE + "starts reading frames with size " + COUNT + " continuously in the background",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      zerobuffer::Reader& reader = zb(ctx).reader();
                      std::uint64_t* last = &zb(ctx).last_sequence();  // a std::map node: stable
                      const std::size_t size = steps::to_uint(a[1]);
                      start_loop(ctx, "read", "continuous read of " + a[1] + " B frames from '" + reader.name() + "'",
                                 a[0], [&reader, last, size, &ctx](BackgroundWork& self, Tally& tally) {
                                     while (!ctx.cancelled()) {
                                         const bool draining = self.cancel_requested();
                                         zerobuffer::Frame frame = reader.read_frame(draining ? DRAIN_WAIT : READ_SLICE);
                                         if (!frame.valid()) {
                                             if (draining) break;
                                             continue;
                                         }
                                         check_frame(frame, reader.name(), *last + 1, size, READ_SLICE);
                                         *last = frame.sequence();
                                         frame.release();
                                         tally.last_sequence = *last;
                                         ++tally.frames;
                                         self.progress = tally.frames;
                                     }
                                 });
                      r.data["buffer"] = reader.name();
                      r.data["size"] = size;
                  });

    registry.then(ROLE + "stops reading continuously and should have read every written frame in order",
                  [](ScenarioContext& ctx, const StepArgs&, StepResult& r) {
                      const std::string name = zb(ctx).reader().name();
                      Loop loop = join_loop(ctx, "read", "'starts reading frames ... continuously'");
                      if (loop.tally->frames == 0) throw AssertionFailed("the continuous read of '" + name + "' read no frame");
                      // Every frame and wrap marker the writer counted was consumed: nothing skipped or left.
                      const auto oieb = zerobuffer::inspect_buffer(name).oieb;
                      if (oieb.payload_written_count != oieb.payload_read_count) {
                          throw AssertionFailed("buffer '" + name + "': after " + std::to_string(loop.tally->frames) +
                                                " frames the OIEB has written count " +
                                                std::to_string(oieb.payload_written_count) + " but read count " +
                                                std::to_string(oieb.payload_read_count));
                      }
                      r.data["buffer"] = name;
                      r.data["lastSequence"] = loop.tally->last_sequence;
                      r.data["metrics"] = run_metrics(loop.tally->frames, loop.tally->seconds);
                  });

    registry.when(ROLE + "creates buffers " + NAME + " until one fails with " + KIND + " under an open-file limit of " +
                      COUNT + " more descriptors",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      ZeroBufferContext& state = zb(ctx);
                      const std::string& expected = a[2];
                      const std::uint64_t spare = steps::to_uint(a[3]);
                      const std::int64_t open_before = sample_resources().fds;
                      std::uint64_t created = 0;
                      std::string refused;
                      std::string kind;
                      std::string message;
                      std::uint64_t limit = 0;
                      {
                          LoweredOpenFileLimit lowered(static_cast<std::uint64_t>(open_before) + spare);
                          limit = lowered.soft();
                          // Every buffer holds at least one descriptor: no more than the limit can be made.
                          for (std::uint64_t i = 1; i <= limit + 1 && kind.empty(); ++i) {
                              refused = state.buffer_name(a[1] + "-" + std::to_string(i));
                              try {
                                  state.add_reader(refused, std::make_unique<zerobuffer::Reader>(refused, SMALL_CONFIG), a[0]);
                                  ++created;
                              } catch (const zerobuffer::ZeroBufferException& e) {
                                  kind = e.kind();
                                  message = e.what();
                              }
                          }
                      }
                      if (kind.empty()) {
                          throw AssertionFailed("created " + std::to_string(created) + " buffers '" + state.buffer_name(a[1]) +
                                                "-<n>' under an open-file limit of " + std::to_string(limit) + " (" +
                                                std::to_string(open_before) + " open before) and none was refused");
                      }
                      if (kind != expected) {
                          throw AssertionFailed("expected creating buffer '" + refused + "' under an open-file limit of " +
                                                std::to_string(limit) + " to fail with '" + expected +
                                                "', but it failed with '" + kind + "': " + message);
                      }
                      // A refused create undoes what it did (PROTOCOL.md section 5): no half-made buffer is left.
                      auto left = files_left(refused);
                      if (!left.empty()) throw AssertionFailed("the refused buffer '" + refused + "' left " + join(left, ", "));
                      r.data["buffer"] = refused;
                      r.data["errorType"] = kind;
                      r.data["metrics"] = {{"buffers", created},
                                           {"fds_open_before", open_before},
                                           {"fd_limit", open_before + static_cast<std::int64_t>(spare)}};
                  });

    registry.when(ROLE + "closes all its readers", [](ScenarioContext& ctx, const StepArgs&, StepResult& r) {
        r.data["count"] = zb(ctx).close_all_readers().size();
    });

    registry.when(ROLE + "starts connecting to buffer " + NAME + " over and over in the background",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string name = zb(ctx).buffer_name(a[1]);
                      start_loop(ctx, "connect", "connect attempts to '" + name + "'", a[0],
                                 [name, &ctx](BackgroundWork& self, Tally& tally) {
                                     for (const auto& kind : CLEAN_REFUSALS) tally.refused[kind] = 0;
                                     while (!self.cancel_requested() && !ctx.cancelled()) {
                                         ++tally.attempts;
                                         try {
                                             zerobuffer::Writer writer(name);
                                             ++tally.connected;
                                         } catch (const zerobuffer::ZeroBufferException& e) {
                                             auto it = tally.refused.find(e.kind());
                                             if (it != tally.refused.end()) {
                                                 ++it->second;
                                             } else {
                                                 tally.failures.push_back("attempt " + std::to_string(tally.attempts) +
                                                                          ": " + e.kind() + ": " + e.what());
                                             }
                                         } catch (const std::exception& e) {
                                             tally.failures.push_back("attempt " + std::to_string(tally.attempts) + ": " +
                                                                      e.what());
                                         }
                                         std::this_thread::sleep_for(CONNECT_PAUSE);
                                     }
                                 });
                      r.data["buffer"] = name;
                  });

    registry.then(ROLE + "stops connecting and should have seen only connections and clean refusals",
                  [](ScenarioContext& ctx, const StepArgs&, StepResult& r) {
                      Loop loop = join_loop(ctx, "connect", "'starts connecting to buffer ... over and over'");
                      const Tally& tally = *loop.tally;
                      std::uint64_t refused = 0;
                      nlohmann::json metrics = {{"attempts", tally.attempts}, {"connects", tally.connected}};
                      for (const auto& [kind, count] : tally.refused) {
                          refused += count;
                          metrics["refused_" + kind] = count;
                      }
                      r.data["metrics"] = metrics;
                      if (!tally.failures.empty()) {
                          throw AssertionFailed(std::to_string(tally.failures.size()) + " of " + std::to_string(tally.attempts) +
                                                " attempts ended otherwise than connected, " + join(CLEAN_REFUSALS, " or ") +
                                                ": " + join(tally.failures, "; ", 5));
                      }
                      if (tally.connected == 0 || refused == 0) {
                          throw AssertionFailed("the writer never met the buffer in transition: " +
                                                std::to_string(tally.connected) + " connections and " + std::to_string(refused) +
                                                " refusals in " + std::to_string(tally.attempts) +
                                                " attempts (at least one of each expected)");
                      }
                  });

    registry.when(ROLE + "creates and destroys buffer " + NAME + " " + COUNT + " times",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string name = zb(ctx).buffer_name(a[1]);
                      const std::uint64_t cycles = steps::to_uint(a[2]);
                      const auto started = Clock::now();
                      for (std::uint64_t cycle = 1; cycle <= cycles; ++cycle) {
                          ctx.check_cancelled();
                          {
                              zerobuffer::Reader reader(name, SMALL_CONFIG);
                              std::this_thread::sleep_for(CYCLE_HOLD);
                          }
                          // A graceful close removes all four objects, whoever was connecting meanwhile.
                          auto left = files_left(name);
                          if (!left.empty()) {
                              throw AssertionFailed("cycle " + std::to_string(cycle) + " of " + std::to_string(cycles) +
                                                    ": closing buffer '" + name + "' left " + join(left, ", "));
                          }
                      }
                      const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
                      r.data["buffer"] = name;
                      r.data["cycles"] = cycles;
                      r.data["elapsedMs"] = std::round(seconds * 1000);
                      r.data["metrics"] = {{"cycles", cycles},
                                           {"cycles_per_s", std::round(static_cast<double>(cycles) / std::max(seconds, 1e-9) * 10) / 10}};
                  });
}

}  // namespace zbserve::step_definitions
