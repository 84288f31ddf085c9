#include "steps/step_errors.hpp"
#include "steps/step_phrases.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <typeinfo>

#include "steps/step_registry.hpp"

namespace zbserve::steps {

std::optional<std::string> builtin_error_type(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const StepFailure& e) {
        return e.error_type();
    } catch (const AssertionFailed&) {
        return error_types::AssertionFailed;
    } catch (const StepCancelled&) {
        return error_types::StepCancelled;
    } catch (...) {
        return std::nullopt;
    }
}

std::string describe(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an exception that is not a std::exception";
    }
}

std::string type_name(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (...) {
        const std::type_info* type = abi::__cxa_current_exception_type();
        if (type == nullptr) return "an unknown type";
        int status = 0;
        std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(type->name(), nullptr, nullptr, &status),
                                                    std::free);
        return status == 0 && name ? std::string(name.get()) : std::string(type->name());
    }
}

namespace messages {

namespace {
std::string list(const std::vector<const StepDefinition*>& definitions) {
    std::string out;
    for (const auto* d : definitions) {
        if (!out.empty()) out += "; ";
        out += d->describe();
        if (!d->valid()) out += " [invalid: " + d->error + "]";
    }
    return out;
}
}  // namespace

std::string not_found(const std::string& text, const std::vector<const StepDefinition*>& closest,
                      const std::vector<const StepDefinition*>& broken) {
    if (!broken.empty()) {
        std::string reasons;
        for (const auto* d : broken) reasons += (reasons.empty() ? "" : "; ") + d->describe() + ", which is invalid: " + d->error;
        return "No valid step definition matches \"" + text + "\": it matches " + reasons + ".";
    }
    if (closest.empty()) return "No step definition matches \"" + text + "\" (this worker has no valid step definitions).";
    std::string suggestions;
    for (const auto* d : closest) {
        if (!suggestions.empty()) suggestions += "; ";
        suggestions += "\"" + render_phrase(d->pattern, text) + "\" (" + d->source + ")";
        if (!d->valid()) suggestions += " [invalid: " + d->error + "]";
    }
    return "No step definition matches \"" + text + "\". Did you mean: " + suggestions + "?";
}

std::string ambiguous(const std::string& text, const std::vector<const StepDefinition*>& matches) {
    return std::to_string(matches.size()) + " step definitions match \"" + text + "\": " + list(matches) + ".";
}

std::string timeout(const std::string& text, long long timeout_ms, long long elapsed_ms) {
    return "Step \"" + text + "\" did not finish within its " + std::to_string(timeout_ms) + " ms timeout (elapsed " +
           std::to_string(elapsed_ms) + " ms); it was cancelled.";
}

std::string stopped(const std::string& text, long long elapsed_ms) {
    return "Step \"" + text + "\" was abandoned after " + std::to_string(elapsed_ms) + " ms: the worker is stopping.";
}

std::string invalid_regex(const std::string& pattern, const std::string& reason) {
    return "invalid regular expression '" + pattern + "': " + reason;
}

std::string argument_mismatch(const std::string& text, const std::string& definition, const std::string& got,
                              const std::string& takes) {
    auto words = [](const std::string& kind) -> std::string {
        if (kind == "table") return "a data table";
        if (kind == "docString") return "a doc string";
        return "no data table or doc string";
    };
    return "Step \"" + text + "\" got " + words(got) + ", but its definition " + definition + " takes " + words(takes) + ".";
}

std::string bad_number(const std::string& value) { return "'" + value + "' is not a valid integer (or is out of range)."; }

std::string unhandled(const std::string& type, const std::string& what) {
    return "UnhandledException: " + type + ": " + what;
}

}  // namespace messages
}  // namespace zbserve::steps
