// Watches the process that started the worker (WORKER-PROTOCOL.md "Liveness"): the kernel sends
// PARENT_DEATH_SIGNAL when the parent dies (prctl PR_SET_PDEATHSIG), and the watch thread also
// polls getppid(), because the signal follows the parent *thread* that forked us and fires only once.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <functional>
#include <signal.h>
#include <string>
#include <thread>

namespace zbserve::hosting {

class ParentWatch {
public:
    static constexpr int PARENT_DEATH_SIGNAL = SIGUSR1;

    // Blocks PARENT_DEATH_SIGNAL in the calling thread and every thread it starts later: call it
    // first in main(), before any thread exists, so only the watch thread receives it.
    static void block_signal();

    // on_lost is called once, from the watch thread, when parent is no longer our parent.
    ParentWatch(pid_t parent, std::function<void(const std::string& reason)> on_lost);
    ~ParentWatch();
    ParentWatch(const ParentWatch&) = delete;
    ParentWatch& operator=(const ParentWatch&) = delete;

private:
    void watch();

    pid_t parent_;
    std::function<void(const std::string&)> on_lost_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace zbserve::hosting
