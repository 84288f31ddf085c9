#include "step_definitions/support/cpu_load.hpp"

#include <cstdint>

namespace zbserve::step_definitions {

CpuLoad::CpuLoad(unsigned threads) {
    for (unsigned i = 0; i < (threads == 0 ? 1 : threads); ++i) {
        spinners_.emplace_back([this] {
            volatile std::uint64_t x = 1;  // busy arithmetic the compiler cannot drop; never yields
            while (!stop_.load(std::memory_order_relaxed)) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        });
    }
}

CpuLoad::~CpuLoad() {
    stop_ = true;
    for (auto& spinner : spinners_) spinner.join();
}

}  // namespace zbserve::step_definitions
