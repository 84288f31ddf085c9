#include "steps/step_registry.hpp"

#include "steps/required_literal.hpp"
#include "steps/step_errors.hpp"

namespace zbserve::steps {

const char* to_string(StepType type) noexcept {
    switch (type) {
        case StepType::Given: return "given";
        case StepType::When: return "when";
        case StepType::Then: return "then";
    }
    return "step";
}

std::string StepDefinition::describe() const { return "'" + pattern + "' (" + source + ")"; }

void StepRegistry::add(StepType type, std::string pattern, StepHandler handler, std::source_location where) {
    std::string file = where.file_name();
    std::string source = file.substr(file.find_last_of('/') + 1) + ":" + std::to_string(where.line());
    std::string required = required_literal(pattern);
    StepDefinition definition{type, std::move(pattern), std::nullopt, std::move(required), std::move(source), {},
                              std::move(handler)};
    try {
        definition.regex.emplace(definition.pattern, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
        definition.error = messages::invalid_regex(definition.pattern, e.what());
    }
    definitions_.push_back(std::move(definition));
}

std::vector<const StepDefinition*> StepRegistry::invalid() const {
    std::vector<const StepDefinition*> out;
    for (const auto& d : definitions_) {
        if (!d.valid()) out.push_back(&d);
    }
    return out;
}

}  // namespace zbserve::steps
