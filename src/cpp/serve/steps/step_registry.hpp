// Step patterns (std::regex, full match, keyword-independent) and the code behind them.
#pragma once

#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "steps/step_types.hpp"

namespace zbserve::steps {

class ScenarioContext;

// Captured groups of the pattern, in order (group 1 first).
using StepArgs = std::vector<std::string>;
using StepHandler = std::function<void(ScenarioContext& ctx, const StepArgs& args, StepResult& result)>;

struct StepDefinition {
    std::string pattern;
    std::regex regex;
    std::string source;  // file:line
    StepHandler handler;
};

struct StepMatch {
    enum class Kind { Found, NotFound, Ambiguous } kind;
    const StepDefinition* definition = nullptr;
    StepArgs args;
    std::string message;  // NotFound: closest patterns; Ambiguous: the candidates
};

class StepRegistry {
public:
    void add(std::string pattern, std::string source, StepHandler handler);
    StepMatch match(const std::string& text) const;
    const std::vector<StepDefinition>& definitions() const noexcept { return definitions_; }

    // The n patterns nearest to text by edit distance.
    std::vector<std::string> closest(const std::string& text, std::size_t n = 3) const;

private:
    std::vector<StepDefinition> definitions_;
};

std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace zbserve::steps
