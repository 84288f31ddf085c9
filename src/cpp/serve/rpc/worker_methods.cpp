#include "rpc/worker_methods.hpp"

#include <unistd.h>

#include "logging/log_capture.hpp"
#include "worker_identity.hpp"

namespace zbserve::rpc {

WorkerMethods::WorkerMethods(const steps::StepRegistry& registry, steps::StepInvoker& invoker,
                             params::StepDefaults defaults)
    : registry_(registry), invoker_(invoker), defaults_(defaults),
      context_(std::make_shared<steps::ScenarioContext>()) {}

WorkerMethods::~WorkerMethods() { release_all(); }

void WorkerMethods::bind(Dispatcher& d) {
    d.add("health", [this](const Json& p) { return health(p); });
    d.add("initialize", [this](const Json& p) { return initialize(p); });
    d.add("discover", [this](const Json& p) { return discover(p); });
    d.add("executeStep", [this](const Json& p) { return execute_step(p); });
    d.add("cleanup", [this](const Json& p) { return cleanup(p); });
    d.add("shutdown", [this](const Json& p) { return shutdown(p); });
    d.add("simulateCrash", [this](const Json& p) { return simulate_crash(p); });
}

Json WorkerMethods::health(const Json&) {
    return Json{{"status", "ok"}, {"platform", PLATFORM}, {"pid", static_cast<int>(::getpid())}, {"protocol", 1},
                {"version", VERSION}};
}

Json WorkerMethods::initialize(const Json& p) {
    steps::ScenarioInfo info{params::optional_string(p, "runId"), params::optional_string(p, "role"),
                             params::optional_string(p, "mode"), params::optional_string(p, "scenario"),
                             params::optional_string(p, "feature")};
    params::optional_string(p, "platform");
    if (const Json* roles = params::find(p, "roles"); roles != nullptr && !roles->is_null() && !roles->is_array()) {
        throw RpcError(ErrorCode::InvalidParams, "'roles' must be an array of strings");
    }
    if (info.mode.empty()) info.mode = "separate-process";
    if (info.mode != "separate-process" && info.mode != "same-process") {
        throw RpcError(ErrorCode::InvalidParams, "'mode' must be separate-process or same-process, not '" + info.mode + "'");
    }
    if (has_scenario_) {
        log_info("initialize while scenario '" + context_->info().scenario + "' is still held: cleaning it up first");
        release_all();
    }
    log_info("initialized for scenario '" + info.scenario + "' (feature '" + info.feature + "', role '" + info.role +
             "', mode '" + info.mode + "', runId '" + info.run_id + "')");
    context_ = std::make_shared<steps::ScenarioContext>(std::move(info));
    has_scenario_ = true;
    return Json{{"ok", true}};
}

Json WorkerMethods::discover(const Json&) {
    Json list = Json::array();
    for (const auto& def : registry_.definitions()) {
        Json entry{{"type", steps::to_string(def.type)}, {"pattern", def.pattern}, {"source", def.source}, {"accepts", def.accepts()}};
        if (!def.valid()) entry["error"] = def.error;
        list.push_back(std::move(entry));
    }
    return Json{{"steps", list}};
}

Json WorkerMethods::execute_step(const Json& p) {
    steps::StepResult result = invoker_.invoke(context_, params::step_request(p, defaults_));
    Json logs = Json::array();
    for (auto& entry : LogCapture::instance().drain()) {
        logs.push_back(Json{{"timestamp", entry.timestamp},
                            {"level", zerobuffer::to_string(entry.level)},
                            {"message", entry.message}});
    }
    return Json{{"success", result.success},
                {"error", result.success ? Json(nullptr) : Json(result.error)},
                {"errorType", result.success ? Json(nullptr) : Json(result.error_type)},
                {"data", result.data.is_object() ? result.data : Json::object()},
                {"logs", logs},
                {"durationMs", result.duration_ms}};
}

std::vector<std::string> WorkerMethods::release_all(std::chrono::milliseconds join_limit) {
    std::vector<std::string> released;
    auto old = std::exchange(context_, std::make_shared<steps::ScenarioContext>());
    has_scenario_ = false;
    old->cancel();  // a step still running on it (abandoned) ends at its next cancellation check
    {
        std::unique_lock lock(old->step_mutex, std::defer_lock);
        if (lock.try_lock_for(join_limit)) {
            released = old->dispose(join_limit);
        } else {
            log_warning("an abandoned step still holds the scenario; its buffers are released when it finishes");
        }
    }
    for (const auto& r : released) log_debug("released " + r);
    return released;
}

Json WorkerMethods::cleanup(const Json&) {
    auto released = release_all();
    log_info("cleanup released " + std::to_string(released.size()) + " resource(s)");
    return Json{{"ok", true}, {"released", released}};
}

// Same-process mode: the role's readers, writers and background work are abandoned as a killed
// process leaves them (ScenarioContext::crash); an unknown role abandons nothing.
Json WorkerMethods::simulate_crash(const Json& p) {
    std::string role = params::optional_string(p, "role");
    if (role.empty()) throw RpcError(ErrorCode::InvalidParams, "'role' must be a non-empty string");
    std::unique_lock lock(context_->step_mutex, std::defer_lock);
    if (!lock.try_lock_for(steps::ScenarioContext::CLEANUP_JOIN)) {
        throw RpcError(ErrorCode::InternalError, "a step still holds the scenario; cannot crash role '" + role + "'");
    }
    auto abandoned = context_->crash(role);
    log_info("simulated a crash of role '" + role + "': abandoned " + std::to_string(abandoned.size()) + " resource(s)");
    for (const auto& a : abandoned) log_debug("abandoned " + a);
    return Json{{"ok", true}};
}

Json WorkerMethods::shutdown(const Json&) {
    shutdown_ = true;
    return Json{{"ok", true}};
}

}  // namespace zbserve::rpc
