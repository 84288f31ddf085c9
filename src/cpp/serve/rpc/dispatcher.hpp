// Turns one JSON-RPC message body (single or batch) into its reply, calling registered methods.
// Knows JSON-RPC, not steps.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "rpc/errors.hpp"

namespace zbserve::rpc {

using Json = nlohmann::json;
// Receives params normalised to an object (absent -> {}, [obj] -> obj; see rpc/params.hpp for
// reading them); throws RpcError for wrong params, anything else becomes -32603.
using Method = std::function<Json(const Json& params)>;

class Dispatcher {
public:
    void add(const std::string& name, Method method);

    // The reply to send, or nullopt when nothing is answered (notifications only).
    std::optional<std::string> handle(const std::string& body);

    static std::string error_reply(ErrorCode code, const std::string& message, const Json& id = nullptr);
    static std::string serialize(const Json& value);

private:
    std::optional<Json> handle_one(const Json& message);
    static Json error_object(ErrorCode code, const std::string& message, const Json& id);

    std::map<std::string, Method> methods_;
};

}  // namespace zbserve::rpc
