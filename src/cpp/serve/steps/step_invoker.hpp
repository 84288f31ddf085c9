// Runs one step: match, refuse a multiline argument no definition takes, run it on the step
// thread under its timeout, classify. Never sees the ZeroBuffer library: an exception is
// classified by the built-in step errors, then by the injected classifiers, else
// UnhandledException. A step that outlives its timeout, or the worker (stop), is abandoned.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "steps/scenario_context.hpp"
#include "steps/step_errors.hpp"
#include "steps/step_executor.hpp"
#include "steps/step_matcher.hpp"
#include "steps/step_request.hpp"

namespace zbserve::steps {

class StepInvoker {
public:
    // stop becomes true when the worker must exit (end of input, parent gone): a running step is
    // then abandoned at once instead of at its timeout.
    StepInvoker(const StepMatcher& matcher, std::vector<StepErrorClassifier> classifiers,
                const std::atomic<bool>& stop);

    StepResult invoke(const std::shared_ptr<ScenarioContext>& context, const StepRequest& request);
    std::string classify(const std::exception_ptr& error) const;

private:
    const StepMatcher& matcher_;
    std::shared_ptr<const std::vector<StepErrorClassifier>> classifiers_;
    const std::atomic<bool>& stop_;
    StepExecutor executor_;
};

}  // namespace zbserve::steps
