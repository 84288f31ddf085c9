#include "rpc/worker_service.hpp"

#include <unistd.h>

#include <chrono>

#include "logging/log_capture.hpp"
#include "steps/ring_buffer_steps.hpp"
#include "zerobuffer/errors.hpp"

namespace zbserve::rpc {

using steps::StepRequest;
using steps::StepResult;

namespace {

constexpr const char* VERSION = "1.0.0";

std::string optional_string(const Json& params, const std::string& key) {
    const Json* v = find_param(params, key);
    if (v == nullptr || v->is_null()) return {};
    if (!v->is_string()) throw RpcError(ErrorCode::InvalidParams, "'" + key + "' must be a string");
    return v->get<std::string>();
}

double elapsed_ms(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

WorkerService::WorkerService(WorkerOptions options)
    : options_(options), executor_(std::make_unique<steps::StepExecutor>()),
      context_(std::make_shared<steps::ScenarioContext>()) {
    steps::register_ring_buffer_steps(registry_);
}

WorkerService::~WorkerService() { release_all(); }

void WorkerService::bind(Dispatcher& d) {
    d.add("health", [this](const Json& p) { return health(p); });
    d.add("initialize", [this](const Json& p) { return initialize(p); });
    d.add("discover", [this](const Json& p) { return discover(p); });
    d.add("executeStep", [this](const Json& p) { return execute_step(p); });
    d.add("cleanup", [this](const Json& p) { return cleanup(p); });
    d.add("shutdown", [this](const Json& p) { return shutdown(p); });
}

Json WorkerService::health(const Json&) {
    return Json{{"status", "ok"}, {"platform", "cpp"}, {"pid", static_cast<int>(::getpid())}, {"protocol", 1},
                {"version", VERSION}};
}

Json WorkerService::initialize(const Json& params) {
    std::string run_id = optional_string(params, "runId");
    std::string role = optional_string(params, "role");
    std::string scenario = optional_string(params, "scenario");
    std::string feature = optional_string(params, "feature");
    std::string mode = optional_string(params, "mode");
    optional_string(params, "platform");
    if (const Json* roles = find_param(params, "roles"); roles != nullptr && !roles->is_null() && !roles->is_array()) {
        throw RpcError(ErrorCode::InvalidParams, "'roles' must be an array of strings");
    }
    if (!mode.empty() && mode != "separate-process" && mode != "same-process") {
        throw RpcError(ErrorCode::InvalidParams, "'mode' must be separate-process or same-process, not '" + mode + "'");
    }
    if (has_scenario_) {
        log_info("initialize while scenario '" + scenario_ + "' is still held: cleaning it up first");
        release_all();
    }
    context_ = std::make_shared<steps::ScenarioContext>(run_id);
    has_scenario_ = true;
    scenario_ = scenario;
    log_info("initialized for scenario '" + scenario + "' (feature '" + feature + "', role '" + role + "', mode '" +
             (mode.empty() ? "separate-process" : mode) + "', runId '" + run_id + "')");
    return Json{{"ok", true}};
}

Json WorkerService::discover(const Json&) {
    Json list = Json::array();
    for (const auto& def : registry_.definitions()) {
        list.push_back(Json{{"type", "step"}, {"pattern", def.pattern}, {"source", def.source}});
    }
    return Json{{"steps", list}};
}

StepRequest WorkerService::parse_step_request(const Json& params) const {
    StepRequest request;
    const Json* step = find_param(params, "step");
    if (step == nullptr || !step->is_string()) {
        throw RpcError(ErrorCode::InvalidParams, "executeStep needs 'step' (the step text) as a string");
    }
    request.text = step->get<std::string>();
    request.process = optional_string(params, "process");
    request.keyword = optional_string(params, "keyword");
    request.step_id = optional_string(params, "stepId");
    if (const Json* type = find_param(params, "stepType"); type != nullptr && !type->is_null()) {
        static const char* names[] = {"given", "when", "then"};
        if (type->is_string()) {
            request.step_type = type->get<std::string>();
        } else if (type->is_number_integer() && type->get<int>() >= 0 && type->get<int>() <= 2) {
            request.step_type = names[type->get<int>()];
        } else {
            throw RpcError(ErrorCode::InvalidParams, "'stepType' must be given|when|then or 0|1|2");
        }
    }
    if (const Json* b = find_param(params, "isBroadcast"); b != nullptr && !b->is_null()) {
        if (!b->is_boolean()) throw RpcError(ErrorCode::InvalidParams, "'isBroadcast' must be a boolean");
        request.is_broadcast = b->get<bool>();
    }
    if (const Json* arg = find_param(params, "argument"); arg != nullptr) request.argument = *arg;
    int timeout_ms = options_.default_timeout_ms;
    if (const Json* t = find_param(params, "timeoutMs"); t != nullptr && !t->is_null()) {
        if (!t->is_number()) throw RpcError(ErrorCode::InvalidParams, "'timeoutMs' must be a number");
        double value = t->get<double>();
        if (value > 0) timeout_ms = static_cast<int>(std::min(value, 2147483647.0));
    }
    if (options_.step_timeouts) request.timeout = std::chrono::milliseconds(timeout_ms);
    return request;
}

StepResult WorkerService::run_step(const StepRequest& request) {
    auto start = std::chrono::steady_clock::now();
    steps::StepMatch match = registry_.match(request.text);
    if (match.kind == steps::StepMatch::Kind::NotFound) {
        log_warning(match.message);
        return StepResult::failure("StepNotFound", match.message);
    }
    if (match.kind == steps::StepMatch::Kind::Ambiguous) {
        log_warning(match.message);
        return StepResult::failure("AmbiguousStep", match.message);
    }
    if (!request.argument.is_null()) {
        // No C++ step definition takes a table or doc string; one that arrives is an error, never
        // silently dropped (the C# and Python workers refuse it the same way).
        const char* what = request.argument.contains("table") ? "data table" : "doc string";
        std::string message = std::string("the step got a ") + what + ", but its definition " +
                              match.definition->source + " takes none";
        log_warning(message);
        return StepResult::failure("UnhandledException", message);
    }
    auto context = context_;
    auto abandoned = std::make_shared<std::atomic<bool>>(false);
    const steps::StepDefinition* def = match.definition;
    std::string text = request.text;
    auto job = [context, abandoned, def, args = match.args, text]() -> StepResult {
        // A step abandoned after a timeout may still hold the context; wait for it, and skip the
        // work entirely if this step was itself given up meanwhile.
        std::unique_lock lock(context->step_mutex);
        if (*abandoned) return StepResult::failure("StepTimeout", "abandoned before it started");
        StepResult result;
        try {
            def->handler(*context, args, result);
        } catch (const steps::AssertionFailed& e) {
            result = StepResult::failure("AssertionFailed", e.what());
        } catch (const zerobuffer::ZeroBufferException& e) {
            result = StepResult::failure(e.kind(), e.what());
        } catch (const std::exception& e) {
            result = StepResult::failure("UnhandledException", e.what());
        }
        return result;
    };
    log_debug("executing step '" + text + "'" + (request.process.empty() ? "" : " for '" + request.process + "'"));
    std::optional<StepResult> outcome = executor_->run(job, request.timeout);
    StepResult result;
    if (outcome) {
        result = std::move(*outcome);
    } else {
        *abandoned = true;
        double elapsed = elapsed_ms(start);
        result = StepResult::failure("StepTimeout", "step '" + text + "' did not finish within its timeout of " +
                                                        std::to_string(request.timeout->count()) + " ms (abandoned after " +
                                                        std::to_string(static_cast<long long>(elapsed)) + " ms)");
        result.data["elapsedMs"] = elapsed;
    }
    result.duration_ms = elapsed_ms(start);
    if (!result.success) log_warning("step '" + text + "' failed (" + result.error_type + "): " + result.error);
    return result;
}

Json WorkerService::to_json(const StepResult& result) {
    Json logs = Json::array();
    for (auto& entry : LogCapture::instance().drain()) {
        logs.push_back(Json{{"timestamp", entry.timestamp},
                            {"level", zerobuffer::to_string(entry.level)},
                            {"message", entry.message}});
    }
    return Json{{"success", result.success},
                {"error", result.success ? Json(nullptr) : Json(result.error)},
                {"errorType", result.success ? Json(nullptr) : Json(result.error_type)},
                {"data", result.data},
                {"logs", logs},
                {"durationMs", result.duration_ms}};
}

Json WorkerService::execute_step(const Json& params) {
    StepRequest request = parse_step_request(params);
    return to_json(run_step(request));
}

std::vector<std::string> WorkerService::release_all() {
    std::vector<std::string> released;
    auto old = std::exchange(context_, std::make_shared<steps::ScenarioContext>());
    has_scenario_ = false;
    {
        std::unique_lock lock(old->step_mutex, std::defer_lock);
        if (lock.try_lock_for(std::chrono::seconds(10))) {
            released = old->dispose();
        } else {
            log_warning("an abandoned step still holds the scenario; its buffers are released when it finishes");
        }
    }
    for (const auto& r : released) log_debug("released " + r);
    return released;
}

Json WorkerService::cleanup(const Json&) {
    auto released = release_all();
    log_info("cleanup released " + std::to_string(released.size()) + " resource(s)");
    return Json{{"ok", true}, {"released", released}};
}

Json WorkerService::shutdown(const Json&) {
    shutdown_ = true;
    return Json{{"ok", true}};
}

}  // namespace zbserve::rpc
