// Step definitions through the worker's methods in one process (same-process mode: one shared
// context), composed as main() composes them.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "logging/log_capture.hpp"
#include "rpc/worker_methods.hpp"
#include "step_definitions/step_definitions.hpp"
#include "step_definitions/support/error_kinds.hpp"
#include "steps/step_arguments.hpp"
#include "steps/step_errors.hpp"
#include "steps/step_invoker.hpp"
#include "steps/step_phrases.hpp"
#include "steps/step_matcher.hpp"
#include "steps_fixture.hpp"
#include "test_support.hpp"

using Json = nlohmann::json;

namespace {

class Steps : public zbtest::StepsFixture {};

}  // namespace

TEST_F(Steps, SimpleWriteReadCycle) {
    ok("the 'reader' process creates buffer 'test-basic' with metadata size '1024' and payload size '10240'");
    ok("the 'writer' process connects to buffer 'test-basic'");
    ok("the 'writer' process should see the reader connected");
    ok("the 'reader' process should see the writer connected");
    ok("the 'writer' process writes metadata with size '100'");
    Json w = step("the 'writer' process writes frame with size '1024'");
    EXPECT_EQ(w["data"]["sequence"], 1);
    EXPECT_EQ(w["data"]["size"], 1024);
    ok("the 'reader' process should have metadata with size '100'");
    Json r = step("the 'reader' process should read frame with sequence '1' and size '1024'");
    EXPECT_TRUE(r["success"].get<bool>());
    EXPECT_EQ(r["data"]["sequence"], 1);
    EXPECT_TRUE(r["logs"].is_array());
    EXPECT_GE(r["durationMs"].get<double>(), 0.0);
}

TEST_F(Steps, BufferNamesArePrefixedWithTheRunId) {
    Json r = step("the 'reader' process creates buffer 'named' with metadata size '0' and payload size '1024'");
    EXPECT_EQ(r["data"]["buffer"], run_id_ + "-named");
}

TEST_F(Steps, BufferFullHandlingWithBackgroundWriter) {
    ok("the 'reader' process creates buffer 'test-full' with metadata size '512' and payload size '10240'");
    ok("the 'writer' process connects to buffer 'test-full'");
    ok("the 'writer' process writes metadata with size '100'");
    ok("the 'writer' process writes frame with size '8192'");
    ok("the 'writer' process starts writing '1' frames with size '5120' in the background");
    ok("the 'writer' process should still be writing after '300' ms");
    ok("the 'reader' process should read frame with sequence '1' and size '8192'");
    ok("the 'writer' process should finish writing within '5000' ms");
    ok("the 'reader' process should read frame with sequence '2' and size '5120'");
}

TEST_F(Steps, ExpectedErrorsMustMatchTheKind) {
    ok("the 'reader' process creates buffer 'md' with metadata size '1024' and payload size '10240'");
    ok("the 'writer' process connects to buffer 'md'");
    ok("the 'writer' process should fail to write metadata with size '1017' with 'MetadataTooLarge'");
    Json r = fails("the 'writer' process should fail to write metadata with size '1017' with 'MetadataAlreadyWritten'",
                   "AssertionFailed");
    EXPECT_NE(r["error"].get<std::string>().find("to fail with 'MetadataAlreadyWritten', but it failed with 'MetadataTooLarge'"), std::string::npos)
        << r["error"];
    r = fails("the 'writer' process should fail to write metadata with size '10' with 'MetadataTooLarge'", "AssertionFailed");
    EXPECT_NE(r["error"].get<std::string>().find("succeeded"), std::string::npos);
    ok("the 'writer' process should fail to write metadata with size '10' with 'MetadataAlreadyWritten'");
    fails("the 'writer' process should fail to write frame with size '0' with 'NoSuchKind'", "AssertionFailed");
    ok("the 'writer' process should fail to write frame with size '0' with 'InvalidFrameSize'");
    ok("the 'writer' process should fail to write frame with size '10225' with 'FrameTooLarge'");
}

