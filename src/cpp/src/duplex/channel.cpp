#include "zerobuffer/duplex/channel.hpp"

#include <cstring>

#include "zerobuffer/errors.hpp"
#include "zerobuffer/names.hpp"

namespace zerobuffer::duplex {

namespace {
constexpr char MAGIC[8] = {'Z', 'B', 'D', 'U', 'P', 'L', 'E', 'X'};

void put_u32(std::uint8_t* out, std::uint32_t value) noexcept {
    for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(value >> (8 * i));
}

std::uint32_t get_u32(const std::uint8_t* in) noexcept {
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i) value = (value << 8) | in[i];
    return value;
}
}  // namespace

std::string request_name(const std::string& channel) { return channel + REQUEST_SUFFIX; }
std::string response_name(const std::string& channel) { return channel + RESPONSE_SUFFIX; }

void validate_channel_name(const std::string& channel) {
    if (channel.size() > MAX_CHANNEL_NAME_LENGTH || !is_valid_buffer_name(channel)) {
        throw InvalidBufferNameException("invalid channel name '" + channel + "': a channel name must be 1-" +
                                         std::to_string(MAX_CHANNEL_NAME_LENGTH) +
                                         " characters of [A-Za-z0-9._-], not starting with '.'");
    }
}

namespace metadata_record {

std::array<std::uint8_t, SIZE> encode(bool correlated) noexcept {
    std::array<std::uint8_t, SIZE> record{};
    std::memcpy(record.data(), MAGIC, sizeof MAGIC);
    put_u32(record.data() + 8, VERSION);
    put_u32(record.data() + 12, correlated ? CORRELATED_FLAG : 0);
    return record;
}

bool is_correlated(const std::uint8_t* metadata, std::size_t size) noexcept {
    return metadata != nullptr && size >= SIZE && std::memcmp(metadata, MAGIC, sizeof MAGIC) == 0 &&
           get_u32(metadata + 8) == VERSION && (get_u32(metadata + 12) & CORRELATED_FLAG) != 0;
}

}  // namespace metadata_record
}  // namespace zerobuffer::duplex
