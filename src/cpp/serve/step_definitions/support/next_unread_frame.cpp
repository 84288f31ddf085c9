#include "step_definitions/support/next_unread_frame.hpp"

#include "logging/log_capture.hpp"
#include "steps/step_errors.hpp"
#include "zerobuffer/inspect.hpp"

namespace zbserve::step_definitions {

std::size_t next_unread_frame_offset(const std::string& buffer) {
    const zerobuffer::Oieb oieb = zerobuffer::inspect_buffer(buffer).oieb;
    if (oieb.payload_written_count == oieb.payload_read_count) {
        throw steps::AssertionFailed("buffer '" + buffer + "': expected an unread frame to corrupt, but all " +
                                     std::to_string(oieb.payload_read_count) + " written frames were read");
    }
    const std::size_t offset = oieb.payload_read_pos;
    if (oieb.payload_size - offset < zerobuffer::FRAME_HEADER_SIZE ||
        zerobuffer::frame_header(buffer, offset).payload_size == 0) {
        return 0;
    }
    return offset;
}

HeaderEdit set_next_unread_frame_field(const std::string& buffer, HeaderField field, std::uint64_t value) {
    const std::size_t offset = next_unread_frame_offset(buffer);
    const zerobuffer::FrameHeader header = zerobuffer::frame_header(buffer, offset);
    const bool size = field == HeaderField::payload_size;
    const std::uint64_t previous = size ? header.payload_size : header.sequence_number;
    if (size) {
        zerobuffer::write_frame_payload_size(buffer, offset, value);
    } else {
        zerobuffer::write_frame_sequence(buffer, offset, value);
    }
    log_info(std::string("set the ") + (size ? "payload size" : "sequence") + " of the frame at offset " +
             std::to_string(offset) + " of '" + buffer + "' from " + std::to_string(previous) + " to " +
             std::to_string(value));
    return {offset, previous};
}

}  // namespace zbserve::step_definitions
