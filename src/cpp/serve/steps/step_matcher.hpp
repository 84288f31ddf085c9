// Matches a step text against the registry: full match, whatever the keyword.
#pragma once

#include <string>
#include <vector>

#include "steps/step_registry.hpp"

namespace zbserve::steps {

struct StepMatch {
    enum class Kind { Found, NotFound, Ambiguous } kind = Kind::NotFound;
    const StepDefinition* definition = nullptr;  // Found
    StepArgs args;                               // Found: the captured groups
    // NotFound: the closest definitions; Ambiguous: every matching one.
    std::vector<const StepDefinition*> candidates;
    // NotFound: invalid definitions whose pattern matches the text.
    std::vector<const StepDefinition*> broken;
};

class StepMatcher {
public:
    explicit StepMatcher(const StepRegistry& registry) : registry_(registry) {}

    StepMatch match(const std::string& text) const;
    // The n definitions nearest to text by edit distance, quoted arguments ignored.
    std::vector<const StepDefinition*> closest(const std::string& text, std::size_t n = 3) const;

private:
    const StepRegistry& registry_;
};

std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace zbserve::steps
