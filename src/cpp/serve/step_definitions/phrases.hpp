// Pattern pieces shared by the step definitions.
#pragma once

#include <string>

namespace zbserve::step_definitions::phrases {

// "the '<role>' process ": the role is captured and ignored (the orchestrator routed the step).
inline const std::string ROLE = "the '([^']+)' process ";
inline const std::string NAME = "'([^']*)'";
inline const std::string COUNT = "'(\\d+)'";
inline const std::string SIGNED = "'(-?\\d+)'";
inline const std::string KIND = "'([A-Za-z]+)'";

}  // namespace zbserve::step_definitions::phrases
