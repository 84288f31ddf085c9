// Converting captures for step code, and refusing a table or doc string no C++ definition takes.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "steps/step_request.hpp"

namespace zbserve::steps {

// A decimal capture; StepArgumentError when it is not one (or overflows).
std::uint64_t to_uint(const std::string& capture);
std::chrono::milliseconds to_ms(const std::string& capture);
// A signed decimal capture (64-bit); StepArgumentError when it is not one.
std::int64_t to_int(const std::string& capture);

// StepArgumentError when the request carries a table or doc string (no C++ definition takes one).
void refuse_multiline_argument(const StepRequest& request);

}  // namespace zbserve::steps
