#include "steps/step_invoker.hpp"

#include "logging/log_capture.hpp"
#include "steps/step_arguments.hpp"

namespace zbserve::steps {

namespace {

long long elapsed_ms(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

std::string classify_with(const std::vector<StepErrorClassifier>& classifiers, const std::exception_ptr& error) {
    if (auto builtin = builtin_error_type(error)) return *builtin;
    for (const auto& classifier : classifiers) {
        if (auto kind = classifier(error)) return *kind;
    }
    return error_types::UnhandledException;
}

StepResult failure_of(const std::vector<StepErrorClassifier>& classifiers, const std::exception_ptr& error) {
    std::string kind = classify_with(classifiers, error);
    std::string what = describe(error);
    return StepResult::failure(kind, kind == error_types::UnhandledException ? messages::unhandled(type_name(error), what)
                                                                             : what);
}

}  // namespace

StepInvoker::StepInvoker(const StepMatcher& matcher, std::vector<StepErrorClassifier> classifiers,
                         const std::atomic<bool>& stop)
    : matcher_(matcher),
      classifiers_(std::make_shared<const std::vector<StepErrorClassifier>>(std::move(classifiers))),
      stop_(stop) {}

std::string StepInvoker::classify(const std::exception_ptr& error) const { return classify_with(*classifiers_, error); }

StepResult StepInvoker::invoke(const std::shared_ptr<ScenarioContext>& context, const StepRequest& request) {
    const auto start = std::chrono::steady_clock::now();
    StepResult result = [&] {
        StepMatch match = matcher_.match(request.text);
        if (match.kind == StepMatch::Kind::NotFound) {
            return StepResult::failure(error_types::StepNotFound,
                                       messages::not_found(request.text, match.candidates, match.broken));
        }
        if (match.kind == StepMatch::Kind::Ambiguous) {
            return StepResult::failure(error_types::AmbiguousStep, messages::ambiguous(request.text, match.candidates));
        }
        // A table or doc string the definition does not take is a binding error, found before the
        // step runs, as for a step with no definition.
        const std::string got = argument_kind(request.argument);
        if (got != match.definition->accepts()) {
            return StepResult::failure(error_types::StepNotFound,
                                       messages::argument_mismatch(request.text, match.definition->describe(), got,
                                                                   match.definition->accepts()));
        }
        auto abandoned = std::make_shared<std::atomic<bool>>(false);
        auto job = [context, abandoned, classifiers = classifiers_, def = match.definition,
                    args = std::move(match.args)]() -> StepResult {
            // A step abandoned after a timeout may still hold the context; wait for it, and skip
            // the work entirely if this step was itself given up meanwhile.
            std::unique_lock lock(context->step_mutex);
            if (*abandoned) return StepResult::failure(error_types::StepTimeout, "abandoned before it started");
            StepResult r;
            const auto began = std::chrono::steady_clock::now();
            try {
                def->handler(*context, args, r);
            } catch (...) {
                StepResult failed = failure_of(*classifiers, std::current_exception());
                failed.data = std::move(r.data);
                r = std::move(failed);
            }
            // STEPS.md: every step reports elapsedMs; a step that timed one call reports that call's.
            if (!r.data.is_object()) r.data = nlohmann::json::object();
            if (!r.data.contains("elapsedMs")) r.data["elapsedMs"] = elapsed_ms(began);
            return r;
        };
        log_debug("executing step '" + request.text + "' -> " + match.definition->source);
        std::optional<StepResult> outcome = executor_.run(std::move(job), request.timeout, &stop_);
        if (outcome) return std::move(*outcome);
        *abandoned = true;
        if (stop_) {
            context->cancel();
            return StepResult::failure(error_types::StepCancelled, messages::stopped(request.text, elapsed_ms(start)));
        }
        StepResult timed_out = StepResult::failure(
            error_types::StepTimeout, messages::timeout(request.text, request.timeout->count(), elapsed_ms(start)));
        timed_out.data["elapsedMs"] = elapsed_ms(start);
        return timed_out;
    }();
    result.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!result.success) log_warning("step '" + request.text + "' failed (" + result.error_type + "): " + result.error);
    return result;
}

}  // namespace zbserve::steps
