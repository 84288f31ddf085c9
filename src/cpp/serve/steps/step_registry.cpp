#include "steps/step_registry.hpp"

#include <algorithm>
#include <stdexcept>

namespace zbserve::steps {

void StepRegistry::add(std::string pattern, std::string source, StepHandler handler) {
    std::regex re(pattern, std::regex::ECMAScript | std::regex::optimize);
    definitions_.push_back({std::move(pattern), std::move(re), std::move(source), std::move(handler)});
}

StepMatch StepRegistry::match(const std::string& text) const {
    StepMatch result{StepMatch::Kind::NotFound, nullptr, {}, {}};
    std::vector<const StepDefinition*> found;
    std::smatch m;
    for (const auto& def : definitions_) {
        if (std::regex_match(text, m, def.regex)) {
            if (found.empty()) {
                result.args.clear();
                for (std::size_t i = 1; i < m.size(); ++i) result.args.push_back(m[i].str());
            }
            found.push_back(&def);
        }
    }
    if (found.size() == 1) {
        result.kind = StepMatch::Kind::Found;
        result.definition = found.front();
        return result;
    }
    if (found.size() > 1) {
        result.kind = StepMatch::Kind::Ambiguous;
        result.args.clear();
        result.message = "step '" + text + "' matches " + std::to_string(found.size()) + " definitions:";
        for (const auto* def : found) result.message += "\n  " + def->pattern + " (" + def->source + ")";
        return result;
    }
    result.message = "no step definition matches '" + text + "'; closest patterns:";
    for (const auto& p : closest(text)) result.message += "\n  " + p;
    return result;
}

namespace {
// Quoted arguments do not count toward the distance: "'1024'" and "'(\\d+)'" both become "''".
std::string without_arguments(const std::string& s, const std::regex& quoted) {
    return std::regex_replace(s, quoted, "''");
}
}  // namespace

std::vector<std::string> StepRegistry::closest(const std::string& text, std::size_t n) const {
    static const std::regex quoted_text("'[^']*'");
    static const std::regex quoted_group("'\\([^)]*\\)'");
    const std::string plain = without_arguments(text, quoted_text);
    std::vector<std::pair<std::size_t, std::string>> scored;
    for (const auto& def : definitions_) {
        scored.emplace_back(edit_distance(plain, without_arguments(def.pattern, quoted_group)), def.pattern);
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (std::size_t i = 0; i < scored.size() && i < n; ++i) out.push_back(scored[i].second);
    return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

}  // namespace zbserve::steps
