// A duplex client connected by a step, with what it sent and received (STEPS.md "Duplex channel",
// request data and client times). Its sends and receives run on its own thread (ClientThread), except
// in the threads step, whose threads keep their own books.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "step_definitions/support/client_thread.hpp"
#include "step_definitions/support/duplex_handlers.hpp"
#include "zerobuffer/duplex.hpp"

namespace zbserve::step_definitions {

// The frame pattern of seed s: byte i is (s + i) & 0xFF.
std::vector<std::uint8_t> pattern_bytes(std::uint64_t seed, std::size_t size);
// "[1, 2, 3]" of the keys.
std::string describe_sequences(const std::map<std::uint64_t, std::vector<std::uint8_t>>& requests);
// The response must be exactly the handler's result for the request; else AssertionFailed.
void check_response(const std::string& channel, DuplexHandler handler, std::uint64_t sequence,
                    const std::vector<std::uint8_t>& request, const std::uint8_t* data, std::size_t size);

class StepClient {
public:
    using Clock = std::chrono::steady_clock;

    StepClient(std::string feature_name, const std::string& channel, std::size_t response_payload_size);
    ~StepClient();
    StepClient(const StepClient&) = delete;
    StepClient& operator=(const StepClient&) = delete;

    const std::string& feature_name() const noexcept { return feature_name_; }
    const std::string& channel_name() const noexcept { return client_->channel_name(); }
    zerobuffer::duplex::DuplexClient& client() noexcept { return *client_; }

    // Sends (copying) the pattern of the sequence the request must get; checks it got it.
    std::uint64_t send(std::size_t size);
    // Acquires the request in the ring, writes the pattern of its sequence there, commits.
    std::uint64_t send_zero_copy(std::size_t size);
    // Receives one response within timeout and checks it; false on timeout.
    bool receive_one(DuplexHandler handler, std::chrono::milliseconds timeout, std::vector<std::uint64_t>& order);
    // Runs op on the client's thread (where its requests are sent).
    void on_client_thread(const std::function<void()>& op) { thread_.run(op); }

    std::map<std::uint64_t, std::vector<std::uint8_t>> pending;    // sent, not answered
    std::map<std::uint64_t, std::vector<std::uint8_t>> responses;  // received, by request sequence
    std::optional<Clock::time_point> first_sent, last_sent, first_received, last_received;

private:
    void sent(std::uint64_t sequence, std::vector<std::uint8_t> request, Clock::time_point before);

    std::string feature_name_;
    std::unique_ptr<zerobuffer::duplex::DuplexClient> client_;
    std::uint64_t expected_next_ = 1;
    ClientThread thread_;  // declared last: stopped first
};

}  // namespace zbserve::step_definitions
