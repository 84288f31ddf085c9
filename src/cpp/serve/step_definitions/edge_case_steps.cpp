// Where the ring stands: positions, counters, continuous free bytes and what lies at an offset of the
// current buffer, read by name through the library's diagnostics API (features 05 and 11).
#include <string>

#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"
#include "zerobuffer/inspect.hpp"

namespace zbserve::step_definitions {

using namespace phrases;

namespace {

using zerobuffer::RingEntry;

std::string describe(const RingEntry& entry) {
    switch (entry.kind) {
        case RingEntry::Kind::Frame:
            return "a frame header with sequence " + std::to_string(entry.sequence) + " and size " + std::to_string(entry.payload_size);
        case RingEntry::Kind::WrapMarker:
            return "a wrap marker wasting " + std::to_string(entry.wasted_bytes) + " bytes";
        case RingEntry::Kind::ImplicitWrap:
            break;
    }
    return "an implicit wrap wasting " + std::to_string(entry.wasted_bytes) + " bytes (too little room for a header)";
}

// Two OIEB fields against two expected values, named in the failure.
void expect_pair(const std::string& buffer, const char* first, std::uint64_t first_seen, const std::string& first_expected,
                 const char* second, std::uint64_t second_seen, const std::string& second_expected) {
    if (first_seen != steps::to_uint(first_expected) || second_seen != steps::to_uint(second_expected)) {
        throw AssertionFailed("buffer '" + buffer + "': " + first + " " + std::to_string(first_seen) + " and " + second + " " +
                              std::to_string(second_seen) + ", expected " + first_expected + " and " + second_expected);
    }
}

}  // namespace

void register_edge_case_steps(steps::StepRegistry& registry) {
    registry.then(ROLE + "should see write position " + COUNT + " and read position " + COUNT + " in the OIEB",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string& name = zb(ctx).current_buffer();
                      const zerobuffer::Oieb oieb = zerobuffer::inspect_buffer(name).oieb;
                      r.data["buffer"] = name;
                      r.data["writePos"] = oieb.payload_write_pos;
                      r.data["readPos"] = oieb.payload_read_pos;
                      expect_pair(name, "payload_write_pos", oieb.payload_write_pos, a[1], "payload_read_pos", oieb.payload_read_pos, a[2]);
                  });

    registry.then(ROLE + "should see written count " + COUNT + " and read count " + COUNT + " in the OIEB",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string& name = zb(ctx).current_buffer();
                      const zerobuffer::Oieb oieb = zerobuffer::inspect_buffer(name).oieb;
                      r.data["buffer"] = name;
                      r.data["writtenCount"] = oieb.payload_written_count;
                      r.data["readCount"] = oieb.payload_read_count;
                      expect_pair(name, "payload_written_count", oieb.payload_written_count, a[1], "payload_read_count",
                                  oieb.payload_read_count, a[2]);
                  });

    registry.then(ROLE + "should see " + COUNT + " continuous free bytes in the OIEB",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string& name = zb(ctx).current_buffer();
                      const zerobuffer::Oieb oieb = zerobuffer::inspect_buffer(name).oieb;
                      const std::uint64_t seen = zerobuffer::continuous_free_bytes(oieb);
                      r.data["buffer"] = name;
                      r.data["continuousFreeBytes"] = seen;
                      if (seen != steps::to_uint(a[1])) {
                          throw AssertionFailed("buffer '" + name + "': " + std::to_string(seen) + " continuous free bytes, expected " + a[1] +
                                                " (payload_size " + std::to_string(oieb.payload_size) + ", payload_free_bytes " +
                                                std::to_string(oieb.payload_free_bytes) + ", write_pos " + std::to_string(oieb.payload_write_pos) +
                                                ", read_pos " + std::to_string(oieb.payload_read_pos) + ")");
                      }
                  });

    registry.then(ROLE + "should see a frame with sequence " + COUNT + " and size " + COUNT + " at offset " + COUNT + " in the ring",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string& name = zb(ctx).current_buffer();
                      const RingEntry entry = zerobuffer::ring_entry_at(name, steps::to_uint(a[3]));
                      r.data["buffer"] = name;
                      r.data["offset"] = entry.offset;
                      r.data["sequence"] = entry.sequence;
                      r.data["size"] = entry.payload_size;
                      if (entry.kind != RingEntry::Kind::Frame || entry.sequence != steps::to_uint(a[1]) ||
                          entry.payload_size != steps::to_uint(a[2])) {
                          throw AssertionFailed("buffer '" + name + "': expected a frame header with sequence " + a[1] + " and size " + a[2] +
                                                " at offset " + a[3] + " of the ring, found " + describe(entry));
                      }
                  });

    registry.then(ROLE + "should see (a wrap marker|an implicit wrap) at offset " + COUNT + " wasting " + COUNT + " bytes",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string& name = zb(ctx).current_buffer();
                      const RingEntry entry = zerobuffer::ring_entry_at(name, steps::to_uint(a[2]));
                      const RingEntry::Kind expected = a[1] == "a wrap marker" ? RingEntry::Kind::WrapMarker : RingEntry::Kind::ImplicitWrap;
                      r.data["buffer"] = name;
                      r.data["offset"] = entry.offset;
                      r.data["wastedBytes"] = entry.wasted_bytes;
                      if (entry.kind != expected || entry.wasted_bytes != steps::to_uint(a[3])) {
                          throw AssertionFailed("buffer '" + name + "': expected " + a[1] + " wasting " + a[3] + " bytes at offset " + a[2] +
                                                " of the ring, found " + describe(entry));
                      }
                  });
}

}  // namespace zbserve::step_definitions
