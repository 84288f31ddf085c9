#include "cli_args.hpp"

#include <algorithm>
#include <charconv>

namespace zbtool {

Args Args::parse(int argc, char** argv, int first, const std::vector<std::string>& valued,
                 const std::vector<std::string>& boolean) {
    Args args;
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) == 0) {
            std::string value;
            bool inline_value = false;
            if (auto eq = a.find('='); eq != std::string::npos) {
                value = a.substr(eq + 1);
                a = a.substr(0, eq);
                inline_value = true;
            }
            if (std::find(boolean.begin(), boolean.end(), a) != boolean.end()) {
                if (inline_value) throw UsageError(a + " takes no value");
                args.flags.push_back(a);
            } else if (std::find(valued.begin(), valued.end(), a) != valued.end()) {
                if (!inline_value) {
                    if (i + 1 >= argc) throw UsageError(a + " needs a value");
                    value = argv[++i];
                }
                args.options[a] = value;
            } else {
                throw UsageError("unknown option '" + a + "'");
            }
        } else {
            args.positional.push_back(a);
        }
    }
    return args;
}

bool Args::has_flag(const std::string& name) const {
    return std::find(flags.begin(), flags.end(), name) != flags.end();
}

std::optional<std::string> Args::get(const std::string& name) const {
    auto it = options.find(name);
    if (it == options.end()) return std::nullopt;
    return it->second;
}

namespace {

struct NumberRule {
    long long min;
    long long max;
};

constexpr long long int32_max = 2147483647;

// Option name -> allowed range, the same table as the C# and Python tools.
const std::map<std::string, NumberRule>& number_rules() {
    static const std::map<std::string, NumberRule> rules{
        {"--count", {0, int32_max}},        {"--size", {0, int32_max}},       {"--metadata-size", {0, int32_max}},
        {"--payload-size", {0, int32_max}}, {"--timeout-ms", {0, int32_max}}, {"--handlers", {0, int32_max}},
    };
    return rules;
}

bool is_integer_text(const std::string& text) {
    std::size_t digits = !text.empty() && text[0] == '-' ? 1 : 0;
    if (digits == text.size()) return false;
    return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(digits), text.end(),
                       [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

long long Args::get_int(const std::string& name, std::optional<long long> fallback) const {
    const NumberRule& rule = number_rules().at(name);
    auto v = get(name);
    if (!v) {
        if (!fallback) throw UsageError(name + " is required");
        return *fallback;
    }
    long long n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (!is_integer_text(*v) || ec != std::errc() || end != v->data() + v->size() || n < rule.min || n > rule.max) {
        throw UsageError(name + " must be an integer from " + std::to_string(rule.min) + " to " +
                         std::to_string(rule.max) + ", got '" + *v + "'");
    }
    return n;
}

}  // namespace zbtool
