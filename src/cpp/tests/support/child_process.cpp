#include "child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

namespace zbtest {

using namespace std::chrono;

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(in[0], 0);
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
        for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    in_ = in[1];
    out_fd_ = out[0];
    err_fd_ = err[0];
    ::fcntl(err_fd_, F_SETFL, O_NONBLOCK);
}

ChildProcess::~ChildProcess() {
    if (!exited_) {
        close_stdin();
        if (!wait(milliseconds(3000))) kill_hard();
    }
    for (int fd : {in_, out_fd_, err_fd_}) {
        if (fd >= 0) ::close(fd);
    }
}

bool ChildProcess::write_stdin(const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(in_, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

void ChildProcess::close_stdin() {
    if (in_ >= 0) ::close(in_);
    in_ = -1;
}

bool ChildProcess::pump(int fd, std::string& into, milliseconds timeout) {
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (r <= 0) return false;
    char buf[65536];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    into.append(buf, static_cast<std::size_t>(n));
    return true;
}

bool ChildProcess::read_stdout(std::size_t needed, milliseconds timeout) {
    auto deadline = steady_clock::now() + timeout;
    while (out_.size() < needed) {
        auto left = duration_cast<milliseconds>(deadline - steady_clock::now());
        if (left.count() <= 0) return false;
        if (!pump(out_fd_, out_, left)) {
            if (steady_clock::now() >= deadline) return false;
            // EOF or error: poll returned readable but read gave 0
            pollfd p{out_fd_, POLLIN, 0};
            if (::poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR)) && !(p.revents & POLLIN)) return false;
        }
    }
    return true;
}

std::optional<std::string> ChildProcess::read_line(milliseconds timeout) {
    auto deadline = steady_clock::now() + timeout;
    while (true) {
        auto nl = out_.find('\n');
        if (nl != std::string::npos) {
            std::string line = out_.substr(0, nl);
            out_.erase(0, nl + 1);
            return line;
        }
        auto left = duration_cast<milliseconds>(deadline - steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        if (!pump(out_fd_, out_, left)) {
            pollfd p{out_fd_, POLLIN, 0};
            if (::poll(&p, 1, 0) > 0 && (p.revents & POLLHUP) && !(p.revents & POLLIN)) return std::nullopt;
        }
    }
}

std::string ChildProcess::take_stdout(std::size_t n) {
    std::string s = out_.substr(0, n);
    out_.erase(0, n);
    return s;
}

const std::string& ChildProcess::stderr_text() {
    char buf[65536];
    while (true) {
        ssize_t n = ::read(err_fd_, buf, sizeof buf);
        if (n <= 0) break;
        err_.append(buf, static_cast<std::size_t>(n));
    }
    return err_;
}

bool ChildProcess::wait_stderr(const std::string& text, milliseconds timeout) {
    auto deadline = steady_clock::now() + timeout;
    while (stderr_text().find(text) == std::string::npos) {
        auto left = duration_cast<milliseconds>(deadline - steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd p{err_fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) > 0 && (p.revents & POLLHUP) && !(p.revents & POLLIN)) {
            return stderr_text().find(text) != std::string::npos;
        }
    }
    return true;
}

bool ChildProcess::wait_stdout_eof(milliseconds timeout) {
    auto deadline = steady_clock::now() + timeout;
    char buf[65536];
    while (true) {
        auto left = duration_cast<milliseconds>(deadline - steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd p{out_fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        ssize_t n = ::read(out_fd_, buf, sizeof buf);
        if (n == 0) return true;
        if (n > 0) out_.append(buf, static_cast<std::size_t>(n));
        stderr_text();  // keep the pipe from filling up
    }
}

std::optional<int> ChildProcess::wait(milliseconds timeout) {
    if (exited_) return WIFEXITED(status_) ? WEXITSTATUS(status_) : -WTERMSIG(status_);
    auto deadline = steady_clock::now() + timeout;
    while (true) {
        stderr_text();  // keep the pipe from filling up
        pid_t r = ::waitpid(pid_, &status_, WNOHANG);
        if (r == pid_) {
            exited_ = true;
            return WIFEXITED(status_) ? WEXITSTATUS(status_) : -WTERMSIG(status_);
        }
        if (steady_clock::now() >= deadline) return std::nullopt;
        std::string sink;
        pump(out_fd_, out_, milliseconds(10));
    }
}

void ChildProcess::kill_hard() {
    if (exited_) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
    exited_ = true;
}

RunResult run_process(const std::vector<std::string>& argv, milliseconds timeout,
                      const std::map<std::string, std::string>& env) {
    ChildProcess child(argv, env);
    child.close_stdin();
    auto deadline = steady_clock::now() + timeout;
    std::optional<int> code;
    while (!(code = child.wait(milliseconds(50)))) {
        if (steady_clock::now() >= deadline) {
            child.kill_hard();
            throw std::runtime_error("process timed out: " + argv[0]);
        }
    }
    while (child.read_stdout(child.stdout_buffer().size() + 1, milliseconds(50))) {
    }
    return RunResult{*code, child.stdout_buffer(), child.stderr_text()};
}

}  // namespace zbtest
