// ZeroBuffer errors as step outcomes: the classifier main() gives the invoker, and expected failures.
// Kinds are the library's own (zerobuffer::ZeroBufferException::kind()), never a repeated list.
#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <string>

#include "steps/step_errors.hpp"
#include "steps/step_request.hpp"

namespace zbserve::step_definitions {

// The kind of a zerobuffer::ZeroBufferException; nullopt for any other exception.
std::optional<std::string> classify_zerobuffer_error(const std::exception_ptr& error);

// Runs op, which must fail with the library error expected_kind; records errorType and message in
// result.data, else throws AssertionFailed naming both kinds.
void expect_error(const std::string& expected_kind, const std::string& what, steps::StepResult& result,
                  const std::function<void()>& op);

// A failure of background work, reported with the work's own kind.
steps::StepFailure background_failure(const std::exception_ptr& error, const std::string& what);

}  // namespace zbserve::step_definitions
