#include "step_definitions/support/step_client.hpp"

#include "steps/step_errors.hpp"

namespace zbserve::step_definitions {

using steps::AssertionFailed;

namespace {
constexpr std::size_t RESPONSE_METADATA_SIZE = 4096;
}

std::vector<std::uint8_t> pattern_bytes(std::uint64_t seed, std::size_t size) {
    std::vector<std::uint8_t> data(size);
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>((seed + i) & 0xFF);
    return data;
}

std::string describe_sequences(const std::map<std::uint64_t, std::vector<std::uint8_t>>& requests) {
    std::string text = "[";
    for (const auto& [sequence, request] : requests) {
        if (text.size() > 1) text += ", ";
        text += std::to_string(sequence);
    }
    return text + "]";
}

void check_response(const std::string& channel, DuplexHandler handler, std::uint64_t sequence,
                    const std::vector<std::uint8_t>& request, const std::uint8_t* data, std::size_t size) {
    std::vector<std::uint8_t> expected = expected_response(handler, request);
    std::string what = "channel '" + channel + "': the response to request " + std::to_string(sequence);
    if (size != expected.size()) {
        throw AssertionFailed(what + " has " + std::to_string(size) + " bytes, expected " + std::to_string(expected.size()));
    }
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] != expected[i]) {
            throw AssertionFailed(what + " differs at byte " + std::to_string(i) + ": expected " +
                                  std::to_string(expected[i]) + ", got " + std::to_string(data[i]));
        }
    }
}

StepClient::StepClient(std::string feature_name, const std::string& channel, std::size_t response_payload_size)
    : feature_name_(std::move(feature_name)),
      client_(std::make_unique<zerobuffer::duplex::DuplexClient>(
          channel, zerobuffer::BufferConfig(RESPONSE_METADATA_SIZE, response_payload_size))) {}

StepClient::~StepClient() = default;

// The time is taken before the send: the server may answer before a later clock read (this thread can
// be preempted right after the commit), and the timing phrases' lower bounds must never be undercut.
void StepClient::sent(std::uint64_t sequence, std::vector<std::uint8_t> request, Clock::time_point before) {
    pending[sequence] = std::move(request);
    expected_next_ = sequence + 1;
    last_sent = before;
    if (!first_sent) first_sent = last_sent;
}

std::uint64_t StepClient::send(std::size_t size) {
    std::uint64_t sequence = 0;
    thread_.run([&] {
        std::vector<std::uint8_t> request = pattern_bytes(expected_next_, size);
        const Clock::time_point before = Clock::now();
        sequence = client_->send_request(request);
        if (sequence != expected_next_) {
            throw AssertionFailed("channel '" + channel_name() + "': the request got sequence " +
                                  std::to_string(sequence) + ", expected " + std::to_string(expected_next_));
        }
        sent(sequence, std::move(request), before);
    });
    return sequence;
}

std::uint64_t StepClient::send_zero_copy(std::size_t size) {
    std::uint64_t sequence = 0;
    thread_.run([&] {
        void* buffer = nullptr;
        sequence = client_->acquire_request_buffer(size, &buffer);
        auto* target = static_cast<std::uint8_t*>(buffer);
        for (std::size_t i = 0; i < size; ++i) target[i] = static_cast<std::uint8_t>((sequence + i) & 0xFF);
        std::vector<std::uint8_t> record(target, target + size);  // taken before the commit hands the bytes over
        const Clock::time_point before = Clock::now();
        client_->commit_request();
        sent(sequence, std::move(record), before);
    });
    return sequence;
}

bool StepClient::receive_one(DuplexHandler handler, std::chrono::milliseconds timeout, std::vector<std::uint64_t>& order) {
    bool got = false;
    thread_.run([&] {
        zerobuffer::duplex::DuplexResponse response = client_->receive_response(timeout);
        if (!response.valid()) return;
        auto it = pending.find(response.sequence());
        if (it == pending.end()) {
            throw AssertionFailed("channel '" + channel_name() + "': response " + std::to_string(response.sequence()) +
                                  " answers no pending request (pending: " + describe_sequences(pending) + ")");
        }
        check_response(channel_name(), handler, response.sequence(), it->second, response.data(), response.size());
        responses[response.sequence()] = std::vector<std::uint8_t>(response.data(), response.data() + response.size());
        pending.erase(it);
        last_received = Clock::now();
        if (!first_received) first_received = last_received;
        order.push_back(response.sequence());
        got = true;
    });
    return got;
}

}  // namespace zbserve::step_definitions
