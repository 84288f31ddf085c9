// The byte patterns every language writes and checks (features/STEPS.md "Patterns"):
// frame byte i of sequence s is (s + i) & 0xFF; metadata byte i is i & 0xFF.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "zerobuffer/frame.hpp"
#include "zerobuffer/writer.hpp"

namespace zbserve::step_definitions {

// Fills one frame through the zero-copy API with the pattern of its sequence; returns the sequence.
std::uint64_t write_pattern_frame(zerobuffer::Writer& writer, std::size_t size);
// Writes size bytes of the metadata pattern through the zero-copy calls (STEPS.md "Metadata").
void write_pattern_metadata(zerobuffer::Writer& writer, std::size_t size);
// Frame is valid, has the sequence and size, and follows the pattern; else AssertionFailed.
void check_frame(const zerobuffer::Frame& frame, const std::string& buffer, std::uint64_t sequence, std::size_t size,
                 std::chrono::milliseconds waited);

}  // namespace zbserve::step_definitions
