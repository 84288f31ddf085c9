#include "step_definitions/support/next_unread_frame.hpp"

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

}  // namespace zbserve::step_definitions
