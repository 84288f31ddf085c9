#include "step_definitions/support/error_kinds.hpp"

#include "logging/log_capture.hpp"
#include "zerobuffer/errors.hpp"

namespace zbserve::step_definitions {

using steps::AssertionFailed;

std::optional<std::string> classify_zerobuffer_error(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const zerobuffer::ZeroBufferException& e) {
        return std::string(e.kind());
    } catch (...) {
        return std::nullopt;
    }
}

void expect_error(const std::string& expected_kind, const std::string& what, steps::StepResult& result,
                  const std::function<void()>& op) {
    try {
        op();
    } catch (const zerobuffer::ZeroBufferException& e) {
        if (expected_kind == e.kind()) {
            result.data["errorType"] = e.kind();
            result.data["message"] = e.what();
            log_info(what + " failed as expected with " + e.kind() + ": " + e.what());
            return;
        }
        throw AssertionFailed("expected " + what + " to fail with '" + expected_kind + "', but it failed with '" +
                              e.kind() + "': " + e.what());
    }
    throw AssertionFailed("expected " + what + " to fail with '" + expected_kind + "', but it succeeded");
}

steps::StepFailure background_failure(const std::exception_ptr& error, const std::string& what) {
    std::string message = what + ": " + steps::describe(error);
    if (auto kind = classify_zerobuffer_error(error)) return {*kind, message};
    if (auto builtin = steps::builtin_error_type(error)) return {*builtin, message};
    return {steps::error_types::UnhandledException, message};
}

}  // namespace zbserve::step_definitions
