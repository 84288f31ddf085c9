#include "rpc/params.hpp"

#include <algorithm>
#include <cctype>

#include "rpc/errors.hpp"

namespace zbserve::rpc::params {

const Json* find(const Json& params, const std::string& camel_key) {
    if (!params.is_object()) return nullptr;
    if (auto it = params.find(camel_key); it != params.end()) return &*it;
    std::string pascal = camel_key;
    pascal[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(pascal[0])));
    if (auto it = params.find(pascal); it != params.end()) return &*it;
    return nullptr;
}

std::string optional_string(const Json& params, const std::string& key) {
    const Json* v = find(params, key);
    if (v == nullptr || v->is_null()) return {};
    if (!v->is_string()) throw RpcError(ErrorCode::InvalidParams, "'" + key + "' must be a string");
    return v->get<std::string>();
}

steps::StepRequest step_request(const Json& params, const StepDefaults& defaults) {
    steps::StepRequest request;
    const Json* step = find(params, "step");
    if (step == nullptr || !step->is_string()) {
        throw RpcError(ErrorCode::InvalidParams, "executeStep needs 'step' (the step text) as a string");
    }
    request.text = step->get<std::string>();
    request.process = optional_string(params, "process");
    request.keyword = optional_string(params, "keyword");
    request.step_id = optional_string(params, "stepId");
    if (const Json* type = find(params, "stepType"); type != nullptr && !type->is_null()) {
        static const char* names[] = {"given", "when", "then"};
        if (type->is_string()) {
            request.step_type = type->get<std::string>();
        } else if (type->is_number_integer() && type->get<int>() >= 0 && type->get<int>() <= 2) {
            request.step_type = names[type->get<int>()];
        } else {
            throw RpcError(ErrorCode::InvalidParams, "'stepType' must be given|when|then or 0|1|2");
        }
    }
    if (const Json* b = find(params, "isBroadcast"); b != nullptr && !b->is_null()) {
        if (!b->is_boolean()) throw RpcError(ErrorCode::InvalidParams, "'isBroadcast' must be a boolean");
        request.is_broadcast = b->get<bool>();
    }
    if (const Json* arg = find(params, "argument"); arg != nullptr) request.argument = *arg;
    auto timeout = defaults.timeout;
    if (const Json* t = find(params, "timeoutMs"); t != nullptr && !t->is_null()) {
        if (!t->is_number()) throw RpcError(ErrorCode::InvalidParams, "'timeoutMs' must be a number");
        double value = t->get<double>();
        if (value > 0) timeout = std::chrono::milliseconds(static_cast<long long>(std::min(value, 2147483647.0)));
    }
    if (defaults.timeouts_enabled) request.timeout = timeout;
    return request;
}

}  // namespace zbserve::rpc::params
