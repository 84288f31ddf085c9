// Step definitions: a pattern (std::regex, full match, keyword-independent), its type and the code
// behind it. A pattern that does not compile is recorded as an invalid definition, never thrown,
// so discover reports it and a step near it is told why.
#pragma once

#include <functional>
#include <optional>
#include <regex>
#include <source_location>
#include <string>
#include <vector>

#include "steps/step_arguments.hpp"
#include "steps/step_request.hpp"

namespace zbserve::steps {

class ScenarioContext;

enum class StepType { Given, When, Then };
const char* to_string(StepType type) noexcept;

// Captured groups of the pattern, in order (group 1 first).
using StepArgs = std::vector<std::string>;
using StepHandler = std::function<void(ScenarioContext& ctx, const StepArgs& args, StepResult& result)>;

struct StepDefinition {
    StepType type;
    std::string pattern;
    std::optional<std::regex> regex;  // nullopt when the pattern does not compile
    std::string required_text;        // text every match contains (required_literal); may be empty
    std::string source;               // file:line
    std::string error;                // why it cannot be used; empty when valid
    StepHandler handler;

    bool valid() const noexcept { return error.empty(); }
    // What multiline argument it takes (discover's "accepts"): a handler receives the captures
    // only, so every C++ definition takes neither a data table nor a doc string.
    const char* accepts() const noexcept { return argument_kinds::None; }
    // "'<pattern>' (<source>)"
    std::string describe() const;
};

class StepRegistry {
public:
    void add(StepType type, std::string pattern, StepHandler handler,
             std::source_location where = std::source_location::current());
    void given(std::string pattern, StepHandler handler, std::source_location where = std::source_location::current()) {
        add(StepType::Given, std::move(pattern), std::move(handler), where);
    }
    void when(std::string pattern, StepHandler handler, std::source_location where = std::source_location::current()) {
        add(StepType::When, std::move(pattern), std::move(handler), where);
    }
    void then(std::string pattern, StepHandler handler, std::source_location where = std::source_location::current()) {
        add(StepType::Then, std::move(pattern), std::move(handler), where);
    }

    const std::vector<StepDefinition>& definitions() const noexcept { return definitions_; }
    std::vector<const StepDefinition*> invalid() const;

private:
    std::vector<StepDefinition> definitions_;
};

}  // namespace zbserve::steps
