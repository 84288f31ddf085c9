// What the invoker is asked (StepRequest) and what a step reports (StepResult).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace zbserve::steps {

struct StepRequest {
    std::string process;
    std::string step_type;  // given|when|then (informational)
    std::string keyword;
    std::string text;
    nlohmann::json argument;  // null, {"table": ...} or {"docString": ...}
    bool is_broadcast = false;
    std::optional<std::chrono::milliseconds> timeout;  // nullopt: none (debugger attached)
    std::string step_id;
};

struct StepResult {
    bool success = true;
    std::string error;
    std::string error_type;  // empty when success
    nlohmann::json data = nlohmann::json::object();  // always an object
    double duration_ms = 0;

    static StepResult failure(std::string type, std::string message) {
        StepResult r;
        r.success = false;
        r.error_type = std::move(type);
        r.error = std::move(message);
        return r;
    }
};

}  // namespace zbserve::steps
