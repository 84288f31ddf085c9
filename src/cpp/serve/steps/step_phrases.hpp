// A step pattern written back as Gherkin text, for "did you mean" suggestions: the same rules as
// the C# (Harmony.Protocol StepPhrase) and Python workers and the orchestrator's dry run
// (testdata/steps/phrases.json pins them), so a user reads a step they can paste, not a regex.
#pragma once

#include <string>

namespace zbserve::steps {

// The pattern as Gherkin text; the role of asked_step ("the '<role>' process") fills the process group.
std::string render_phrase(const std::string& pattern, const std::string& asked_step);

}  // namespace zbserve::steps
