// The ZeroBuffer state of one scenario: readers and writers by buffer name, the current ones, the
// reader's last consumed sequence, the write timeout. A per-scenario service of the step context,
// released after the context has stopped background work.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "steps/scenario_context.hpp"
#include "zerobuffer/reader.hpp"
#include "zerobuffer/writer.hpp"

namespace zbserve::step_definitions {

class ZeroBufferContext : public steps::ScenarioService {
public:
    // Reads wait in slices this long so a cancelled scenario (cleanup, worker stopping) ends them soon.
    static constexpr std::chrono::milliseconds READ_SLICE{50};
    static constexpr std::chrono::milliseconds READ_TIMEOUT{5000};

    explicit ZeroBufferContext(steps::ScenarioContext& context) : context_(context) {}

    // "<runId>-<name>" (just name without a run id).
    std::string buffer_name(const std::string& feature_name) const;

    // The current reader / writer, or AssertionFailed naming what is missing.
    zerobuffer::Reader& reader();
    std::shared_ptr<zerobuffer::Writer> writer();
    bool has_writer() const { return writers_.count(current_writer_) != 0; }

    void add_reader(const std::string& name, std::unique_ptr<zerobuffer::Reader> reader);
    // A new Writer for name (disposing a previous one first), with the write timeout; it becomes current.
    void connect(const std::string& name);

    // reader.read_frame(timeout) in slices, throwing StepCancelled once the scenario is cancelled.
    zerobuffer::Frame read_frame(zerobuffer::Reader& reader, std::chrono::milliseconds timeout);

    std::uint64_t last_sequence = 0;  // of the current reader
    std::optional<std::chrono::milliseconds> write_timeout;

    std::vector<std::string> release() override;

private:
    steps::ScenarioContext& context_;
    std::map<std::string, std::unique_ptr<zerobuffer::Reader>> readers_;
    std::map<std::string, std::shared_ptr<zerobuffer::Writer>> writers_;
    std::string current_reader_;
    std::string current_writer_;
};

// The scenario's ZeroBuffer state.
inline ZeroBufferContext& zb(steps::ScenarioContext& ctx) { return ctx.service<ZeroBufferContext>(); }

}  // namespace zbserve::step_definitions
