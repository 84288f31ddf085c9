// LSP-style "Content-Length" framing (WORKER-PROTOCOL.md, Framing). Knows bytes and headers only.
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace zbserve::wire {

constexpr std::size_t MAX_BODY_BYTES = 64u * 1024u * 1024u;
constexpr std::size_t MAX_HEADER_LINE = 8192;

// Reads up to n bytes into buf; returns 0 at end of input, <0 on a read error.
using ByteSource = std::function<std::ptrdiff_t(char* buf, std::size_t n)>;

class ContentLengthReader {
public:
    enum class Status { Message, BadHeader, End };
    struct Result {
        Status status;
        std::string body;     // Message: exactly Content-Length bytes
        std::string problem;  // BadHeader / End: what was wrong (empty for a clean end)
    };

    explicit ContentLengthReader(ByteSource source, std::size_t max_body = MAX_BODY_BYTES);

    // The next message, a header problem (no, malformed, non-numeric or above max_body
    // Content-Length; the reader then resynchronises on the next "Content-Length:" without
    // reading the refused body), or the end of input.
    Result next();

private:
    enum class Line { Ok, End, TooLong };
    Line read_line(std::string& line);
    bool fill();
    bool resynchronise();

    ByteSource source_;
    std::size_t max_body_;
    std::string buffer_;
    std::size_t pos_ = 0;
    bool eof_ = false;
    bool resync_ = false;
};

std::string encode_frame(std::string_view body);

// Writes whole frames to a file descriptor; one frame at a time across threads.
class ContentLengthWriter {
public:
    explicit ContentLengthWriter(int fd) : fd_(fd) {}
    // False if the peer is gone (EPIPE etc.).
    bool write(std::string_view body);

private:
    int fd_;
    std::mutex mutex_;
};

}  // namespace zbserve::wire
