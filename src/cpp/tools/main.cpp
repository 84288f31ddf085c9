// zerobuffer-cpp read|write|inspect|bench|serve-echo|request: the C++ build of the cross-language `zerobuffer` tool.
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

#include "cli_args.hpp"
#include "commands.hpp"
#include "zerobuffer/errors.hpp"

namespace {

const char* USAGE =
    "usage: zerobuffer-cpp read <name> --count N [--metadata-size B] [--payload-size B] [--timeout-ms T]\n"
    "       zerobuffer-cpp write <name> --count N --size B [--metadata TEXT] [--timeout-ms T]\n"
    "       zerobuffer-cpp inspect <name>\n"
    "       zerobuffer-cpp bench [--quick] [--json FILE]\n"
    "       zerobuffer-cpp serve-echo <name> [--mode single-thread|thread-pool] [--handlers N] [--count N]\n"
    "                                 [--metadata-size B] [--payload-size B]\n"
    "       zerobuffer-cpp request <name> --count N --size B [--timeout-ms T] [--payload-size B]\n";

int run(int argc, char** argv) {
    if (argc < 2) throw zbtool::UsageError("missing command");
    std::string command = argv[1];
    using zbtool::Args;
    if (command == "read") {
        return zbtool::cmd_read(Args::parse(argc, argv, 2, {"--count", "--metadata-size", "--payload-size", "--timeout-ms"}, {}));
    }
    if (command == "write") {
        return zbtool::cmd_write(Args::parse(argc, argv, 2, {"--count", "--size", "--metadata", "--timeout-ms"}, {}));
    }
    if (command == "inspect") return zbtool::cmd_inspect(Args::parse(argc, argv, 2, {}, {}));
    if (command == "serve-echo") {
        return zbtool::cmd_serve_echo(Args::parse(argc, argv, 2,
                                                  {"--mode", "--handlers", "--count", "--metadata-size", "--payload-size"}, {}));
    }
    if (command == "request") {
        return zbtool::cmd_request(Args::parse(argc, argv, 2, {"--count", "--size", "--timeout-ms", "--payload-size"}, {}));
    }
    if (command == "bench") return zbtool::cmd_bench(Args::parse(argc, argv, 2, {"--json"}, {"--quick"}));
    if (command == "_bench-writer") {
        return zbtool::cmd_bench_writer(Args::parse(argc, argv, 2, {"--count", "--size"}, {}));
    }
    if (command == "_bench-echo") return zbtool::cmd_bench_echo(Args::parse(argc, argv, 2, {"--count", "--mode"}, {}));
    if (command == "-h" || command == "--help") {
        std::fputs(USAGE, stdout);
        return 0;
    }
    throw zbtool::UsageError("unknown command '" + command + "'");
}

}  // namespace

// Every failure is one stderr line "error: <Kind>: <message>" and exit code 1, exactly like the C# and
// Python tools (usage errors are kind "Usage"), so scripts can treat the three tools alike.
namespace {

int fail(const std::string& kind, const std::string& message) {
    std::string line = message;
    std::replace(line.begin(), line.end(), '\n', ' ');
    std::cerr << "error: " << kind << ": " << line << std::endl;
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    ::signal(SIGPIPE, SIG_IGN);
    try {
        return run(argc, argv);
    } catch (const zbtool::UsageError& e) {
        return fail("Usage", std::string(e.what()) + " (see 'zerobuffer-cpp --help')");
    } catch (const zerobuffer::ZeroBufferException& e) {
        return fail(e.kind(), e.what());
    } catch (const zbtool::ToolError& e) {
        return fail(e.kind(), e.what());
    } catch (const std::exception& e) {
        return fail("Error", e.what());
    }
}
