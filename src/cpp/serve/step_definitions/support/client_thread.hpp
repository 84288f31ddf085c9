// One dedicated thread that runs every send and receive of a step client. A duplex client hands each
// thread the responses to that thread's own requests, and steps run on whatever thread the worker
// picks, so a request sent in one step and received in the next must go through the same thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace zbserve::step_definitions {

class ClientThread {
public:
    ClientThread();
    ~ClientThread();
    ClientThread(const ClientThread&) = delete;
    ClientThread& operator=(const ClientThread&) = delete;

    // Runs op on the client's thread and waits; an exception of op is rethrown here.
    void run(const std::function<void()>& op);

private:
    void loop();

    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> work_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace zbserve::step_definitions
