// Step failures, their classification into an errorType, and every user-facing message of the
// registry, matcher and invoker (as C# StepErrors). The library's own errors reach the invoker
// only through injected classifiers.
#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace zbserve::steps {

struct StepDefinition;

namespace error_types {
inline constexpr const char* AssertionFailed = "AssertionFailed";
inline constexpr const char* StepNotFound = "StepNotFound";
inline constexpr const char* AmbiguousStep = "AmbiguousStep";
inline constexpr const char* StepTimeout = "StepTimeout";
inline constexpr const char* StepCancelled = "StepCancelled";
inline constexpr const char* UnhandledException = "UnhandledException";
}  // namespace error_types

// What a step asserted did not hold: AssertionFailed.
class AssertionFailed : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A failure with an explicit errorType (e.g. a background job's library error kind).
class StepFailure : public std::runtime_error {
public:
    StepFailure(std::string error_type, const std::string& message)
        : std::runtime_error(message), error_type_(std::move(error_type)) {}
    const std::string& error_type() const noexcept { return error_type_; }

private:
    std::string error_type_;
};

// The scenario was cancelled (cleanup, end of input, parent gone) while the step ran.
class StepCancelled : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A capture does not convert, or a table / doc string does not fit the definition.
class StepArgumentError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Maps an exception a step threw to its errorType; nullopt for exceptions it does not know.
using StepErrorClassifier = std::function<std::optional<std::string>(const std::exception_ptr&)>;

// The errorType every step shares, before the injected classifiers.
std::optional<std::string> builtin_error_type(const std::exception_ptr& error);
// The exception's what(), or a fixed text for non-std exceptions.
std::string describe(const std::exception_ptr& error);
// The exception's demangled type, e.g. "std::out_of_range".
std::string type_name(const std::exception_ptr& error);

namespace messages {
std::string not_found(const std::string& text, const std::vector<const StepDefinition*>& closest,
                      const std::vector<const StepDefinition*>& broken);
std::string ambiguous(const std::string& text, const std::vector<const StepDefinition*>& matches);
std::string timeout(const std::string& text, long long timeout_ms, long long elapsed_ms);
std::string stopped(const std::string& text, long long elapsed_ms);
std::string invalid_regex(const std::string& pattern, const std::string& reason);
// The step's multiline argument (got) is not what its definition takes (testdata/steps/argument-mismatch.json);
// got and takes are argument kinds ("none", "table", "docString"), definition is StepDefinition::describe().
std::string argument_mismatch(const std::string& text, const std::string& definition, const std::string& got,
                              const std::string& takes);
std::string bad_number(const std::string& value);
std::string unhandled(const std::string& type, const std::string& what);
}  // namespace messages

}  // namespace zbserve::steps
