#include "step_definitions/support/patterns.hpp"

#include "steps/step_errors.hpp"

namespace zbserve::step_definitions {

using steps::AssertionFailed;

std::uint64_t write_pattern_frame(zerobuffer::Writer& writer, std::size_t size) {
    std::uint64_t sequence = 0;
    auto* data = static_cast<std::uint8_t*>(writer.get_frame_buffer(size, sequence));
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>((sequence + i) & 0xFF);
    writer.commit_frame();
    return sequence;
}

void write_pattern_metadata(zerobuffer::Writer& writer, std::size_t size) {
    auto* data = static_cast<std::uint8_t*>(writer.get_metadata_buffer(size));
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>(i & 0xFF);
    writer.commit_metadata();
}

void check_frame(const zerobuffer::Frame& frame, const std::string& buffer, std::uint64_t sequence, std::size_t size,
                 std::chrono::milliseconds waited) {
    if (!frame.valid()) {
        throw AssertionFailed("no frame arrived on buffer '" + buffer + "' within " + std::to_string(waited.count()) +
                              " ms (expected sequence " + std::to_string(sequence) + ", size " + std::to_string(size) +
                              ")");
    }
    if (frame.sequence() != sequence) {
        throw AssertionFailed("buffer '" + buffer + "': expected frame sequence " + std::to_string(sequence) +
                              ", got " + std::to_string(frame.sequence()));
    }
    if (frame.size() != size) {
        throw AssertionFailed("buffer '" + buffer + "': frame " + std::to_string(sequence) + " has size " +
                              std::to_string(frame.size()) + ", expected " + std::to_string(size));
    }
    const std::uint8_t* bytes = frame.bytes();
    for (std::size_t i = 0; i < frame.size(); ++i) {
        auto expected = static_cast<std::uint8_t>((sequence + i) & 0xFF);
        if (bytes[i] != expected) {
            throw AssertionFailed("buffer '" + buffer + "': frame " + std::to_string(sequence) + " byte " +
                                  std::to_string(i) + " is " + std::to_string(bytes[i]) + ", expected " +
                                  std::to_string(expected) + " (pattern (sequence + i) & 0xFF)");
        }
    }
}

}  // namespace zbserve::step_definitions
