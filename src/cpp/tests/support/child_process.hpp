// A child process with pipes on stdin/stdout/stderr, for driving executables from tests.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zbtest {

class ChildProcess {
public:
    // argv[0] is the executable path. env entries are added to (or override) the environment.
    ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const noexcept { return pid_; }
    bool write_stdin(const std::string& data);
    void close_stdin();

    // Reads stdout until it holds `needed` bytes in total (or the deadline passes / EOF).
    // Returns false on timeout or EOF before enough data.
    bool read_stdout(std::size_t needed, std::chrono::milliseconds timeout);
    // Reads one line (without '\n') from stdout.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout);
    // Whatever stdout gathered so far that was not consumed by read_line/take_stdout.
    std::string& stdout_buffer() noexcept { return out_; }
    std::string take_stdout(std::size_t n);
    const std::string& stderr_text();  // drains what is available without blocking
    // Waits until stderr contains text; false on timeout or EOF.
    bool wait_stderr(const std::string& text, std::chrono::milliseconds timeout);
    // Waits until stdout reaches end of file (every writer gone); false on timeout.
    bool wait_stdout_eof(std::chrono::milliseconds timeout);

    // Waits for exit; returns the exit code, or -signal, or nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    void kill_hard();

private:
    bool pump(int fd, std::string& into, std::chrono::milliseconds timeout);

    pid_t pid_ = -1;
    int in_ = -1, out_fd_ = -1, err_fd_ = -1;
    std::string out_, err_;
    bool exited_ = false;
    int status_ = 0;
};

// Runs argv to completion, collecting stdout/stderr (fails the test on timeout).
struct RunResult {
    int exit_code;
    std::string out;
    std::string err;
};
RunResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                      const std::map<std::string, std::string>& env = {});

}  // namespace zbtest
