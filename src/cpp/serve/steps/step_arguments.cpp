#include "steps/step_arguments.hpp"

#include <charconv>

#include "steps/step_errors.hpp"

namespace zbserve::steps {

std::uint64_t to_uint(const std::string& capture) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(capture.data(), capture.data() + capture.size(), value);
    if (ec != std::errc() || end != capture.data() + capture.size() || capture.empty()) {
        throw StepArgumentError(messages::bad_number(capture));
    }
    return value;
}

std::int64_t to_int(const std::string& capture) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(capture.data(), capture.data() + capture.size(), value);
    if (ec != std::errc() || end != capture.data() + capture.size() || capture.empty()) {
        throw StepArgumentError(messages::bad_number(capture));
    }
    return value;
}

std::chrono::milliseconds to_ms(const std::string& capture) {
    std::uint64_t value = to_uint(capture);
    if (value > static_cast<std::uint64_t>(std::chrono::milliseconds::max().count())) {
        throw StepArgumentError(messages::bad_number(capture));
    }
    return std::chrono::milliseconds(static_cast<std::int64_t>(value));
}

void refuse_multiline_argument(const StepRequest& request) {
    const auto& argument = request.argument;
    if (argument.is_object() && (argument.contains("table") || argument.contains("Table"))) {
        throw StepArgumentError(messages::unexpected_table(request.text));
    }
    if (argument.is_object() && (argument.contains("docString") || argument.contains("DocString"))) {
        throw StepArgumentError(messages::unexpected_doc_string(request.text));
    }
}

}  // namespace zbserve::steps
