#include "rpc/dispatcher.hpp"

#include "logging/log_capture.hpp"

namespace zbserve::rpc {

void Dispatcher::add(const std::string& name, Method method) { methods_[name] = std::move(method); }

std::string Dispatcher::serialize(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json Dispatcher::error_object(ErrorCode code, const std::string& message, const Json& id) {
    return Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", static_cast<int>(code)}, {"message", message}}}};
}

std::string Dispatcher::error_reply(ErrorCode code, const std::string& message, const Json& id) {
    return serialize(error_object(code, message, id));
}

std::optional<std::string> Dispatcher::handle(const std::string& body) {
    Json message;
    try {
        message = Json::parse(body);
    } catch (const Json::exception& e) {
        log_warning(std::string("unparsable JSON-RPC message: ") + e.what());
        return error_reply(ErrorCode::ParseError, std::string("parse error: ") + e.what());
    }
    if (message.is_array()) {
        if (message.empty()) return error_reply(ErrorCode::InvalidRequest, "empty batch");
        Json replies = Json::array();
        for (const auto& item : message) {
            if (auto reply = handle_one(item)) replies.push_back(std::move(*reply));
        }
        if (replies.empty()) return std::nullopt;
        return serialize(replies);
    }
    auto reply = handle_one(message);
    if (!reply) return std::nullopt;
    return serialize(*reply);
}

std::optional<Json> Dispatcher::handle_one(const Json& message) {
    if (!message.is_object()) return error_object(ErrorCode::InvalidRequest, "a request must be a JSON object", nullptr);
    const bool has_id = message.contains("id");
    Json id = has_id ? message["id"] : Json(nullptr);
    if (has_id && !(id.is_string() || id.is_number() || id.is_null())) {
        return error_object(ErrorCode::InvalidRequest, "id must be a number, a string or null", nullptr);
    }
    auto jsonrpc = message.find("jsonrpc");
    if (jsonrpc == message.end() || *jsonrpc != "2.0") {
        return error_object(ErrorCode::InvalidRequest, "missing \"jsonrpc\": \"2.0\"", id);
    }
    auto method_it = message.find("method");
    if (method_it == message.end() || !method_it->is_string()) {
        return error_object(ErrorCode::InvalidRequest, "missing or non-string \"method\"", id);
    }
    const std::string method = *method_it;
    auto found = methods_.find(method);
    if (found == methods_.end()) {
        if (!has_id) return std::nullopt;
        return error_object(ErrorCode::MethodNotFound, "method '" + method + "' not found", id);
    }

    try {
        Json params = Json::object();
        if (auto p = message.find("params"); p != message.end() && !p->is_null()) {
            if (p->is_object()) {
                params = *p;
            } else if (p->is_array() && p->empty()) {
                params = Json::object();
            } else if (p->is_array() && p->size() == 1 && (*p)[0].is_object()) {
                params = (*p)[0];
            } else {
                throw RpcError(ErrorCode::InvalidParams,
                               "params of '" + method + "' must be an object (or an array holding one object)");
            }
        }
        Json result = found->second(params);
        if (!has_id) return std::nullopt;
        return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
    } catch (const RpcError& e) {
        log_warning("'" + method + "' failed: " + e.what());
        if (!has_id) return std::nullopt;
        return error_object(e.code(), e.what(), id);
    } catch (const std::exception& e) {
        log_error("'" + method + "' failed with an internal error: " + e.what());
        if (!has_id) return std::nullopt;
        return error_object(ErrorCode::InternalError, std::string("internal error: ") + e.what(), id);
    }
}

}  // namespace zbserve::rpc
