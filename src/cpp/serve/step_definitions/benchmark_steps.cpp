// Sections 9 and 15 (features 09 and 15, tagged @benchmark): the writer role writes timed, paced or probed
// frames in the background, the reader role measures, and both return figures in data.metrics (+ data.baseline
// measured in the same step) as STEPS.md "Benchmarks" and BENCH-CONTRACT describe.
#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "logging/log_capture.hpp"
#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/bench_context.hpp"
#include "step_definitions/support/bench_stats.hpp"
#include "step_definitions/support/bench_writer.hpp"
#include "step_definitions/support/degradation_detector.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"
#include "zerobuffer/detail/named_semaphore.hpp"
#include "zerobuffer/inspect.hpp"

namespace zbserve::step_definitions {

using namespace phrases;
using bench::Metrics;

namespace {

constexpr std::chrono::milliseconds READ_TIMEOUT{5000};
// How long the memcpy baseline copies (a stable figure, short next to the measurement).
constexpr std::int64_t MEMCPY_FOR_NS = 250'000'000;
// The degradation step samples the OIEB at most this often at full speed (each sample maps the buffer anew).
constexpr std::int64_t SAMPLE_EVERY_NS = 1'000'000;
// The utilisation series keeps a point at this spacing.
constexpr std::int64_t SERIES_EVERY_NS = 20'000'000;

const std::string MEASURED = "'([A-Za-z0-9_]+)'";

void measured(ScenarioContext& ctx, StepResult& r, const std::string& role, const std::string& measurement,
              const std::string& side, const Metrics& metrics, const std::string& buffer = "",
              const std::string& baseline_name = "", const Metrics& baseline = {}) {
    bench::bench_of(ctx).record(role, metrics);
    r.data["measurement"] = measurement;
    r.data["side"] = side;
    r.data["metrics"] = metrics;
    if (!buffer.empty()) r.data["buffer"] = buffer;
    if (!baseline_name.empty()) {
        r.data["baselineName"] = baseline_name;
        r.data["baseline"] = baseline;
    }
    std::string line = measurement + " (" + side + "):";
    for (const auto& [k, v] : metrics) line += " " + k + "=" + std::to_string(v);
    log_info(line);
}

// A valid frame of size, else AssertionFailed naming what was expected.
void expect_frame(const zerobuffer::Frame& frame, const std::string& buffer, std::size_t size, const std::string& what) {
    if (!frame.valid()) {
        throw AssertionFailed("no " + what + " arrived in '" + buffer + "' within " + std::to_string(READ_TIMEOUT.count()) + " ms");
    }
    if (frame.size() != size) {
        throw AssertionFailed("the " + what + " in '" + buffer + "' has " + std::to_string(frame.size()) + " B, expected " +
                              std::to_string(size) + " B");
    }
}

Metrics memcpy_baseline(std::size_t size) {
    auto from = bench::source(size);
    std::vector<std::uint8_t> to(size);
    std::memcpy(to.data(), from.data(), size);  // touch every page before timing
    const std::int64_t start = bench::now_ns();
    std::int64_t copies = 0;
    std::int64_t now;
    do {
        std::memcpy(to.data(), from.data(), size);
        // Keep the copy observable so the optimiser cannot drop it.
        std::atomic_signal_fence(std::memory_order_seq_cst);
        ++copies;
    } while ((now = bench::now_ns()) - start < MEMCPY_FOR_NS);
    return bench::rate(copies, size, static_cast<double>(now - start) / 1e9);
}

// Reads until the end frame: frames, rate and this process's CPU % from the first frame to the end.
Metrics read_timed(ScenarioContext& ctx, std::size_t size) {
    auto& reader = zb(ctx).reader();
    std::int64_t frames = 0;
    std::int64_t first = 0;
    std::optional<bench::CpuMeter> cpu;
    while (true) {
        zerobuffer::Frame frame = zb(ctx).read_frame(reader, READ_TIMEOUT);
        expect_frame(frame, reader.name(), size, "timed frame " + std::to_string(frames + 1));
        zb(ctx).last_sequence() = frame.sequence();
        if (bench::stamp_of(frame) == 0) break;
        if (frames++ == 0) {
            first = bench::now_ns();
            cpu.emplace();
        }
    }
    if (frames < 2) {
        throw AssertionFailed("only " + std::to_string(frames) + " timed frame(s) arrived in '" + reader.name() +
                              "' before the end of the stream: too few for a rate");
    }
    // The first frame starts the clock, so frames - 1 were read over the interval.
    Metrics m = bench::rate(frames - 1, size, static_cast<double>(bench::now_ns() - first) / 1e9);
    m["cpu_pct"] = bench::round3(cpu->cpu_percent());
    return m;
}

std::shared_ptr<zerobuffer::Writer> idle_writer(ScenarioContext& ctx) {
    auto writer = zb(ctx).writer();
    for (const auto& work : ctx.background) {
        if (!work->finished() && work->description().find("'" + writer->name() + "'") != std::string::npos) {
            throw AssertionFailed("the writer of '" + writer->name() + "' is busy with " + work->description() + "; join it first");
        }
    }
    return writer;
}

void start_work(ScenarioContext& ctx, const std::string& role, const std::string& what, bench::Body body,
                std::shared_ptr<bench::WriterOutcome> outcome) {
    auto work = std::make_unique<steps::BackgroundWork>(what, std::move(body));
    work->role = role;
    bench::bench_of(ctx).start(work.get(), std::move(outcome));
    ctx.background.push_back(std::move(work));
    log_info("started " + what);
}

void check_bound(ScenarioContext& ctx, const StepArgs& a, StepResult& r, bool below) {
    const Metrics& metrics = bench::bench_of(ctx).last_metrics(a[0]);
    const std::string& metric = a[1];
    const auto bound = static_cast<double>(steps::to_uint(a[2]));
    auto found = metrics.find(metric);
    if (found == metrics.end()) {
        std::string names;
        for (const auto& [k, v] : metrics) names += (names.empty() ? "" : ", ") + k;
        throw AssertionFailed("the last measurement of the '" + a[0] + "' process has no '" + metric + "' (it has " + names + ")");
    }
    r.data["metric"] = metric;
    r.data["value"] = found->second;
    r.data["bound"] = bound;
    if (below ? found->second >= bound : found->second <= bound) {
        throw AssertionFailed("expected '" + metric + "' " + (below ? "below " : "above ") + a[2] + ", but the '" + a[0] +
                              "' process measured " + std::to_string(found->second));
    }
}

}  // namespace

void register_benchmark_steps(steps::StepRegistry& registry) {
    registry.when(ROLE + "starts writing frames of size " + COUNT + " for " + COUNT + " seconds in the background",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::size_t size = steps::to_uint(a[1]);
                      bench::check_size(size);
                      auto writer = idle_writer(ctx);
                      auto outcome = std::make_shared<bench::WriterOutcome>(bench::WriterOutcome{"throughput", writer->name(), {}});
                      start_work(ctx, a[0], "timed write of " + a[1] + " B frames for " + a[2] + " s to '" + writer->name() + "'",
                                 bench::timed(writer, size, static_cast<double>(steps::to_uint(a[2])), outcome), outcome);
                      r.data["buffer"] = writer->name();
                      r.data["size"] = size;
                      r.data["seconds"] = steps::to_uint(a[2]);
                  });

