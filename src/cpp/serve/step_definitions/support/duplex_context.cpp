#include "step_definitions/support/duplex_context.hpp"

#include "logging/log_capture.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_errors.hpp"

namespace zbserve::step_definitions {

using steps::AssertionFailed;

std::string DuplexContext::channel_name(const std::string& feature_name) const {
    return zb(context_).buffer_name(feature_name);
}

StepServer& DuplexContext::current_server() {
    std::lock_guard lock(mutex_);
    if (!current_server_) throw AssertionFailed("this worker runs no duplex server in the scenario (no 'starts ... server' step)");
    return *current_server_;
}

StepClient& DuplexContext::current_client() {
    std::lock_guard lock(mutex_);
    if (!current_client_) throw AssertionFailed("this worker has no duplex client in the scenario (no 'connects to channel' step)");
    return *current_client_;
}

StepServer& DuplexContext::server(const std::string& feature_name) {
    std::lock_guard lock(mutex_);
    auto it = servers_.find(feature_name);
    if (it == servers_.end()) throw AssertionFailed("this worker runs no duplex server on channel '" + feature_name + "'");
    return *it->second;
}

StepClient& DuplexContext::client(const std::string& feature_name) {
    std::lock_guard lock(mutex_);
    auto it = clients_.find(feature_name);
    if (it == clients_.end()) throw AssertionFailed("this worker has no duplex client of channel '" + feature_name + "'");
    return *it->second;
}

void DuplexContext::add_server(std::unique_ptr<StepServer> server) {
    std::lock_guard lock(mutex_);
    const std::string name = server->feature_name();
    if (servers_.count(name) != 0) throw AssertionFailed("a duplex server already runs on channel '" + name + "' here");
    current_server_ = server.get();
    servers_[name] = std::move(server);
}

namespace {

// Removes the channel's item (null when there is none); it stops being the current one.
template <typename T>
std::unique_ptr<T> take(std::map<std::string, std::unique_ptr<T>>& items, T*& current, const std::string& name) {
    auto it = items.find(name);
    if (it == items.end()) return nullptr;
    std::unique_ptr<T> item = std::move(it->second);
    items.erase(it);
    if (current == item.get()) current = nullptr;
    return item;
}

}  // namespace

int DuplexContext::stop_server(const std::string& feature_name) {
    std::unique_ptr<StepServer> server;
    {
        std::lock_guard lock(mutex_);
        server = take(servers_, current_server_, feature_name);
    }
    if (!server) throw AssertionFailed("this worker runs no duplex server on channel '" + feature_name + "'");
    int answered = server->answered.load();
    server.reset();
    return answered;
}

StepClient& DuplexContext::connect(const std::string& feature_name, std::size_t response_payload_size) {
    {
        std::unique_ptr<StepClient> previous;  // declared first: disposed after the lock is released
        std::lock_guard lock(mutex_);
        previous = take(clients_, current_client_, feature_name);
    }
    auto client = std::make_unique<StepClient>(feature_name, channel_name(feature_name), response_payload_size);
    std::lock_guard lock(mutex_);
    current_client_ = client.get();
    StepClient& added = *client;
    clients_[feature_name] = std::move(client);
    return added;
}

void DuplexContext::disconnect(const std::string& feature_name) {
    std::unique_ptr<StepClient> client;
    {
        std::lock_guard lock(mutex_);
        client = take(clients_, current_client_, feature_name);
    }
    if (!client) throw AssertionFailed("this worker has no duplex client of channel '" + feature_name + "'");
}

std::vector<std::string> DuplexContext::release() {
    std::map<std::string, std::unique_ptr<StepServer>> servers;
    std::map<std::string, std::unique_ptr<StepClient>> clients;
    {
        std::lock_guard lock(mutex_);
        servers.swap(servers_);
        clients.swap(clients_);
        current_server_ = nullptr;
        current_client_ = nullptr;
    }
    std::vector<std::string> released;
    for (auto& [name, server] : servers) {
        released.push_back("duplex server:" + server->channel_name());
        server.reset();
    }
    for (auto& [name, client] : clients) {
        released.push_back("duplex client:" + client->channel_name());
        client.reset();
    }
    return released;
}

}  // namespace zbserve::step_definitions
