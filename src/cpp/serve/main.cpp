// zerobuffer-serve: the C++ Harmony worker. JSON-RPC frames on stdin/stdout, logs on stderr.
//   zerobuffer-serve [--wait-for-debugger]
// The entry point composes the worker: the registry from the step-definition areas, the invoker
// with the ZeroBuffer error classifier, the methods, the stdio loop and the parent watch.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <string>

#include "hosting/debugger_wait.hpp"
#include "hosting/liveness.hpp"
#include "hosting/stdio_worker.hpp"
#include "logging/log_capture.hpp"
#include "rpc/worker_methods.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "steps/step_invoker.hpp"
#include "steps/step_matcher.hpp"
#include "steps/step_registry.hpp"


#ifdef ZEROBUFFER_COVERAGE
extern "C" void __gcov_dump();
#endif
int main(int argc, char** argv) {
    const pid_t parent = ::getppid();  // before anything else: the process that started us
    zbserve::hosting::ParentWatch::block_signal();
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

    namespace defs = zbserve::step_definitions;
    zbserve::steps::StepRegistry registry;
    defs::register_all(registry);
    for (const auto* invalid : registry.invalid()) {
        zbserve::log_warning("invalid step definition " + invalid->describe() + ": " + invalid->error);
    }
    if (debug) zbserve::hosting::wait_for_debugger();

    std::atomic<bool> stop{false};
    zbserve::steps::StepMatcher matcher(registry);
    zbserve::steps::StepInvoker invoker(matcher, {defs::classify_zerobuffer_error}, stop);
    zbserve::rpc::WorkerMethods methods(registry, invoker, {.timeouts_enabled = !debug});
    zbserve::hosting::StdioWorker worker(0, 1, methods, stop);
    zbserve::hosting::ParentWatch watch(parent, [&worker](const std::string& reason) { worker.lost(reason); });
    zbserve::log_info("zerobuffer-serve (cpp) ready, pid " + std::to_string(::getpid()) + ", " +
                      std::to_string(registry.definitions().size()) + " steps");
    int code = worker.run();
    std::cerr.flush();
    // Everything is released; the stdin pump or an abandoned step may still block in the kernel
    // or the library, so leave without running destructors that would wait for them.
#ifdef ZEROBUFFER_COVERAGE
    __gcov_dump();  // _Exit skips the atexit handler that would write the coverage counters
#endif
    std::_Exit(code);
}