TEST_F(Steps, UnexpectedLibraryErrorsReportTheirKind) {
    Json r = fails("the 'writer' process connects to buffer 'absent'", "BufferNotFound");
    EXPECT_NE(r["error"].get<std::string>().find(run_id_ + "-absent"), std::string::npos);
    fails("the 'reader' process creates buffer 'bad/name' with metadata size '0' and payload size '1024'",
          "InvalidBufferName");
}

TEST_F(Steps, WrongSequenceOrSizeIsAnAssertionNamingBoth) {
    ok("the 'reader' process creates buffer 'seq' with metadata size '0' and payload size '10240'");
    ok("the 'writer' process connects to buffer 'seq'");
    ok("the 'writer' process writes frame with size '100'");
    Json r = fails("the 'reader' process should read frame with sequence '2' and size '100'", "AssertionFailed");
    EXPECT_NE(r["error"].get<std::string>().find("expected frame sequence 2, got 1"), std::string::npos) << r["error"];
    ok("the 'writer' process writes frame with size '100'");
    r = fails("the 'reader' process should read frame with sequence '2' and size '99'", "AssertionFailed");
    EXPECT_NE(r["error"].get<std::string>().find("has size 100, expected 99"), std::string::npos) << r["error"];
}

TEST_F(Steps, ReadInOrderAndNoFrame) {
    ok("the 'reader' process creates buffer 'multi' with metadata size '1024' and payload size '102400'");
    ok("the 'writer' process connects to buffer 'multi'");
    Json w = step("the 'writer' process writes '10' frames with size '5120'");
    EXPECT_EQ(w["data"]["firstSequence"], 1);
    EXPECT_EQ(w["data"]["lastSequence"], 10);
    Json r = step("the 'reader' process should read '10' frames with size '5120' in order");
    EXPECT_TRUE(r["success"].get<bool>()) << r.dump();
    EXPECT_EQ(r["data"]["lastSequence"], 10);
    ok("the 'reader' process should receive no frame within '100' ms");
    ok("the 'writer' process writes frame with size '10'");
    fails("the 'reader' process should receive no frame within '100' ms", "AssertionFailed");
}

TEST_F(Steps, SlowReaderWithDelay) {
    ok("the 'reader' process creates buffer 'slow' with metadata size '1024' and payload size '10240'");
    ok("the 'writer' process connects to buffer 'slow'");
    ok("the 'writer' process starts writing '20' frames with size '1024' in the background");
    ok("the 'reader' process should read '20' frames with size '1024' in order with '10' ms delay");
    ok("the 'writer' process should finish writing within '5000' ms");
}

TEST_F(Steps, BackgroundFailureIsReportedWithItsKind) {
    ok("the 'reader' process creates buffer 'bgfail' with metadata size '0' and payload size '1024'");
    ok("the 'writer' process connects to buffer 'bgfail'");
    ok("the 'writer' process sets write timeout to '100' ms");
    ok("the 'writer' process starts writing '5' frames with size '1000' in the background");
    Json r = fails("the 'writer' process should finish writing within '3000' ms", "BufferFull");
    EXPECT_NE(r["error"].get<std::string>().find("after 1 frames"), std::string::npos) << r["error"];
}

TEST_F(Steps, StillWritingFailsWhenTheWriterIsDone) {
    ok("the 'reader' process creates buffer 'done' with metadata size '0' and payload size '10240'");
    ok("the 'writer' process connects to buffer 'done'");
    ok("the 'writer' process starts writing '1' frames with size '10' in the background");
    fails("the 'writer' process should still be writing after '200' ms", "AssertionFailed");
}

TEST_F(Steps, InitializationRules) {
    ok("the 'reader' process creates buffer 'race' with metadata size '1024' and payload size '10240'");
    ok("the 'reader-2' process should fail to create buffer 'race' with 'ReaderAlreadyConnected'");
    ok("the 'writer' process should fail to connect to buffer 'no-reader' with 'BufferNotFound'");
    ok("the 'reader' process should fail to create buffer 'bad/name' with 'InvalidBufferName'");
    ok("the 'writer' process should fail to connect to buffer 'white space' with 'InvalidBufferName'");
    ok("the 'writer' process connects to buffer 'race'");
    ok("the 'writer-2' process should fail to connect to buffer 'race' with 'WriterAlreadyConnected'");
    ok("the 'writer' process writes frame with size '1024'");
    ok("the 'reader' process should read frame with sequence '1' and size '1024'");
}

