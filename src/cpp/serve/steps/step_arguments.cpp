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

const char* argument_kind(const nlohmann::json& argument) {
    auto present = [&](const char* camel, const char* pascal) {
        return (argument.contains(camel) && argument[camel].is_object()) ||
               (argument.contains(pascal) && argument[pascal].is_object());
    };
    if (!argument.is_object()) return argument_kinds::None;
    if (present("table", "Table")) return argument_kinds::Table;
    if (present("docString", "DocString")) return argument_kinds::DocString;
    return argument_kinds::None;
}

}  // namespace zbserve::steps
