#include "hosting/liveness.hpp"

#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "logging/log_capture.hpp"

namespace zbserve::hosting {

namespace {
constexpr long POLL_NS = 100'000'000;  // 100 ms: well inside the 2 s the liveness rule allows

sigset_t death_signal_set() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, ParentWatch::PARENT_DEATH_SIGNAL);
    return set;
}
}  // namespace

void ParentWatch::block_signal() {
    sigset_t set = death_signal_set();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ParentWatch::ParentWatch(pid_t parent, std::function<void(const std::string&)> on_lost)
    : parent_(parent), on_lost_(std::move(on_lost)) {
    if (::prctl(PR_SET_PDEATHSIG, PARENT_DEATH_SIGNAL) != 0) {
        log_warning("prctl(PR_SET_PDEATHSIG) failed; relying on polling the parent pid");
    }
    thread_ = std::thread(&ParentWatch::watch, this);
}

ParentWatch::~ParentWatch() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

void ParentWatch::watch() {
    const sigset_t set = death_signal_set();
    const timespec poll{0, POLL_NS};
    while (!stopping_) {
        // Either the death signal or the poll interval; both end in the same getppid() check
        // (the parent may have died before prctl took effect, or only its forking thread ended).
        ::sigtimedwait(&set, nullptr, &poll);
        if (::getppid() != parent_) {
            on_lost_("parent process " + std::to_string(parent_) + " died");
            return;
        }
    }
}

}  // namespace zbserve::hosting
