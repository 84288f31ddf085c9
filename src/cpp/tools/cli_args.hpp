// Tiny "--name value" argument reader for zerobuffer-cpp (no dependencies).
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace zbtool {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A failure the tool reports as "<kind>: <message>" (kinds that are not library errors).
class ToolError : public std::runtime_error {
public:
    ToolError(std::string kind, const std::string& message) : std::runtime_error(message), kind_(std::move(kind)) {}
    const std::string& kind() const noexcept { return kind_; }

private:
    std::string kind_;
};

struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;  // "--count" -> "5"
    std::vector<std::string> flags;              // "--quick"

    // valued: options that take a value; boolean: flags. Anything else is a UsageError.
    static Args parse(int argc, char** argv, int first, const std::vector<std::string>& valued,
                      const std::vector<std::string>& boolean);
    bool has_flag(const std::string& name) const;
    std::optional<std::string> get(const std::string& name) const;
    // A numeric option by the one rule the three tools share (testdata/cli/number-validation.json):
    // an optional '-' and ASCII digits, within the option's range; UsageError otherwise, and when
    // it is missing without a fallback.
    long long get_int(const std::string& name, std::optional<long long> fallback) const;
};

}  // namespace zbtool
