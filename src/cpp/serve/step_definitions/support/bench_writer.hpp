// The writer side of a benchmark (STEPS.md "Benchmarks"): bodies for steps::BackgroundWork that write timed
// frames (as fast as they can for a duration), paced frames (at a rate for a duration; a late frame does not
// make the next one early) or answer latency probes, each ending with its own figures. Benchmark frames are
// a memcpy of a prepared source with the CLOCK_MONOTONIC write-start nanoseconds in their first 8 bytes
// (little-endian); a frame stamped 0 ends a timed or paced stream.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "step_definitions/support/bench_stats.hpp"
#include "steps/scenario_context.hpp"
#include "zerobuffer/frame.hpp"
#include "zerobuffer/writer.hpp"

namespace zbserve::step_definitions::bench {

inline constexpr std::size_t STAMP_BYTES = 8;
// How long a probe answerer waits for the next probe, and a benchmark reader for the next frame.
inline constexpr std::chrono::milliseconds PROBE_TIMEOUT{5000};
// The semaphore ping-pong baseline of a latency measurement: this many round trips at most (STEPS.md).
inline constexpr std::uint64_t BASELINE_PING_PONGS = 1000;

// AssertionFailed when a frame cannot hold the stamp.
void check_size(std::size_t size);
std::vector<std::uint8_t> source(std::size_t size);
void write_stamped(zerobuffer::Writer& writer, const std::vector<std::uint8_t>& source, std::int64_t stamp);
std::int64_t stamp_of(const zerobuffer::Frame& frame);

// "/bench-ping-<buffer>", "/bench-pong-<buffer>".
std::string ping_name(const std::string& buffer);
std::string pong_name(const std::string& buffer);

// Where a body leaves its figures for the step that joins it.
struct WriterOutcome {
    std::string measurement;  // BENCH-CONTRACT measurement
    std::string buffer;
    Metrics metrics;
};

using Body = std::function<void(steps::BackgroundWork&)>;

Body timed(std::shared_ptr<zerobuffer::Writer> writer, std::size_t size, double seconds, std::shared_ptr<WriterOutcome> out);
Body paced(std::shared_ptr<zerobuffer::Writer> writer, std::size_t size, std::uint64_t rate, double seconds,
           std::shared_ptr<WriterOutcome> out);
// Creates the probe pair now (so the reader's step finds it) and unlinks it when the body ends: the first
// min(count, BASELINE_PING_PONGS) probes are answered with a pong (the reader's semaphore ping-pong baseline),
// the next count with a frame.
Body probes(std::shared_ptr<zerobuffer::Writer> writer, std::uint64_t count, std::size_t size,
            std::shared_ptr<WriterOutcome> out);

}  // namespace zbserve::step_definitions::bench
