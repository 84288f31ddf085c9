// JSON-RPC rules of WORKER-PROTOCOL.md, in process: codes, batches, notifications, compat params.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "rpc/dispatcher.hpp"
#include "rpc/errors.hpp"
#include "rpc/params.hpp"

using zbserve::rpc::Dispatcher;
using zbserve::rpc::ErrorCode;
using zbserve::rpc::RpcError;
using Json = nlohmann::json;

namespace {

Dispatcher make() {
    Dispatcher d;
    d.add("echo", [](const Json& p) { return p; });
    d.add("needsX", [](const Json& p) {
        if (!p.contains("x")) throw RpcError(ErrorCode::InvalidParams, "x is required");
        return Json(p["x"]);
    });
    d.add("boom", [](const Json&) -> Json { throw std::runtime_error("kaboom"); });
    return d;
}

Json reply(Dispatcher& d, const std::string& body) {
    auto r = d.handle(body);
    EXPECT_TRUE(r.has_value()) << body;
    return r ? Json::parse(*r) : Json();
}

}  // namespace

TEST(JsonRpc, ErrorCodesHaveTheSpecValues) {
    EXPECT_EQ(static_cast<int>(ErrorCode::ParseError), -32700);
    EXPECT_EQ(static_cast<int>(ErrorCode::InvalidRequest), -32600);
    EXPECT_EQ(static_cast<int>(ErrorCode::MethodNotFound), -32601);
    EXPECT_EQ(static_cast<int>(ErrorCode::InvalidParams), -32602);
    EXPECT_EQ(static_cast<int>(ErrorCode::InternalError), -32603);
}

TEST(JsonRpc, ResultEchoesIdOfAnyType) {
    auto d = make();
    auto r = reply(d, R"({"jsonrpc":"2.0","id":7,"method":"echo","params":{"a":1}})");
    EXPECT_EQ(r["id"], 7);
    EXPECT_EQ(r["result"]["a"], 1);
    EXPECT_EQ(r["jsonrpc"], "2.0");
    r = reply(d, R"({"jsonrpc":"2.0","id":"abc","method":"echo"})");
    EXPECT_EQ(r["id"], "abc");
    EXPECT_TRUE(r["result"].is_object());
}

TEST(JsonRpc, ParseErrorHasNullId) {
    auto d = make();
    auto r = reply(d, R"({"jsonrpc":"2.0","id":1,"method":)");
    EXPECT_EQ(r["error"]["code"], -32700);
    EXPECT_TRUE(r["id"].is_null());
}

TEST(JsonRpc, MissingJsonrpcIsInvalidRequest) {
    auto d = make();
    auto r = reply(d, R"({"id":3,"method":"echo"})");
    EXPECT_EQ(r["error"]["code"], -32600);
    EXPECT_EQ(r["id"], 3);
    r = reply(d, R"({"jsonrpc":"1.0","id":3,"method":"echo"})");
    EXPECT_EQ(r["error"]["code"], -32600);
}

TEST(JsonRpc, NonObjectsAndBadMethodsAreInvalidRequests) {
    auto d = make();
    EXPECT_EQ(reply(d, "42")["error"]["code"], -32600);
    EXPECT_EQ(reply(d, R"({"jsonrpc":"2.0","id":1})")["error"]["code"], -32600);
    EXPECT_EQ(reply(d, R"({"jsonrpc":"2.0","id":1,"method":5})")["error"]["code"], -32600);
    EXPECT_EQ(reply(d, R"({"jsonrpc":"2.0","id":{"x":1},"method":"echo"})")["error"]["code"], -32600);
}

TEST(JsonRpc, UnknownMethod) {
    auto d = make();
    auto r = reply(d, R"({"jsonrpc":"2.0","id":1,"method":"nope"})");
    EXPECT_EQ(r["error"]["code"], -32601);
    EXPECT_NE(r["error"]["message"].get<std::string>().find("nope"), std::string::npos);
}

TEST(JsonRpc, InvalidParamsAndInternalErrors) {
    auto d = make();
    EXPECT_EQ(reply(d, R"({"jsonrpc":"2.0","id":1,"method":"needsX","params":{}})")["error"]["code"], -32602);
    EXPECT_EQ(reply(d, R"({"jsonrpc":"2.0","id":1,"method":"echo","params":"text"})")["error"]["code"], -32602);
    EXPECT_EQ(reply(d, R"({"jsonrpc":"2.0","id":1,"method":"echo","params":[1,2]})")["error"]["code"], -32602);
    auto r = reply(d, R"({"jsonrpc":"2.0","id":1,"method":"boom"})");
    EXPECT_EQ(r["error"]["code"], -32603);
    EXPECT_NE(r["error"]["message"].get<std::string>().find("kaboom"), std::string::npos);
}

TEST(JsonRpc, OneElementArrayParamsAreUnwrapped) {
    auto d = make();
    auto r = reply(d, R"({"jsonrpc":"2.0","id":1,"method":"needsX","params":[{"x":5}]})");
    EXPECT_EQ(r["result"], 5);
}

TEST(JsonRpc, NotificationsAreNeverAnswered) {
    auto d = make();
    EXPECT_FALSE(d.handle(R"({"jsonrpc":"2.0","method":"echo"})").has_value());
    EXPECT_FALSE(d.handle(R"({"jsonrpc":"2.0","method":"nope"})").has_value());
    EXPECT_FALSE(d.handle(R"({"jsonrpc":"2.0","method":"boom"})").has_value());
}

TEST(JsonRpc, BatchesAreAnsweredWithAnArray) {
    auto d = make();
    auto r = reply(d, R"([{"jsonrpc":"2.0","id":1,"method":"echo","params":{"a":1}},
                          {"jsonrpc":"2.0","method":"echo"},
                          {"jsonrpc":"2.0","id":2,"method":"nope"},
                          5])");
    ASSERT_TRUE(r.is_array());
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0]["id"], 1);
    EXPECT_EQ(r[1]["error"]["code"], -32601);
    EXPECT_EQ(r[2]["error"]["code"], -32600);
}

TEST(JsonRpc, EmptyBatchIsOneInvalidRequest) {
    auto d = make();
    auto r = reply(d, "[]");
    ASSERT_TRUE(r.is_object());
    EXPECT_EQ(r["error"]["code"], -32600);
}

TEST(JsonRpc, BatchOfNotificationsHasNoReply) {
    auto d = make();
    EXPECT_FALSE(d.handle(R"([{"jsonrpc":"2.0","method":"echo"}])").has_value());
}

TEST(JsonRpc, PascalCaseParamsAreFound) {
    Json p = {{"StepType", 1}, {"step", "x"}};
    ASSERT_NE(zbserve::rpc::params::find(p, "stepType"), nullptr);
    EXPECT_EQ(*zbserve::rpc::params::find(p, "stepType"), 1);
    EXPECT_EQ(*zbserve::rpc::params::find(p, "step"), "x");
    EXPECT_EQ(zbserve::rpc::params::find(p, "timeoutMs"), nullptr);
}
