// Step registry matching, and every step of features/*.feature against the real definitions.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <algorithm>
#include <future>
#include <regex>
#include <set>
#include <thread>

#include "rpc/worker_methods.hpp"
#include "step_definitions/step_definitions.hpp"
#include "steps/required_literal.hpp"
#include "steps/scenario_context.hpp"
#include "steps/step_errors.hpp"
#include "steps/step_invoker.hpp"
#include "steps/step_matcher.hpp"
#include "steps/step_registry.hpp"
#include "test_support.hpp"

using namespace zbserve::steps;
using zbserve::step_definitions::register_all;

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
    static const std::regex owned(R"(^(the '[^']+' process (is killed|crashes)( while .*)?|a new '[^']+' process is started( as user '[^']+'| with a private /dev/shm of '\d+' KB( and '\d+' files)?)?|wait for '\d+' (ms|seconds))$)");
    return std::regex_match(step, owned);
}

}  // namespace

StepRequest request_for(const std::string& text, std::optional<std::chrono::milliseconds> timeout = std::nullopt) {
    StepRequest request;
    request.text = text;
    request.timeout = timeout;
    return request;
}

StepRegistry all_steps() {
    StepRegistry r;
    register_all(r);
    return r;
}

TEST(StepRegistry, FullMatchOnly) {
    StepRegistry r;
    r.when("the '([^']+)' process writes frame with size '(\\d+)'", noop());
    StepMatcher matcher(r);
    EXPECT_EQ(matcher.match("the 'writer' process writes frame with size '10'").kind, StepMatch::Kind::Found);
    EXPECT_EQ(matcher.match("the 'writer' process writes frame with size '10' twice").kind, StepMatch::Kind::NotFound);
    EXPECT_EQ(matcher.match("and the 'writer' process writes frame with size '10'").kind, StepMatch::Kind::NotFound);
    auto m = matcher.match("the 'writer-2' process writes frame with size '1024'");
    ASSERT_EQ(m.kind, StepMatch::Kind::Found);
    EXPECT_EQ(m.args, (StepArgs{"writer-2", "1024"}));
}

TEST(StepRegistry, TypesAndSourcesAreRecorded) {
    StepRegistry r;
    r.given("a", noop());
    r.when("b", noop());
    r.then("c", noop());
    ASSERT_EQ(r.definitions().size(), 3u);
    EXPECT_STREQ(to_string(r.definitions()[0].type), "given");
    EXPECT_STREQ(to_string(r.definitions()[1].type), "when");
    EXPECT_STREQ(to_string(r.definitions()[2].type), "then");
    EXPECT_EQ(r.definitions()[0].source.rfind("registry_tests.cpp:", 0), 0u) << r.definitions()[0].source;
}

TEST(StepRegistry, AnInvalidPatternIsRecordedNotThrown) {
    StepRegistry r;
    r.given("broken (unclosed", noop());
    r.given("the '([^']+)' process works", noop());
    ASSERT_EQ(r.invalid().size(), 1u);
    EXPECT_EQ(r.invalid()[0]->pattern, "broken (unclosed");
    EXPECT_NE(r.invalid()[0]->error.find("invalid regular expression"), std::string::npos);
    StepMatcher matcher(r);
    EXPECT_EQ(matcher.match("the 'x' process works").kind, StepMatch::Kind::Found);
    std::atomic<bool> stop{false};
    StepInvoker invoker(matcher, {}, stop);
    StepResult near = invoker.invoke(std::make_shared<ScenarioContext>(), request_for("broken unclosed"));
    EXPECT_EQ(near.error_type, "StepNotFound");
    EXPECT_NE(near.error.find("[invalid: invalid regular expression"), std::string::npos) << near.error;
}

TEST(StepRegistry, AmbiguousListsCandidates) {
    StepRegistry r;
    r.then("the '([^']+)' process reads (.*)", noop());
    r.then("the '([^']+)' process reads frames", noop());
    std::atomic<bool> stop{false};
    StepMatcher matcher(r);
    StepInvoker invoker(matcher, {}, stop);
    auto m = matcher.match("the 'reader' process reads frames");
    EXPECT_EQ(m.kind, StepMatch::Kind::Ambiguous);
    EXPECT_EQ(m.candidates.size(), 2u);
    StepResult result = invoker.invoke(std::make_shared<ScenarioContext>(), request_for("the 'reader' process reads frames"));
    EXPECT_EQ(result.error_type, "AmbiguousStep");
    EXPECT_EQ(result.error.rfind("2 step definitions match", 0), 0u) << result.error;
}

