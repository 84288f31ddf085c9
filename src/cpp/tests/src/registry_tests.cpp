// Step registry matching, and every step of features/*.feature against the real definitions.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <algorithm>
#include <regex>

#include "steps/ring_buffer_steps.hpp"
#include "steps/scenario_context.hpp"
#include "steps/step_registry.hpp"
#include "test_support.hpp"

using namespace zbserve::steps;

namespace {

StepHandler noop() {
    return [](ScenarioContext&, const StepArgs&, StepResult&) {};
}

// The step lines of the feature files (keyword stripped), with Scenario Outline placeholders
// replaced by each Examples row.
std::vector<std::string> feature_steps() {
    std::vector<std::string> steps;
    std::filesystem::path dir = std::filesystem::path(zbtest::cpp_source_dir()) / ".." / ".." / "features";
    static const std::regex step_line(R"(^\s*(Given|When|Then|And|But)\s+(.*?)\s*$)");
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".feature") continue;
        std::ifstream in(entry.path());
        std::string line;
        std::vector<std::string> outline_steps;
        std::vector<std::string> header;
        bool in_examples = false;
        while (std::getline(in, line)) {
            std::smatch m;
            if (std::regex_match(line, m, step_line)) {
                std::string text = m[2];
                if (text.find('<') != std::string::npos) {
                    outline_steps.push_back(text);
                } else {
                    steps.push_back(text);
                }
                in_examples = false;
            } else if (line.find("Examples:") != std::string::npos) {
                in_examples = true;
                header.clear();
            } else if (in_examples && line.find('|') != std::string::npos) {
                std::vector<std::string> cells;
                std::stringstream ss(line);
                std::string cell;
                std::getline(ss, cell, '|');
                while (std::getline(ss, cell, '|')) {
                    auto b = cell.find_first_not_of(' ');
                    auto e = cell.find_last_not_of(' ');
                    if (b != std::string::npos) cells.push_back(cell.substr(b, e - b + 1));
                }
                if (header.empty()) {
                    header = cells;
                    continue;
                }
                for (std::string s : outline_steps) {
                    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) {
                        std::string key = "<" + header[i] + ">";
                        for (auto p = s.find(key); p != std::string::npos; p = s.find(key)) s.replace(p, key.size(), cells[i]);
                    }
                    steps.push_back(s);
                }
            } else if (line.find("Scenario") != std::string::npos) {
                outline_steps.clear();
                in_examples = false;
            }
        }
    }
    return steps;
}

bool orchestrator_owned(const std::string& step) {
    static const std::regex owned(R"(^(the '[^']+' process (is killed|crashes)( while .*)?|a new '[^']+' process is started|wait for '\d+' (ms|seconds))$)");
    return std::regex_match(step, owned);
}

}  // namespace

TEST(StepRegistry, FullMatchOnly) {
    StepRegistry r;
    r.add("the '([^']+)' process writes frame with size '(\\d+)'", "x:1", noop());
    EXPECT_EQ(r.match("the 'writer' process writes frame with size '10'").kind, StepMatch::Kind::Found);
    EXPECT_EQ(r.match("the 'writer' process writes frame with size '10' twice").kind, StepMatch::Kind::NotFound);
    EXPECT_EQ(r.match("and the 'writer' process writes frame with size '10'").kind, StepMatch::Kind::NotFound);
    auto m = r.match("the 'writer-2' process writes frame with size '1024'");
    ASSERT_EQ(m.kind, StepMatch::Kind::Found);
    EXPECT_EQ(m.args, (StepArgs{"writer-2", "1024"}));
}

TEST(StepRegistry, AmbiguousListsCandidates) {
    StepRegistry r;
    r.add("the '([^']+)' process reads (.*)", "a.cpp:1", noop());
    r.add("the '([^']+)' process reads frames", "b.cpp:2", noop());
    auto m = r.match("the 'reader' process reads frames");
    EXPECT_EQ(m.kind, StepMatch::Kind::Ambiguous);
    EXPECT_NE(m.message.find("a.cpp:1"), std::string::npos);
    EXPECT_NE(m.message.find("b.cpp:2"), std::string::npos);
}

TEST(StepRegistry, NotFoundNamesClosestPatterns) {
    StepRegistry r;
    register_ring_buffer_steps(r);
    auto m = r.match("the 'writer' process writes frames with size '1024'");
    ASSERT_EQ(m.kind, StepMatch::Kind::NotFound);
    auto closest = r.closest("the 'writer' process writes frames with size '1024'", 1);
    ASSERT_EQ(closest.size(), 1u);
    EXPECT_EQ(closest[0], "the '([^']+)' process writes frame with size '(\\d+)'");
    EXPECT_NE(m.message.find(closest[0]), std::string::npos);
}

TEST(StepRegistry, EditDistance) {
    EXPECT_EQ(edit_distance("", ""), 0u);
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
    EXPECT_EQ(edit_distance("abc", ""), 3u);
}

TEST(StepRegistry, EveryFeatureStepHasExactlyOneDefinition) {
    StepRegistry r;
    register_ring_buffer_steps(r);
    auto steps = feature_steps();
    ASSERT_GT(steps.size(), 60u);
    int checked = 0;
    for (const auto& step : steps) {
        if (orchestrator_owned(step)) continue;
        auto m = r.match(step);
        EXPECT_EQ(m.kind, StepMatch::Kind::Found) << step << "\n" << m.message;
        ++checked;
    }
    EXPECT_GT(checked, 50);
}

TEST(StepRegistry, EveryDefinitionIsUsedByAFeature) {
    StepRegistry r;
    register_ring_buffer_steps(r);
    auto steps = feature_steps();
    for (const auto& def : r.definitions()) {
        bool used = std::any_of(steps.begin(), steps.end(), [&](const std::string& s) { return std::regex_match(s, def.regex); });
        EXPECT_TRUE(used) << "no feature step uses " << def.pattern;
    }
}
