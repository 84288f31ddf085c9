#include "steps/step_matcher.hpp"

#include <algorithm>

namespace zbserve::steps {

StepMatch StepMatcher::match(const std::string& text) const {
    StepMatch result;
    std::smatch m;
    for (const auto& def : registry_.definitions()) {
        // The substring search first: a std::regex attempt costs about 10 µs, and nearly all of them fail.
        if (text.find(def.required_text) == std::string::npos) continue;
        if (!def.regex || !std::regex_match(text, m, *def.regex)) continue;
        if (!def.valid()) {
            result.broken.push_back(&def);
            continue;
        }
        if (result.candidates.empty()) {
            for (std::size_t i = 1; i < m.size(); ++i) result.args.push_back(m[i].str());
        }
        result.candidates.push_back(&def);
    }
    if (result.candidates.size() == 1) {
        result.kind = StepMatch::Kind::Found;
        result.definition = result.candidates.front();
        result.candidates.clear();
        return result;
    }
    result.args.clear();
    if (result.candidates.size() > 1) {
        result.kind = StepMatch::Kind::Ambiguous;
        return result;
    }
    result.candidates = closest(text);
    return result;
}

namespace {
// Quoted arguments do not count toward the distance: "'1024'" and "'(\\d+)'" both become "''".
std::string without_arguments(const std::string& s, const std::regex& quoted) {
    return std::regex_replace(s, quoted, "''");
}
}  // namespace

std::vector<const StepDefinition*> StepMatcher::closest(const std::string& text, std::size_t n) const {
    static const std::regex quoted_text("'[^']*'");
    static const std::regex quoted_group("'\\([^)]*\\)'");
    const std::string plain = without_arguments(text, quoted_text);
    std::vector<std::pair<std::size_t, const StepDefinition*>> scored;
    for (const auto& def : registry_.definitions()) {
        scored.emplace_back(edit_distance(plain, without_arguments(def.pattern, quoted_group)), &def);
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<const StepDefinition*> out;
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
