// The serve loop: framed messages from stdin, replies to stdout, until end of input, a lost parent
// or shutdown; releases every buffer on the way out. A pump thread reads stdin, so end of input is
// seen even while a step blocks the loop: it sets stop (the invoker then abandons the running step)
// and the loop releases and ends at once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "rpc/dispatcher.hpp"
#include "rpc/worker_methods.hpp"
#include "wire/content_length.hpp"

namespace zbserve::hosting {

class StdioWorker {
public:
    // How long a stopping worker waits for its step and background threads before releasing
    // buffers; the liveness rule allows 2 s from end of input (or parent death) to exit.
    static constexpr std::chrono::milliseconds STOP_JOIN{1000};

    StdioWorker(int in_fd, int out_fd, rpc::WorkerMethods& methods, std::atomic<bool>& stop);
    ~StdioWorker();

    // Ends the worker from any thread: abandon the step, release, exit.
    void lost(const std::string& reason);
    // Serves until the end; returns the exit code.
    int run();

private:
    struct Item {
        enum class Kind { Message, BadHeader, End } kind;
        std::string text;  // the body, the header problem, or why input ended
    };
    void pump();
    void post(Item item);

    int in_fd_;
    wire::ContentLengthWriter writer_;
    rpc::WorkerMethods& methods_;
    rpc::Dispatcher dispatcher_;
    std::atomic<bool>& stop_;
    std::mutex mutex_;
    std::condition_variable posted_;
    std::deque<Item> inbox_;
    std::thread pump_;
};

}  // namespace zbserve::hosting
