#include "hosting/debugger_wait.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

namespace zbserve::hosting {

namespace {
bool debugger_attached() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("TracerPid:", 0) == 0) return std::atoi(line.c_str() + 10) != 0;
    }
    return false;
}
}  // namespace

void wait_for_debugger() {
    pid_t pid = ::getpid();
    std::cerr << "zerobuffer-serve (pid " << pid << ") is waiting for a debugger to attach.\n"
              << "  attach with: gdb -p " << pid << "   (or: lldb -p " << pid << ", or your IDE's 'attach to process')\n"
              << "  step timeouts are disabled for this worker." << std::endl;
    while (!debugger_attached()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::cerr << "zerobuffer-serve: debugger attached, continuing" << std::endl;
}

}  // namespace zbserve::hosting
