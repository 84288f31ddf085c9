// What a step server answers (STEPS.md "Duplex channel", handlers), for servers and clients alike.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "steps/step_errors.hpp"

namespace zbserve::step_definitions {

enum class DuplexHandler { Echo, Xor, Double };

inline DuplexHandler parse_handler(const std::string& name) {
    if (name == "echo") return DuplexHandler::Echo;
    if (name == "xor") return DuplexHandler::Xor;
    if (name == "double") return DuplexHandler::Double;
    throw steps::StepArgumentError("unknown handler '" + name + "' (echo, xor or double)");
}

inline std::size_t response_size(DuplexHandler handler, std::size_t request_size) {
    return handler == DuplexHandler::Double ? 2 * request_size : request_size;
}

// XOR 0xFF in place (the mutable server's transform): no allocation.
inline void flip_in_place(std::uint8_t* data, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) data[i] ^= 0xFF;
}

// Writes the response to the request into target (response_size bytes).
inline void transform(DuplexHandler handler, const std::uint8_t* request, std::size_t size, std::uint8_t* target) {
    std::copy(request, request + size, target);
    if (handler == DuplexHandler::Xor) flip_in_place(target, size);
    if (handler == DuplexHandler::Double) std::copy(request, request + size, target + size);
}

inline std::vector<std::uint8_t> expected_response(DuplexHandler handler, const std::vector<std::uint8_t>& request) {
    std::vector<std::uint8_t> response(response_size(handler, request.size()));
    transform(handler, request.data(), request.size(), response.data());
    return response;
}

}  // namespace zbserve::step_definitions
