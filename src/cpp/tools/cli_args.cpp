#include "cli_args.hpp"

#include <algorithm>

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

long long Args::get_int(const std::string& name, std::optional<long long> fallback) const {
    auto v = get(name);
    if (!v) {
        if (!fallback) throw UsageError(name + " is required");
        return *fallback;
    }
    try {
        std::size_t used = 0;
        long long n = std::stoll(*v, &used);
        if (used != v->size()) throw UsageError("");
        return n;
    } catch (const std::exception&) {
        throw UsageError(name + " needs an integer, got '" + *v + "'");
    }
}

}  // namespace zbtool
