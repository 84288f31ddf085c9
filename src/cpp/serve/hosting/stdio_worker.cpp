#include "hosting/stdio_worker.hpp"

#include <unistd.h>

#include "logging/log_capture.hpp"

namespace zbserve::hosting {

StdioWorker::StdioWorker(int in_fd, int out_fd, rpc::WorkerMethods& methods, std::atomic<bool>& stop)
    : in_fd_(in_fd), writer_(out_fd), methods_(methods), stop_(stop) {
    methods_.bind(dispatcher_);
}

StdioWorker::~StdioWorker() {
    // The pump may block in read() on a stdin nobody closes; the process is about to exit.
    if (pump_.joinable()) pump_.detach();
}

void StdioWorker::post(Item item) {
    {
        std::lock_guard lock(mutex_);
        inbox_.push_back(std::move(item));
    }
    posted_.notify_one();
}

void StdioWorker::lost(const std::string& reason) {
    stop_ = true;
    post({Item::Kind::End, reason});
}

void StdioWorker::pump() {
    wire::ContentLengthReader reader([this](char* buf, std::size_t n) { return ::read(in_fd_, buf, n); });
    while (true) {
        auto message = reader.next();
        switch (message.status) {
            case wire::ContentLengthReader::Status::Message:
                post({Item::Kind::Message, std::move(message.body)});
                break;
            case wire::ContentLengthReader::Status::BadHeader:
                post({Item::Kind::BadHeader, std::move(message.problem)});
                break;
            case wire::ContentLengthReader::Status::End:
                lost(message.problem.empty() ? "end of input" : "end of input (" + message.problem + ")");
                return;
        }
    }
}

int StdioWorker::run() {
    pump_ = std::thread(&StdioWorker::pump, this);
    while (!methods_.shutdown_requested()) {
        Item item;
        {
            std::unique_lock lock(mutex_);
            posted_.wait(lock, [this] { return !inbox_.empty(); });
            item = std::move(inbox_.front());
            inbox_.pop_front();
        }
        if (item.kind == Item::Kind::End) {
            log_info(item.text + ": releasing everything and exiting");
            break;
        }
        std::optional<std::string> reply;
        if (item.kind == Item::Kind::BadHeader) {
            log_warning("bad frame header: " + item.text + " (resynchronising)");
            reply = rpc::Dispatcher::error_reply(rpc::ErrorCode::InvalidRequest, "bad frame header: " + item.text);
        } else {
            reply = dispatcher_.handle(item.text);
        }
        if (reply && !writer_.write(*reply)) {
            log_warning("stdout is closed: exiting");
            stop_ = true;
            break;
        }
    }
    methods_.release_all(stop_ ? STOP_JOIN : steps::ScenarioContext::CLEANUP_JOIN);
    return 0;
}

}  // namespace zbserve::hosting
