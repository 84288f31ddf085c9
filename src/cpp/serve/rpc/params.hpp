// Reading method params: the compat forms (PascalCase keys, stepType 0/1/2) and typed getters
// that throw RpcError(InvalidParams) naming the key.
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "steps/step_request.hpp"

namespace zbserve::rpc::params {

using Json = nlohmann::json;

// params["key"], also accepting the PascalCase spelling; nullptr when absent.
const Json* find(const Json& params, const std::string& camel_key);
// The string at key; empty when absent or null; -32602 when another type.
std::string optional_string(const Json& params, const std::string& key);

struct StepDefaults {
    std::chrono::milliseconds timeout{30000};
    bool timeouts_enabled = true;  // false while a debugger is attached
};
// The executeStep params as a StepRequest.
steps::StepRequest step_request(const Json& params, const StepDefaults& defaults);

}  // namespace zbserve::rpc::params
