// Writing and checking metadata.
#include "step_definitions/phrases.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "step_definitions/support/patterns.hpp"
#include "step_definitions/support/zerobuffer_context.hpp"
#include "steps/step_arguments.hpp"

namespace zbserve::step_definitions {

using namespace phrases;

namespace {

void check_metadata(ScenarioContext& ctx, std::size_t size, StepResult& r) {
    zerobuffer::Reader& reader = zb(ctx).reader();
    std::vector<std::uint8_t> md = reader.get_metadata();
    r.data["buffer"] = reader.name();
    r.data["size"] = size;
    if (md.size() != size) {
        throw AssertionFailed("buffer '" + reader.name() + "' has " + std::to_string(md.size()) +
                              " bytes of metadata, expected " + std::to_string(size));
    }
    for (std::size_t i = 0; i < md.size(); ++i) {
        if (md[i] != static_cast<std::uint8_t>(i & 0xFF)) {
            throw AssertionFailed("buffer '" + reader.name() + "': metadata byte " + std::to_string(i) + " is " +
                                  std::to_string(md[i]) + ", expected " + std::to_string(i & 0xFF));
        }
    }
}

}  // namespace

void register_metadata_steps(steps::StepRegistry& registry) {
    registry.when(ROLE + "writes metadata with size " + COUNT, [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
        std::size_t size = steps::to_uint(a[1]);
        auto writer = zb(ctx).writer();
        write_pattern_metadata(*writer, size);
        r.data["buffer"] = writer->name();
        r.data["size"] = size;
    });

    registry.then(ROLE + "should fail to write metadata with size " + COUNT + " with " + KIND,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                      std::size_t size = steps::to_uint(a[1]);
                      auto writer = zb(ctx).writer();
                      r.data["buffer"] = writer->name();
                      expect_error(a[2], "writing " + a[1] + " bytes of metadata to buffer '" + writer->name() + "'", r,
                                   [&] { write_pattern_metadata(*writer, size); });
                  });

    registry.then(ROLE + "should have metadata with size " + COUNT,
                  [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) { check_metadata(ctx, steps::to_uint(a[1]), r); });

    registry.then(ROLE + "should have no metadata",
                  [](ScenarioContext& ctx, const StepArgs&, StepResult& r) { check_metadata(ctx, 0, r); });
}

}  // namespace zbserve::step_definitions