TEST_F(Steps, ZeroSizedMetadataBlock) {
    ok("the 'reader' process creates buffer 'nometa' with metadata size '0' and payload size '10240'");
    ok("the 'writer' process connects to buffer 'nometa'");
    ok("the 'writer' process should fail to write metadata with size '1' with 'MetadataTooLarge'");
    ok("the 'writer' process writes '3' frames with size '1024'");
    ok("the 'reader' process should have no metadata");
    ok("the 'reader' process should read '3' frames with size '1024' in order");
    fails("the 'reader' process should have metadata with size '1'", "AssertionFailed");
}

TEST_F(Steps, StepsWithoutAReaderOrWriterFailClearly) {
    Json r = fails("the 'writer' process writes frame with size '10'", "AssertionFailed");
    EXPECT_NE(r["error"].get<std::string>().find("no writer"), std::string::npos);
    fails("the 'reader' process should have no metadata", "AssertionFailed");
}

TEST_F(Steps, UnknownStepIsStepNotFound) {
    Json r = fails("the 'writer' process juggles", "StepNotFound");
    EXPECT_NE(r["error"].get<std::string>().find("Did you mean: \"the 'writer' process "), std::string::npos) << r.dump();
    EXPECT_EQ(r["error"].get<std::string>().find("[^']"), std::string::npos) << r.dump();  // Gherkin text, not regexes
    EXPECT_TRUE(r["data"].is_object() && r["data"].empty());
}

namespace {

std::string replace_all(std::string text, const std::string& what, const std::string& with) {
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
        text.replace(at, what.size(), with);
    }
    return text;
}

// testdata/steps/argument-mismatch.json, shared with the C# and Python workers.
Json argument_mismatch_cases() {
    std::ifstream in(std::string(zbtest::cpp_source_dir()) + "/../../testdata/steps/argument-mismatch.json");
    EXPECT_TRUE(in.good());
    return Json::parse(in);
}

}  // namespace

TEST(ArgumentMismatch, TheMessageHasOneShapeForEveryKind) {
    // No C++ definition takes a table or doc string, so the kinds other than "none" are pinned here.
    const Json cases = argument_mismatch_cases();
    ASSERT_EQ(cases["cases"].size(), 6u);
    for (const Json& c : cases["cases"]) {
        const std::string expected = replace_all(replace_all(c["message"].get<std::string>(), "{text}", "s"),
                                                 "{definition}", "'p' (f.cpp:1)");
        EXPECT_EQ(zbserve::steps::messages::argument_mismatch("s", "'p' (f.cpp:1)", c["got"], c["takes"]), expected);
    }
}

TEST(ArgumentMismatch, ANullKeyIsNoArgument) {
    using zbserve::steps::argument_kind;
    EXPECT_STREQ(argument_kind(Json{{"table", nullptr}, {"docString", {{"content", "x"}}}}), "docString");
    EXPECT_STREQ(argument_kind(Json{{"Table", {{"header", Json::array()}}}, {"docString", nullptr}}), "table");
    EXPECT_STREQ(argument_kind(Json{{"table", nullptr}, {"docString", nullptr}}), "none");
    EXPECT_STREQ(argument_kind(Json(nullptr)), "none");
}

// testdata/steps/phrases.json, shared with the C# and Python workers and the orchestrator.
TEST(StepPhrases, APatternIsWrittenBackAsGherkinText) {
    std::ifstream in(std::string(zbtest::cpp_source_dir()) + "/../../testdata/steps/phrases.json");
    ASSERT_TRUE(in.good());
    const Json data = Json::parse(in);
    ASSERT_GE(data["cases"].size(), 5u);
    for (const Json& c : data["cases"]) {
        EXPECT_EQ(zbserve::steps::render_phrase(c["pattern"], c["step"]), c["phrase"].get<std::string>()) << c.dump();
    }
}