TEST(StepRegistry, NotFoundNamesClosestPatterns) {
    StepRegistry r = all_steps();
    StepMatcher matcher(r);
    auto m = matcher.match("the 'writer' process writes frames with size '1024'");
    ASSERT_EQ(m.kind, StepMatch::Kind::NotFound);
    auto closest = matcher.closest("the 'writer' process writes frames with size '1024'", 1);
    ASSERT_EQ(closest.size(), 1u);
    EXPECT_EQ(closest[0]->pattern, "the '([^']+)' process writes frame with size '(\\d+)'");
    EXPECT_EQ(m.candidates.front(), closest[0]);
}

TEST(StepInvoker, ClassifiesBuiltinsThenInjectedClassifiersElseUnhandled) {
    struct LibraryError : std::runtime_error {
        using std::runtime_error::runtime_error;
    };
    StepRegistry r;
    r.then("it asserts", [](ScenarioContext&, const StepArgs&, StepResult&) { throw AssertionFailed("expected 1, got 2"); });
    r.then("it fails in the library", [](ScenarioContext&, const StepArgs&, StepResult&) { throw LibraryError("ring is full"); });
    r.then("it is cancelled", [](ScenarioContext& ctx, const StepArgs&, StepResult&) {
        ctx.cancel();
        ctx.check_cancelled();
    });
    StepMatcher matcher(r);
    std::atomic<bool> stop{false};
    StepErrorClassifier library = [](const std::exception_ptr& e) -> std::optional<std::string> {
        try {
            std::rethrow_exception(e);
        } catch (const LibraryError&) {
            return "BufferFull";
        } catch (...) {
            return std::nullopt;
        }
    };
    StepInvoker plain(matcher, {}, stop);
    StepInvoker with_library(matcher, {library}, stop);
    auto run = [](StepInvoker& invoker, const std::string& text) {
        return invoker.invoke(std::make_shared<ScenarioContext>(), request_for(text));
    };
    EXPECT_EQ(run(plain, "it asserts").error_type, "AssertionFailed");
    EXPECT_EQ(run(plain, "it fails in the library").error_type, "UnhandledException");
    StepResult classified = run(with_library, "it fails in the library");
    EXPECT_EQ(classified.error_type, "BufferFull");
    EXPECT_EQ(classified.error, "ring is full");
    EXPECT_TRUE(classified.data.is_object());
    EXPECT_TRUE(classified.data["elapsedMs"].is_number()) << "every step reports elapsedMs";
    EXPECT_EQ(run(plain, "it is cancelled").error_type, "StepCancelled");
}

