// The server loop both server kinds share (PROTOCOL.md section 8).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "duplex/ordered_release.hpp"
#include "duplex/response_session.hpp"
#include "zerobuffer/duplex/server.hpp"
#include "zerobuffer/reader.hpp"

namespace zerobuffer::duplex::detail {

// Creates _request, connects to the current client's _response (retrying until a client appears),
// reads requests and runs the handler on the loop thread (SingleThread) or on the handler threads
// (ThreadPool). A client that goes away ends its session: the requests it left in the ring are
// dropped and the server waits for the next client. Destroying it stops it.
class ServerCore {
public:
    ServerCore(const std::string& channel, const BufferConfig& config, RequestHandler handler, InitHandler on_init,
               const ServerOptions& options);
    ~ServerCore();

private:
    struct Work {
        std::uint64_t ticket;
        std::shared_ptr<ResponseSession> session;
    };

    void run() noexcept;
    void serve_one(const std::shared_ptr<ResponseSession>& session);
    void handle(Frame& frame, ResponseSession& session, ResponseWriter& responder) noexcept;
    void dispatch(std::uint64_t ticket, const std::shared_ptr<ResponseSession>& session);
    void work() noexcept;
    void wait_idle();
    std::shared_ptr<ResponseSession> try_connect();
    void close_session(ResponseSession& session);

    std::string channel_;
    RequestHandler handler_;
    InitHandler on_init_;
    ServerOptions options_;
    Reader requests_;
    OrderedRelease release_;
    ResponseWriter loop_responder_;
    std::shared_ptr<ResponseSession> session_;
    std::optional<std::uint64_t> carried_;  // the next client's first request, read while dropping
    std::atomic<bool> stopping_{false};
    std::string last_connect_error_;

    // ThreadPool: at most `handlers` requests in hand; the loop waits for a free handler.
    std::mutex work_mutex_;
    std::condition_variable work_cv_;
    std::deque<Work> queue_;
    std::size_t in_hand_ = 0;
    bool no_more_work_ = false;
    std::vector<std::thread> workers_;
    std::thread loop_;
};

}  // namespace zerobuffer::duplex::detail