    registry.when(ROLE + "starts writing frames of size " + COUNT + " at " + COUNT + " frames per second for " + COUNT +
                      " seconds in the background",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::size_t size = steps::to_uint(a[1]);
                      const std::uint64_t rate = steps::to_uint(a[2]);
                      bench::check_size(size);
                      if (rate == 0) throw AssertionFailed("a paced write needs a positive rate, not 0 frames per second");
                      auto writer = idle_writer(ctx);
                      auto outcome = std::make_shared<bench::WriterOutcome>(bench::WriterOutcome{"semaphore-rate", writer->name(), {}});
                      start_work(ctx, a[0], "paced write of " + a[1] + " B frames at " + a[2] + "/s for " + a[3] + " s to '" + writer->name() + "'",
                                 bench::paced(writer, size, rate, static_cast<double>(steps::to_uint(a[3])), outcome), outcome);
                      r.data["buffer"] = writer->name();
                      r.data["size"] = size;
                      r.data["rate"] = rate;
                      r.data["seconds"] = steps::to_uint(a[3]);
                  });

    registry.when(ROLE + "starts answering " + COUNT + " latency probes with frames of size " + COUNT + " in the background",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::uint64_t count = steps::to_uint(a[1]);
                      const std::size_t size = steps::to_uint(a[2]);
                      bench::check_size(size);
                      auto writer = idle_writer(ctx);
                      auto outcome = std::make_shared<bench::WriterOutcome>(bench::WriterOutcome{"latency", writer->name(), {}});
                      start_work(ctx, a[0], "answering " + a[1] + " latency probes with " + a[2] + " B frames in '" + writer->name() + "'",
                                 bench::probes(writer, count, size, outcome), outcome);
                      r.data["buffer"] = writer->name();
                      r.data["count"] = count;
                      r.data["size"] = size;
                  });

    registry.then(ROLE + "should finish the benchmark writing within " + COUNT + " ms",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      auto& state = bench::bench_of(ctx);
                      auto pending = state.current();
                      if (!pending.work->wait_for(steps::to_ms(a[1]))) {
                          throw AssertionFailed("the " + pending.work->description() + " is still running after " + a[1] + " ms");
                      }
                      pending.work->join();
                      state.joined(pending);
                      if (auto error = pending.work->error()) {
                          throw background_failure(error, "the " + pending.work->description() + " failed");
                      }
                      if (pending.work->cancel_requested()) {
                          throw AssertionFailed("the " + pending.work->description() + " was cancelled");
                      }
                      measured(ctx, r, a[0], pending.outcome->measurement, "writer", pending.outcome->metrics, pending.outcome->buffer);
                  });

    registry.then(ROLE + "should read the timed frames of size " + COUNT + " measuring throughput",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::size_t size = steps::to_uint(a[1]);
                      Metrics m = read_timed(ctx, size);
                      bench::bench_of(ctx).last_throughput = m;
                      measured(ctx, r, a[0], "throughput", "reader", m, zb(ctx).reader().name(), "memcpy", memcpy_baseline(size));
                  });

    registry.then(ROLE + "should read the timed frames of size " + COUNT +
                      " measuring the wrap-around overhead against the last throughput",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::size_t size = steps::to_uint(a[1]);
                      const auto& last = bench::bench_of(ctx).last_throughput;
                      if (!last || last->at("frame_bytes") != static_cast<double>(size)) {
                          throw AssertionFailed("no throughput of " + a[1] +
                                                " B frames was measured by this reader before: the wrap-around overhead compares against it");
                      }
                      const Metrics large = *last;
                      Metrics m = read_timed(ctx, size);
                      m["payload_bytes"] = static_cast<double>(zerobuffer::inspect_buffer(zb(ctx).reader().name()).oieb.payload_size);
                      m["overhead_pct"] = bench::round3(100.0 * (1.0 - m["gb_per_s"] / large.at("gb_per_s")));
                      measured(ctx, r, a[0], "wrap-overhead", "reader", m, zb(ctx).reader().name(), "large-buffer",
                               Metrics{{"gb_per_s", large.at("gb_per_s")}, {"frames_per_s", large.at("frames_per_s")}});
                  });

    registry.then(ROLE + "should measure the latency of " + COUNT + " frames of size " + COUNT,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::uint64_t count = steps::to_uint(a[1]);
                      const std::size_t size = steps::to_uint(a[2]);
                      if (count == 0) throw AssertionFailed("a latency measurement needs at least one iteration");
                      auto& reader = zb(ctx).reader();
                      zerobuffer::detail::NamedSemaphore ping;
                      zerobuffer::detail::NamedSemaphore pong;
                      zerobuffer::detail::NamedSemaphore::open(bench::ping_name(reader.name()), ping);
                      zerobuffer::detail::NamedSemaphore::open(bench::pong_name(reader.name()), pong);

                      // Baseline: a semaphore ping-pong with the writer's process; one way = half the round trip.
                      std::vector<std::int64_t> baseline(std::min(count, bench::BASELINE_PING_PONGS));
                      for (std::uint64_t i = 0; i < baseline.size(); ++i) {
                          ctx.check_cancelled();
                          const std::int64_t t0 = bench::now_ns();
                          ping.post();
                          if (!pong.wait_until(std::chrono::steady_clock::now() + READ_TIMEOUT, false)) {
                              throw AssertionFailed("the writer did not answer ping " + std::to_string(i + 1) + " of " + std::to_string(baseline.size()) +
                                                    " on '" + pong.name() + "' within 5000 ms");
                          }
                          baseline[i] = (bench::now_ns() - t0) / 2;
                      }

                      std::vector<std::int64_t> one_way(count);
                      std::vector<std::int64_t> round_trip(count);
                      for (std::uint64_t i = 0; i < count; ++i) {
                          const std::int64_t t0 = bench::now_ns();
                          ping.post();
                          zerobuffer::Frame frame = zb(ctx).read_frame(reader, READ_TIMEOUT);
                          const std::int64_t t1 = bench::now_ns();
                          expect_frame(frame, reader.name(), size, "probe " + std::to_string(i + 1) + " of " + a[1]);
                          zb(ctx).last_sequence() = frame.sequence();
                          one_way[i] = t1 - bench::stamp_of(frame);
                          round_trip[i] = t1 - t0;
                      }
                      Metrics m = bench::latency(one_way);
                      m.merge(bench::latency(round_trip, "roundtrip_"));
                      m["frame_bytes"] = static_cast<double>(size);
                      Metrics b = bench::latency(baseline);
                      b["frame_bytes"] = static_cast<double>(size);
                      measured(ctx, r, a[0], "latency", "reader", m, reader.name(), "sem-pingpong", b);
                  });

    registry.then(ROLE + "should read the paced frames of size " + COUNT + " measuring the signalling cost",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::size_t size = steps::to_uint(a[1]);
                      auto& reader = zb(ctx).reader();
                      std::vector<std::int64_t> latencies;
                      std::optional<bench::CpuMeter> cpu;
                      std::int64_t first = 0;
                      std::int64_t last = 0;
                      while (true) {
                          zerobuffer::Frame frame = zb(ctx).read_frame(reader, READ_TIMEOUT);
                          const std::int64_t now = bench::now_ns();
                          expect_frame(frame, reader.name(), size, "paced frame " + std::to_string(latencies.size() + 1));
                          zb(ctx).last_sequence() = frame.sequence();
                          const std::int64_t stamp = bench::stamp_of(frame);
                          if (stamp == 0) break;
                          if (!cpu) cpu.emplace();
                          if (first == 0) first = now;
                          last = now;
                          latencies.push_back(now - stamp);
                      }
                      if (latencies.size() < 2) {
                          throw AssertionFailed("only " + std::to_string(latencies.size()) +
                                                " paced frame(s) arrived before the end of the stream: a rate needs at least two (write for longer)");
                      }
                      Metrics stats = bench::latency(latencies);
                      Metrics m{{"frame_bytes", static_cast<double>(size)},
                                {"frames", static_cast<double>(latencies.size())},
                                {"rate_hz", bench::round3(static_cast<double>(latencies.size() - 1) / (static_cast<double>(last - first) / 1e9))},
                                {"cpu_pct", bench::round3(cpu->cpu_percent())},
                                {"p50_us", stats["p50_us"]},
                                {"p99_us", stats["p99_us"]},
                                {"max_us", stats["max_us"]}};
                      measured(ctx, r, a[0], "semaphore-rate", "reader", m, reader.name());
                  });

    registry.then(ROLE + "should use less than " + COUNT + " percent CPU waiting " + COUNT + " ms for a frame",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const auto percent = static_cast<double>(steps::to_uint(a[1]));
                      auto& reader = zb(ctx).reader();
                      bench::CpuMeter cpu;
                      const std::int64_t thread_cpu0 = bench::thread_cpu_ns();
                      zerobuffer::Frame frame = zb(ctx).read_frame(reader, steps::to_ms(a[2]));
                      if (frame.valid()) {
                          zb(ctx).last_sequence() = frame.sequence();
                          throw AssertionFailed("expected '" + reader.name() + "' to stay idle for " + a[2] + " ms, but frame " +
                                                std::to_string(frame.sequence()) + " arrived");
                      }
                      // The waiting thread's share is the claim (the library's spin before it sleeps); the process's
                      // share also holds the worker's other threads and is reported beside it.
                      const double waiting = 100.0 * static_cast<double>(bench::thread_cpu_ns() - thread_cpu0) / (cpu.elapsed_seconds() * 1e9);
                      const double used = cpu.cpu_percent();
                      measured(ctx, r, a[0], "idle-cpu", "reader",
                               Metrics{{"cpu_pct", bench::round3(used)}, {"thread_cpu_pct", bench::round3(waiting)},
                                       {"seconds", bench::round3(cpu.elapsed_seconds())}},
                               reader.name());
                      if (waiting >= percent) {
                          throw AssertionFailed("the reader of '" + reader.name() + "' used " + std::to_string(waiting) +
                                                " % CPU of its thread while it waited " + a[2] + " ms for a frame (the process " +
                                                std::to_string(used) + " %); expected less than " + a[1] + " %");
                      }
                  });

    registry.then(ROLE + "should measure the cost of a memory barrier over " + COUNT + " operations",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::uint64_t operations = steps::to_uint(a[1]);
                      if (operations == 0) throw AssertionFailed("a barrier measurement needs at least one operation");
                      static std::atomic<std::uint64_t> cell{0};
                      // A relaxed store, a full fence (mfence / dmb ish) and a load of a shared cell, with and without the fence.
                      auto loop = [&](bool fence) {
                          const std::int64_t start = bench::now_ns();
                          for (std::uint64_t i = 1; i <= operations; ++i) {
                              cell.store(i, std::memory_order_relaxed);
                              if (fence) std::atomic_thread_fence(std::memory_order_seq_cst);
                              if (cell.load(std::memory_order_relaxed) != i) {
                                  throw AssertionFailed("the barrier loop read another value than it stored at operation " + std::to_string(i));
                              }
                          }
                          return static_cast<double>(bench::now_ns() - start) / static_cast<double>(operations);
                      };
                      const double with_barrier = loop(true);
                      const double without = loop(false);
                      measured(ctx, r, a[0], "barrier", "reader",
                               Metrics{{"operations", static_cast<double>(operations)}, {"ns_per_barrier", bench::round3(with_barrier)}}, "",
                               "no-barrier", Metrics{{"operations", static_cast<double>(operations)}, {"ns_per_op", bench::round3(without)}});
                  });

    registry.then(ROLE + "should see the buffer degrade and recover reading frames of size " + COUNT + " with " + COUNT +
                      " ms delay over a " + COUNT + " ms window",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::size_t size = steps::to_uint(a[1]);
                      const auto delay = steps::to_ms(a[2]);
                      const std::uint64_t window_ms = steps::to_uint(a[3]);
                      auto& reader = zb(ctx).reader();
                      bench::DegradationDetector detector(static_cast<std::int64_t>(window_ms) * 1'000'000);
                      nlohmann::json series = nlohmann::json::array();
                      double last_point = -1e18;
                      std::int64_t start = 0;
                      std::int64_t last_sample = 0;
                      std::uint64_t frames = 0;
                      while (true) {
                          std::int64_t stamp;
                          {
                              zerobuffer::Frame frame = zb(ctx).read_frame(reader, READ_TIMEOUT);
                              expect_frame(frame, reader.name(), size, "frame " + std::to_string(frames + 1));
                              zb(ctx).last_sequence() = frame.sequence();
                              stamp = bench::stamp_of(frame);
                          }
                          if (stamp == 0) break;
                          ++frames;
                          if (start == 0) start = stamp;
                          const std::int64_t now = bench::now_ns();
                          const bool slow = !detector.degraded_at();
                          if (slow || now - last_sample >= SAMPLE_EVERY_NS) {
                              const auto oieb = zerobuffer::inspect_buffer(reader.name()).oieb;
                              const double u = bench::DegradationDetector::utilization(oieb.payload_free_bytes, oieb.payload_size);
                              detector.sample(now, u);
                              const double at_ms = static_cast<double>(now - start) / 1e6;
                              if (at_ms - last_point >= static_cast<double>(SERIES_EVERY_NS) / 1e6) {
                                  series.push_back({bench::round3(at_ms), bench::round3(100.0 * u)});
                                  last_point = at_ms;
                              }
                              last_sample = now;
                          }
                          if (slow && !detector.degraded_at()) ctx.sleep_for(delay);
                      }
                      // Copies taken once, after the run: both must be there to report durations.
                      const std::optional<std::int64_t> degraded = detector.degraded_at();
                      const std::optional<std::int64_t> recovered = detector.recovered_at();
                      if (!degraded) {
                          throw AssertionFailed("'" + reader.name() + "' never degraded: its utilisation peaked at " +
                                                std::to_string(100.0 * detector.max_utilization()) + " % over " + std::to_string(frames) +
                                                " frames (degraded = above 80 % for " + a[3] + " ms)");
                      }
                      if (!recovered) {
                          throw AssertionFailed("'" + reader.name() + "' degraded but did not recover before the writer stopped (recovered = at or below 80 % for " +
                                                a[3] + " ms)");
                      }
                      Metrics m{{"frame_bytes", static_cast<double>(size)},
                                {"frames", static_cast<double>(frames)},
                                {"window_ms", static_cast<double>(window_ms)},
                                {"time_to_degrade_ms", bench::round3(static_cast<double>(degraded.value_or(start) - start) / 1e6)},
                                {"time_to_recover_ms", bench::round3(static_cast<double>(recovered.value_or(0) - degraded.value_or(0)) / 1e6)},
                                {"max_utilization_pct", bench::round3(100.0 * detector.max_utilization())}};
                      measured(ctx, r, a[0], "degradation", "reader", m, reader.name());
                      r.data["utilization"] = series;
                  });

    registry.then(ROLE + "should have measured " + MEASURED + " below " + COUNT,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) { check_bound(ctx, a, r, true); });

    registry.then(ROLE + "should have measured " + MEASURED + " above " + COUNT,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) { check_bound(ctx, a, r, false); });
}

}  // namespace zbserve::step_definitions
