// The protocol's own figures for the current buffer (feature 13): OIEB counters and positions, the
// 64-byte alignment of the blocks, the reader's flock, all read by name through the diagnostics API.
#include <cstdio>

#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"
#include "zerobuffer/inspect.hpp"
#include "zerobuffer/names.hpp"

namespace zbserve::step_definitions {

using namespace phrases;

namespace {

constexpr std::uint64_t ALIGNMENT = 64;
constexpr std::uint64_t OIEB_BYTES = 128;  // the metadata block starts right after the OIEB (PROTOCOL.md section 2)

// Collects every mismatch, then fails naming them all.
class Wrong {
public:
    void expect(const std::string& field, std::uint64_t actual, std::uint64_t expected) {
        if (actual != expected) add(field + " is " + std::to_string(actual) + ", expected " + std::to_string(expected));
    }
    void expect_aligned(const std::string& what, std::uint64_t value) {
        if (value % ALIGNMENT != 0) {
            char hex[24];
            std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(value));
            add(what + " " + hex + " is not a multiple of " + std::to_string(ALIGNMENT));
        }
    }
    void fail_if_any(const std::string& what) const {
        if (!text_.empty()) throw AssertionFailed(what + " is not as expected: " + text_);
    }

private:
    void add(const std::string& part) { text_ += (text_.empty() ? "" : ", ") + part; }
    std::string text_;
};

}  // namespace

void register_compliance_steps(steps::StepRegistry& registry) {
    registry.then(ROLE + "should see written count " + COUNT + ", read count " + COUNT + ", free bytes " + COUNT +
                      ", write position " + COUNT + " and read position " + COUNT + " in the OIEB",
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string& buffer = zb(ctx).current_buffer();
                      const zerobuffer::Oieb o = zerobuffer::inspect_buffer(buffer).oieb;
                      Wrong wrong;
                      wrong.expect("payload_written_count", o.payload_written_count, steps::to_uint(a[1]));
                      wrong.expect("payload_read_count", o.payload_read_count, steps::to_uint(a[2]));
                      wrong.expect("payload_free_bytes", o.payload_free_bytes, steps::to_uint(a[3]));
                      wrong.expect("payload_write_pos", o.payload_write_pos, steps::to_uint(a[4]));
                      wrong.expect("payload_read_pos", o.payload_read_pos, steps::to_uint(a[5]));
                      wrong.fail_if_any("the OIEB of '" + buffer + "'");
                      r.data["buffer"] = buffer;
                      r.data["writtenCount"] = o.payload_written_count;
                      r.data["readCount"] = o.payload_read_count;
                      r.data["freeBytes"] = o.payload_free_bytes;
                      r.data["writePos"] = o.payload_write_pos;
                      r.data["readPos"] = o.payload_read_pos;
                  });

    registry.then(ROLE + "should see the OIEB, metadata and payload 64-byte aligned with metadata size " + COUNT +
                      " and payload size " + COUNT,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      const std::string& buffer = zb(ctx).current_buffer();
                      const zerobuffer::RegionLayout layout = zerobuffer::buffer_layout(buffer);
                      const std::uint64_t metadata_size = steps::to_uint(a[1]);
                      const std::uint64_t payload_size = steps::to_uint(a[2]);
                      const std::uint64_t base = layout.mapping_address;
                      Wrong wrong;
                      wrong.expect_aligned("the OIEB's address", base);
                      wrong.expect_aligned("the metadata offset", layout.metadata_offset);
                      wrong.expect_aligned("the payload offset", layout.payload_offset);
                      wrong.expect_aligned("the metadata address", base + layout.metadata_offset);
                      wrong.expect_aligned("the payload address", base + layout.payload_offset);
                      wrong.expect("metadata offset", layout.metadata_offset, OIEB_BYTES);
                      wrong.expect("metadata_size", layout.metadata_size, metadata_size);
                      wrong.expect("payload offset", layout.payload_offset, OIEB_BYTES + metadata_size);
                      wrong.expect("payload_size", layout.payload_size, payload_size);
                      wrong.expect("mapping size", layout.mapping_size, OIEB_BYTES + metadata_size + payload_size);
                      wrong.fail_if_any("the layout of '" + buffer + "'");
                      r.data["buffer"] = buffer;
                      r.data["metadataOffset"] = layout.metadata_offset;
                      r.data["payloadOffset"] = layout.payload_offset;
                      r.data["mappingSize"] = layout.mapping_size;
                  });

    registry.then(ROLE + "should see the lock file of the buffer held", [](ScenarioContext& ctx, const StepArgs&, StepResult& r) {
        const std::string& buffer = zb(ctx).current_buffer();
        const std::string path = zerobuffer::lock_directory() + "/" + buffer + ".lock";
        if (zerobuffer::buffer_objects(buffer).lock_file != zerobuffer::LockFileState::Held) {
            throw AssertionFailed("expected the lock file '" + path + "' of '" + buffer +
                                  "' to be held (flock), but a probe could take it or it is missing");
        }
        r.data["buffer"] = buffer;
        r.data["lockFile"] = path;
    });
}

}  // namespace zbserve::step_definitions
