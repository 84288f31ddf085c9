// The duplex state of one scenario in one worker (STEPS.md "Duplex channel"): servers and clients by
// channel (as the feature names it) and the current ones (the last started / connected). A
// per-scenario service of the step context; release stops every server, then disposes every client.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "step_definitions/support/step_client.hpp"
#include "step_definitions/support/step_server.hpp"
#include "steps/scenario_context.hpp"

namespace zbserve::step_definitions {

class DuplexContext : public steps::ScenarioService {
public:
    explicit DuplexContext(steps::ScenarioContext& context) : context_(context) {}

    // The run-unique OS name of a feature's channel, prefixed like buffer names.
    std::string channel_name(const std::string& feature_name) const;

    StepServer& current_server();
    StepClient& current_client();
    StepServer& server(const std::string& feature_name);
    StepClient& client(const std::string& feature_name);

    void add_server(std::unique_ptr<StepServer> server);
    // Stops and forgets the channel's server; returns how many requests it answered.
    int stop_server(const std::string& feature_name);
    // A new client (disposing this worker's previous client of the channel); it becomes current.
    StepClient& connect(const std::string& feature_name, std::size_t response_payload_size);
    void disconnect(const std::string& feature_name);

    std::vector<std::string> release() override;

private:
    steps::ScenarioContext& context_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<StepServer>> servers_;
    std::map<std::string, std::unique_ptr<StepClient>> clients_;
    StepServer* current_server_ = nullptr;
    StepClient* current_client_ = nullptr;
};

inline DuplexContext& duplex(steps::ScenarioContext& ctx) { return ctx.service<DuplexContext>(); }

}  // namespace zbserve::step_definitions
