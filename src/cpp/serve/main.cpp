// zerobuffer-serve: the C++ Harmony worker. JSON-RPC frames on stdin/stdout, logs on stderr.
//   zerobuffer-serve [--wait-for-debugger]
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include "logging/log_capture.hpp"
#include "rpc/dispatcher.hpp"
#include "rpc/worker_service.hpp"
#include "wire/framing.hpp"

namespace {

bool debugger_attached() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("TracerPid:", 0) == 0) return std::atoi(line.c_str() + 10) != 0;
    }
    return false;
}

void wait_for_debugger() {
    pid_t pid = ::getpid();
    std::cerr << "zerobuffer-serve (pid " << pid << ") is waiting for a debugger to attach.\n"
              << "  attach with: gdb -p " << pid << "   (or: lldb -p " << pid << ", or your IDE's 'attach to process')\n"
              << "  step timeouts are disabled for this worker." << std::endl;
    while (!debugger_attached()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::cerr << "zerobuffer-serve: debugger attached, continuing" << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
    bool debug = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--wait-for-debugger") {
            debug = true;
        } else if (arg == "--help" || arg == "-h") {
            std::cerr << "usage: zerobuffer-serve [--wait-for-debugger]\n"
                         "Speaks Harmony JSON-RPC (Content-Length framing) on stdin/stdout; logs go to stderr.\n"
                         "HARMONY_LOG_LEVEL=debug|info|warning|error sets the log level (default info).\n";
            return 0;
        } else {
            std::cerr << "zerobuffer-serve: unknown argument '" << arg << "' (try --help)\n";
            return 2;
        }
    }
    ::signal(SIGPIPE, SIG_IGN);  // a vanished orchestrator shows up as a failed write instead

    auto& logs = zbserve::LogCapture::instance();
    logs.set_threshold(zbserve::LogCapture::parse_level(std::getenv("HARMONY_LOG_LEVEL"), zbserve::LogLevel::Info));
    logs.capture_library_logs();
    if (debug) wait_for_debugger();

    zbserve::rpc::WorkerOptions options;
    options.step_timeouts = !debug;
    zbserve::rpc::WorkerService service(options);
    zbserve::rpc::Dispatcher dispatcher;
    service.bind(dispatcher);

    zbserve::wire::ContentLengthReader reader([](char* buf, std::size_t n) { return ::read(0, buf, n); });
    zbserve::wire::FrameWriter writer(1);
    zbserve::log_info("zerobuffer-serve (cpp) ready, pid " + std::to_string(::getpid()));

    while (!service.shutdown_requested()) {
        auto message = reader.next();
        if (message.status == zbserve::wire::ContentLengthReader::Status::End) {
            if (!message.problem.empty()) zbserve::log_warning("stdin: " + message.problem);
            zbserve::log_info("end of input: releasing everything and exiting");
            break;
        }
        std::optional<std::string> reply;
        if (message.status == zbserve::wire::ContentLengthReader::Status::BadHeader) {
            zbserve::log_warning("bad frame header: " + message.problem + " (resynchronising)");
            reply = zbserve::rpc::Dispatcher::error_reply(zbserve::rpc::ErrorCode::InvalidRequest,
                                                          "bad frame header: " + message.problem);
        } else {
            reply = dispatcher.handle(message.body);
        }
        if (reply && !writer.write(*reply)) {
            zbserve::log_warning("stdout is closed: exiting");
            break;
        }
    }
    service.release_all();
    std::cerr.flush();
    // Threads of abandoned steps may still be blocked inside the library; do not wait for them.
    std::_Exit(0);
}
