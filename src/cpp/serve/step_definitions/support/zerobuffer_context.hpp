// The ZeroBuffer state of one scenario: readers and writers by buffer name (with the role whose step
// created each), the current ones and the current buffer, each reader's last consumed sequence, the
// write timeout. A per-scenario service of the step context, released after the context has stopped
// background work.
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

    // buffer_name filled up with 'x' to exactly pad_to characters (0: as it is), so a feature can name
    // a maximum-length buffer whatever the run id's length; AssertionFailed when it is already longer.
    std::string padded_buffer_name(const std::string& feature_name, std::size_t pad_to) const;

    // Close the current reader / writer gracefully and forget it (the current buffer stays); returns
    // its buffer. A writer still used by background work is refused with AssertionFailed.
    std::string close_reader();
    std::string close_writer();
    // Close every reader of the scenario gracefully and forget them (the current buffer stays);
    // returns their buffers.
    std::vector<std::string> close_all_readers();
    // AssertionFailed while a background read is still running (a reader is single-threaded).
    void check_not_reading() const;

    // The current reader / writer, or AssertionFailed naming what is missing.
    zerobuffer::Reader& reader();
    std::shared_ptr<zerobuffer::Writer> writer();
    bool has_writer() const { return writers_.count(current_writer_) != 0; }
    // The buffer of the last create / connect / stale-resources step, or AssertionFailed.
    const std::string& current_buffer() const;
    void set_current_buffer(const std::string& name) { current_buffer_ = name; }

    // Stores a reader created by a step of role; it becomes the current reader and buffer.
    void add_reader(const std::string& name, std::unique_ptr<zerobuffer::Reader> reader, const std::string& role);
    // A new Writer for name (disposing a previous one first), with the write timeout, for a step of
    // role; it becomes the current writer and buffer.
    void connect(const std::string& name, const std::string& role);

    // reader.read_frame(timeout) in slices, throwing StepCancelled once the scenario is cancelled.
    zerobuffer::Frame read_frame(zerobuffer::Reader& reader, std::chrono::milliseconds timeout);

    // The last sequence the current reader consumed (0 before its first frame).
    std::uint64_t& last_sequence();

    std::optional<std::chrono::milliseconds> write_timeout;

    std::vector<std::string> release() override;
    // Abandons role's readers and writers (see abandon_reader / abandon_writer) and forgets them.
    std::vector<std::string> crash(const std::string& role) override;

private:
    template <typename T>
    struct Owned {
        T object;
        std::string role;
    };

    steps::ScenarioContext& context_;
    std::map<std::string, Owned<std::unique_ptr<zerobuffer::Reader>>> readers_;
    std::map<std::string, Owned<std::shared_ptr<zerobuffer::Writer>>> writers_;
    std::map<std::string, std::uint64_t> last_sequences_;
    std::string current_reader_;
    std::string current_writer_;
    std::string current_buffer_;
};

// A reader / writer left as a killed process leaves it (STEPS.md "Same-process crashes"): its
// descriptors closed, nothing unlinked, no OIEB field reset, and its pid field naming a reaped child.
void abandon_reader(zerobuffer::Reader& reader);
void abandon_writer(zerobuffer::Writer& writer);

// The scenario's ZeroBuffer state.
inline ZeroBufferContext& zb(steps::ScenarioContext& ctx) { return ctx.service<ZeroBufferContext>(); }

}  // namespace zbserve::step_definitions