TEST(StepInvoker, StopAbandonsARunningStepAtOnce) {
    std::promise<void> running;
    StepRegistry r;
    r.then("it blocks", [&running](ScenarioContext& ctx, const StepArgs&, StepResult&) {
        running.set_value();
        ctx.sleep_for(std::chrono::seconds(20));
    });
    StepMatcher matcher(r);
    std::atomic<bool> stop{false};
    StepInvoker invoker(matcher, {}, stop);
    std::thread stopper([&] {
        running.get_future().wait();
        stop = true;
    });
    auto started = std::chrono::steady_clock::now();
    StepResult result = invoker.invoke(std::make_shared<ScenarioContext>(),
                                       request_for("it blocks", std::chrono::milliseconds(30000)));
    stopper.join();
    EXPECT_EQ(result.error_type, "StepCancelled") << result.error;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(StepRegistry, EditDistance) {
    EXPECT_EQ(edit_distance("", ""), 0u);
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
    EXPECT_EQ(edit_distance("abc", ""), 3u);
}

TEST(StepRegistry, EveryWorkerDefinitionIsValidAndTyped) {
    StepRegistry r = all_steps();
    EXPECT_TRUE(r.invalid().empty());
    int ready = 0;
    for (const auto& def : r.definitions()) ready += def.pattern == "the '([^']+)' process is ready";
    EXPECT_EQ(ready, 1);
}

TEST(StepRegistry, EveryFeatureStepHasExactlyOneDefinition) {
    StepRegistry r = all_steps();
    StepMatcher matcher(r);
    auto steps = feature_steps();
    ASSERT_GT(steps.size(), 60u);
    int checked = 0;
    for (const auto& step : steps) {
        if (orchestrator_owned(step)) continue;
        auto m = matcher.match(step);
        EXPECT_EQ(m.kind, StepMatch::Kind::Found) << step;
        ++checked;
    }
    EXPECT_GT(checked, 50);
}

TEST(RequiredLiteral, TheLongestFixedRunOutsideGroupsClassesAndQuantifiers) {
    EXPECT_EQ(required_literal("the '([^']+)' process is ready"), "' process is ready");
    EXPECT_EQ(required_literal("size '(\\d+)' and '([^']*)' ok"), "' and '");
    EXPECT_EQ(required_literal("frames? written"), " written");        // the optional 's' ends a run
    EXPECT_EQ(required_literal("a\\.b\\d+cd"), "a.b");               // \. is a dot, \d a class
    EXPECT_EQ(required_literal("x{2} then (?:one|two) more"), " then ");
    EXPECT_EQ(required_literal("[])] closes"), " closes");              // ']' first in a class is text
    EXPECT_EQ(required_literal("reads|writes"), "");                    // a top-level '|': always tried
    EXPECT_EQ(required_literal("(?=look)ahead"), "ahead");
    EXPECT_EQ(required_literal(".*"), "");
}

TEST(RequiredLiteral, EveryFeatureStepContainsTheTextOfEachDefinitionItMatches) {
    StepRegistry r = all_steps();
    int matched = 0;
    for (const auto& step : feature_steps()) {
        for (const auto& def : r.definitions()) {
            if (!def.regex || !std::regex_match(step, *def.regex)) continue;
            ++matched;
            EXPECT_NE(step.find(def.required_text), std::string::npos) << def.pattern << " / " << step;
        }
    }
    EXPECT_GT(matched, 50);
    for (const auto& def : r.definitions()) EXPECT_FALSE(def.required_text.empty()) << def.pattern;
}

// The phrases of the STEPS.md glossary with every '<placeholder>' (or capture) written as 'X'.
std::set<std::string> glossary_phrases() {
    std::ifstream in(std::filesystem::path(zbtest::cpp_source_dir()) / ".." / ".." / "features" / "STEPS.md");
    const std::regex row("^\\| `([^`]+)`");
    const std::regex placeholder("'<[^>]*>'");
    std::set<std::string> phrases;
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_search(line, m, row)) phrases.insert(std::regex_replace(m[1].str(), placeholder, "'X'"));
    }
    return phrases;
}

TEST(StepRegistry, EveryDefinitionIsUsedByAFeatureOrPinnedInTheGlossary) {
    StepRegistry r = all_steps();
    auto steps = feature_steps();
    auto glossary = glossary_phrases();
    ASSERT_GT(glossary.size(), 20u);
    const std::regex capture("'\\([^)]*\\)'");
    for (const auto& def : r.definitions()) {
        if (def.pattern == "the '([^']+)' process is ready") continue;  // for orchestrators and humans, not features
        bool used = std::any_of(steps.begin(), steps.end(), [&](const std::string& s) { return std::regex_match(s, *def.regex); });
        std::string phrase = std::regex_replace(def.pattern, capture, "'X'");
        phrase = phrase.substr(std::string("the 'X' process ").size());
        EXPECT_TRUE(used || glossary.count(phrase) != 0) << "no feature step uses " << def.pattern
                                                         << " and STEPS.md does not list '" << phrase << "'";
    }
}

TEST(StepRegistry, DiscoverListsInvalidDefinitionsWithTheirError) {
    StepRegistry r;
    r.given("broken (unclosed", noop());
    r.then("fine", noop());
    StepMatcher matcher(r);
    std::atomic<bool> stop{false};
    StepInvoker invoker(matcher, {}, stop);
    zbserve::rpc::WorkerMethods methods(r, invoker);
    auto steps = methods.discover(nlohmann::json::object())["steps"];
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(steps[0]["type"], "given");
    EXPECT_NE(steps[0]["error"].get<std::string>().find("invalid regular expression"), std::string::npos);
    EXPECT_EQ(steps[1]["type"], "then");
    EXPECT_FALSE(steps[1].contains("error"));
}
