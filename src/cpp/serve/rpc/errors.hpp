// JSON-RPC 2.0 error codes (the spec values) and the exception that carries one.
#pragma once

#include <stdexcept>
#include <string>

namespace zbserve::rpc {

enum class ErrorCode : int {
    ParseError = -32700,
    InvalidRequest = -32600,
    MethodNotFound = -32601,
    InvalidParams = -32602,
    InternalError = -32603,
};

class RpcError : public std::runtime_error {
public:
    RpcError(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ErrorCode code() const noexcept { return code_; }

private:
    ErrorCode code_;
};

}  // namespace zbserve::rpc
