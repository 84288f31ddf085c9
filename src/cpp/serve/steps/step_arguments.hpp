// Converting captures for step code, and naming a step's multiline argument.
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

// discover's "accepts" values (Harmony.Protocol StepArgumentKinds).
namespace argument_kinds {
inline constexpr const char* None = "none";
inline constexpr const char* Table = "table";
inline constexpr const char* DocString = "docString";
}  // namespace argument_kinds

// The kind of an executeStep argument: "table", "docString" or "none". A key holding null counts as
// absent, as the C# orchestrator writes the kind it does not send ({"table": null, "docString": {..}}).
const char* argument_kind(const nlohmann::json& argument);

}  // namespace zbserve::steps