TEST_F(Steps, AnArgumentNoDefinitionTakesIsABindingError) {
    const Json cases = argument_mismatch_cases();
    const std::string text = "the 'writer' process should have no metadata";
    const Json wire_argument = {
        {"table", {{"table", {{"header", {"a"}}, {"rows", {{"1"}}}}}, {"docString", nullptr}}},
        {"docString", {{"table", nullptr}, {"docString", {{"content", "x"}, {"mediaType", nullptr}}}}}};
    int checked = 0;
    for (const Json& c : cases["cases"]) {
        if (c["takes"] != "none") continue;  // every C++ definition takes none
        Json r = service_.execute_step(Json{{"process", "writer"}, {"stepType", "then"}, {"step", text},
                                            {"argument", wire_argument[c["got"].get<std::string>()]},
                                            {"timeoutMs", 30000}});
        EXPECT_FALSE(r["success"].get<bool>()) << r.dump(2);
        EXPECT_EQ(r["errorType"], cases["errorType"]);
        const std::string error = r["error"].get<std::string>();
        const std::string prefix = replace_all(c["message"].get<std::string>(), "{text}", text);
        const std::string head = prefix.substr(0, prefix.find("{definition}"));
        const std::string tail = prefix.substr(prefix.find("{definition}") + std::string("{definition}").size());
        EXPECT_EQ(error.rfind(head + "'", 0), 0u) << error;
        EXPECT_TRUE(error.size() > tail.size() && error.compare(error.size() - tail.size(), tail.size(), tail) == 0) << error;
        EXPECT_NE(error.find("should have no metadata"), std::string::npos);
        ++checked;
    }
    EXPECT_EQ(checked, 2);
}

TEST_F(Steps, TimeoutAbandonsTheStepAndTheWorkerKeepsServing) {
    ok("the 'reader' process creates buffer 'hang' with metadata size '0' and payload size '1024'");
    auto start = std::chrono::steady_clock::now();
    Json r = fails("the 'reader' process should receive no frame within '2000' ms", "StepTimeout", 300);
    auto took = std::chrono::steady_clock::now() - start;
    EXPECT_LT(took, std::chrono::milliseconds(2500));
    EXPECT_GE(r["data"]["elapsedMs"].get<double>(), 200.0);
    (void)r;
    Json h = service_.health(Json::object());
    EXPECT_EQ(h["status"], "ok");
}

TEST_F(Steps, CleanupReleasesAndReinitialises) {
    ok("the 'reader' process creates buffer 'c1' with metadata size '0' and payload size '1024'");
    ok("the 'writer' process connects to buffer 'c1'");
    ok("the 'writer' process starts writing '100' frames with size '100' in the background");
    Json c = service_.cleanup(Json::object());
    EXPECT_EQ(c["ok"], true);
    EXPECT_EQ(c["released"].size(), 3u) << c.dump();
    EXPECT_TRUE(zbtest::leftovers(run_id_).empty());
}

TEST_F(Steps, CompatibleParamForms) {
    Json r = service_.execute_step(Json{{"Step", "the 'reader' process creates buffer 'compat' with metadata size '0' and payload size '1024'"},
                                        {"StepType", 0}, {"Process", "reader"}, {"TimeoutMs", 5000}});
    EXPECT_TRUE(r["success"].get<bool>()) << r.dump();
    EXPECT_THROW(service_.execute_step(Json{{"stepType", "given"}}), zbserve::rpc::RpcError);
    EXPECT_THROW(service_.execute_step(Json{{"step", "x"}, {"stepType", 7}}), zbserve::rpc::RpcError);
}

TEST_F(Steps, IsReadyReportsPidAndPlatform) {
    Json r = step("the 'reader' process is ready");
    EXPECT_TRUE(r["success"].get<bool>()) << r.dump();
    EXPECT_EQ(r["data"]["pid"], static_cast<int>(::getpid()));
    EXPECT_EQ(r["data"]["platform"], "cpp");
}

TEST_F(Steps, DiscoverReportsRealStepTypes) {
    Json steps = service_.discover(Json::object())["steps"];
    std::set<std::string> types;
    for (const auto& s : steps) {
        types.insert(s["type"].get<std::string>());
        EXPECT_FALSE(s.contains("error")) << s.dump();
    }
    EXPECT_EQ(types, (std::set<std::string>{"given", "when", "then"}));
}
