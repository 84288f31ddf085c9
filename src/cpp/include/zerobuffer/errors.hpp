// Error kinds of PROTOCOL.md section 6: one exception class per kind, all rooted at
// ZeroBufferException, whose kind() is the bare kind string that workers report as errorType.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace zerobuffer {

enum class ErrorKind {
    InvalidBufferName,
    InvalidConfig,
    BufferNotFound,
    ReaderAlreadyConnected,
    WriterAlreadyConnected,
    ReaderDead,
    WriterDead,
    BufferFull,
    FrameTooLarge,
    InvalidFrameSize,
    SequenceError,
    MetadataTooLarge,
    MetadataAlreadyWritten,
    InvalidOieb,
    ProtocolVersionMismatch,
    SystemError,
    ResourceExhausted,
    PermissionDenied,
};

// The kind's name exactly as PROTOCOL.md spells it, e.g. "BufferFull".
const char* to_string(ErrorKind kind) noexcept;

class ZeroBufferException : public std::runtime_error {
public:
    ZeroBufferException(ErrorKind kind, const std::string& message, int os_error = 0)
        : std::runtime_error(message), kind_(kind), os_error_(os_error) {}

    const char* kind() const noexcept { return to_string(kind_); }
    ErrorKind error_kind() const noexcept { return kind_; }
    // errno of the failed OS call, 0 when the error is not an OS failure.
    int os_error() const noexcept { return os_error_; }

private:
    ErrorKind kind_;
    int os_error_;
};

#define ZEROBUFFER_DECLARE_EXCEPTION(Kind)                                              \
    class Kind##Exception : public ZeroBufferException {                                \
    public:                                                                             \
        explicit Kind##Exception(const std::string& message = #Kind, int os_error = 0)  \
            : ZeroBufferException(ErrorKind::Kind, message, os_error) {}                \
    };

ZEROBUFFER_DECLARE_EXCEPTION(InvalidBufferName)
ZEROBUFFER_DECLARE_EXCEPTION(InvalidConfig)
ZEROBUFFER_DECLARE_EXCEPTION(BufferNotFound)
ZEROBUFFER_DECLARE_EXCEPTION(ReaderAlreadyConnected)
ZEROBUFFER_DECLARE_EXCEPTION(WriterAlreadyConnected)
ZEROBUFFER_DECLARE_EXCEPTION(ReaderDead)
ZEROBUFFER_DECLARE_EXCEPTION(WriterDead)
ZEROBUFFER_DECLARE_EXCEPTION(BufferFull)
ZEROBUFFER_DECLARE_EXCEPTION(FrameTooLarge)
ZEROBUFFER_DECLARE_EXCEPTION(InvalidFrameSize)
ZEROBUFFER_DECLARE_EXCEPTION(MetadataTooLarge)
ZEROBUFFER_DECLARE_EXCEPTION(MetadataAlreadyWritten)
ZEROBUFFER_DECLARE_EXCEPTION(InvalidOieb)
ZEROBUFFER_DECLARE_EXCEPTION(ProtocolVersionMismatch)
ZEROBUFFER_DECLARE_EXCEPTION(SystemError)
ZEROBUFFER_DECLARE_EXCEPTION(ResourceExhausted)
ZEROBUFFER_DECLARE_EXCEPTION(PermissionDenied)

#undef ZEROBUFFER_DECLARE_EXCEPTION

// Carries the sequence the reader expected and the one it found.
class SequenceErrorException : public ZeroBufferException {
public:
    SequenceErrorException(std::uint64_t expected, std::uint64_t got, const std::string& buffer = {})
        : ZeroBufferException(ErrorKind::SequenceError,
                              (buffer.empty() ? std::string("sequence error") : "sequence error in buffer '" + buffer + "'") +
                                  ": expected " + std::to_string(expected) + ", got " + std::to_string(got)),
          expected_(expected), got_(got) {}

    std::uint64_t expected() const noexcept { return expected_; }
    std::uint64_t got() const noexcept { return got_; }

private:
    std::uint64_t expected_;
    std::uint64_t got_;
};

// The public 1.x C++ headers spell this one without the suffix.
using SequenceError = SequenceErrorException;

// Throws the exception class that belongs to kind (the one place that maps kinds to classes).
[[noreturn]] void throw_error(ErrorKind kind, const std::string& message, int os_error = 0);

}  // namespace zerobuffer
