// CPU load for Test 7.3: one spinning thread per core while it lives, so work running meanwhile
// competes for every core and is preempted at arbitrary points.
#pragma once

#include <atomic>
#include <thread>
#include <vector>

namespace zbserve::step_definitions {

class CpuLoad {
public:
    explicit CpuLoad(unsigned threads = std::thread::hardware_concurrency());
    ~CpuLoad();
    CpuLoad(const CpuLoad&) = delete;
    CpuLoad& operator=(const CpuLoad&) = delete;

private:
    std::atomic<bool> stop_{false};
    std::vector<std::thread> spinners_;
};

}  // namespace zbserve::step_definitions
