// Names, options and the metadata record of a duplex channel (PROTOCOL.md section 8).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace zerobuffer::duplex {

// How a server runs its handler. SingleThread answers one request at a time, in order (in-order mode
// unless correlation is asked for); ThreadPool runs several handlers at once and is always correlated.
enum class ProcessingMode { SingleThread, ThreadPool };

struct ServerOptions {
    ProcessingMode mode = ProcessingMode::SingleThread;
    std::size_t handlers = 4;  // ThreadPool handler threads
    bool correlated = false;   // correlated even in SingleThread mode
    // One attempt to write a response; the server retries while the client lives and it runs.
    std::chrono::milliseconds response_write_timeout{1000};

    bool is_correlated() const noexcept { return correlated || mode == ProcessingMode::ThreadPool; }
};

inline constexpr const char* REQUEST_SUFFIX = "_request";
inline constexpr const char* RESPONSE_SUFFIX = "_response";
// A channel name leaves room for "_response" within the 200-character buffer-name limit.
inline constexpr std::size_t MAX_CHANNEL_NAME_LENGTH = 191;

std::string request_name(const std::string& channel);
std::string response_name(const std::string& channel);
// Throws InvalidBufferNameException quoting the name and the rule; no OS call is made.
void validate_channel_name(const std::string& channel);

// The 16-byte _response metadata a correlated server writes before its first response:
// ASCII "ZBDUPLEX", u32 LE version = 1, u32 LE flags (bit 0 = correlated).
namespace metadata_record {
inline constexpr std::size_t SIZE = 16;
inline constexpr std::uint32_t VERSION = 1;
inline constexpr std::uint32_t CORRELATED_FLAG = 1;
// Every correlated response payload starts with the u64 LE sequence of the request it answers.
inline constexpr std::size_t SEQUENCE_PREFIX_SIZE = 8;

std::array<std::uint8_t, SIZE> encode(bool correlated) noexcept;
// True only for a duplex record with the correlated flag: anything else means an in-order channel.
bool is_correlated(const std::uint8_t* metadata, std::size_t size) noexcept;
}  // namespace metadata_record

}  // namespace zerobuffer::duplex
