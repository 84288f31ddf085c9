#pragma once

#include "cli_args.hpp"

namespace zbtool {

int cmd_read(const Args& args);
int cmd_write(const Args& args);
int cmd_inspect(const Args& args);
int cmd_bench(const Args& args);
// Duplex channel: an echo server and a checking client.
int cmd_serve_echo(const Args& args);
int cmd_request(const Args& args);
// Hidden helpers the benchmark re-executes itself with.
int cmd_bench_writer(const Args& args);
int cmd_bench_echo(const Args& args);

// One JSON line on stdout, flushed.
void emit_line(const std::string& json_text);

}  // namespace zbtool
