// The benchmark phrases (features 09 and 15) and their figures: nearest-rank percentiles, rates, the
// degradation detector, and the steps' failure paths with both roles in this process.
#include <stdexcept>
#include <vector>

#include "step_definitions/support/bench_stats.hpp"
#include "step_definitions/support/degradation_detector.hpp"
#include "steps_fixture.hpp"

namespace bench = zbserve::step_definitions::bench;

namespace {

class BenchmarkSteps : public zbtest::StepsFixture {
protected:
    void fails_saying(const std::string& step, const std::string& fragment) {
        Json r = fails(step, "AssertionFailed");
        EXPECT_NE(r["error"].get<std::string>().find(fragment), std::string::npos) << r.dump(2);
    }
};

}  // namespace

TEST(BenchStats, PercentilesAreNearestRank) {
    std::vector<double> sorted;
    for (int i = 1; i <= 100; ++i) sorted.push_back(i);
    EXPECT_EQ(bench::percentile(sorted, 50), 50);
    EXPECT_EQ(bench::percentile(sorted, 90), 90);
    EXPECT_EQ(bench::percentile(sorted, 99.9), 100);
    EXPECT_EQ(bench::percentile(sorted, 0.5), 1);
    EXPECT_THROW(bench::percentile({}, 50), std::invalid_argument);
    EXPECT_THROW(bench::percentile(sorted, 0), std::invalid_argument);
    EXPECT_THROW(bench::percentile(sorted, 100.1), std::invalid_argument);
}

TEST(BenchStats, LatencyIsInMicrosecondsWithThePrefixOnTimeNamesOnly) {
    auto plain = bench::latency({3000, 1000, 2000, 4000});
    EXPECT_EQ(plain["iterations"], 4);
    EXPECT_EQ(plain["min_us"], 1);
    EXPECT_EQ(plain["max_us"], 4);
    EXPECT_EQ(plain["mean_us"], 2.5);
    EXPECT_EQ(plain["p50_us"], 2);
    EXPECT_EQ(plain["p999_us"], 4);
    auto prefixed = bench::latency({1500}, "roundtrip_");
    EXPECT_EQ(prefixed.count("iterations"), 0u);
    EXPECT_EQ(prefixed.size(), 7u);
    EXPECT_EQ(prefixed["roundtrip_p50_us"], 1.5);
}

TEST(BenchStats, RatesArePerSecondInDecimalGigabytes) {
    auto r = bench::rate(1000, 1'000'000, 2.0);
    EXPECT_EQ(r["frames_per_s"], 500);
    EXPECT_EQ(r["gb_per_s"], 0.5);
    EXPECT_THROW(bench::rate(1, 1, 0), std::invalid_argument);
}

TEST(BenchStats, DegradationNeedsAWholeWindowAboveAndRecoveryAWholeWindowAtOrBelow) {
    bench::DegradationDetector d(100);
    d.sample(0, 0.9);
    d.sample(50, 0.5);  // a dip restarts the window
    d.sample(60, 0.85);
    d.sample(150, 0.95);
    EXPECT_FALSE(d.degraded_at());
    d.sample(160, 1.0);
    EXPECT_EQ(d.degraded_at(), 160);
    d.sample(200, 0.8);  // at 80 % counts as recovering
    d.sample(250, 0.81);
    d.sample(260, 0.1);
    d.sample(359, 0.1);
    EXPECT_FALSE(d.recovered_at());
    d.sample(360, 0.2);
    EXPECT_EQ(d.recovered_at(), 360);
    EXPECT_EQ(d.max_utilization(), 1.0);
    EXPECT_EQ(bench::DegradationDetector::utilization(256, 1024), 0.75);
}

TEST_F(BenchmarkSteps, ATimedStreamIsMeasuredByBothRolesWithAMemcpyBaseline) {
    ok("the 'reader' process creates buffer 'bench' with metadata size '1024' and payload size '1048576'");
    ok("the 'writer' process connects to buffer 'bench'");
    ok("the 'writer' process starts writing frames of size '1024' for '1' seconds in the background");
    Json reader = ok("the 'reader' process should read the timed frames of size '1024' measuring throughput");
    Json writer = ok("the 'writer' process should finish the benchmark writing within '10000' ms");
    EXPECT_EQ(reader["data"]["measurement"], "throughput");
    EXPECT_EQ(reader["data"]["baselineName"], "memcpy");
    EXPECT_GT(reader["data"]["metrics"]["frames_per_s"].get<double>(), 0);
    EXPECT_GT(reader["data"]["baseline"]["gb_per_s"].get<double>(), 0);
    EXPECT_EQ(writer["data"]["side"], "writer");
    EXPECT_GT(writer["data"]["metrics"]["cpu_pct"].get<double>(), 0);
    ok("the 'reader' process should have measured 'frames_per_s' above '0'");
    fails_saying("the 'reader' process should have measured 'frames_per_s' below '1'", "'frames_per_s' below 1");
}

TEST_F(BenchmarkSteps, BoundsNameWhatIsMissing) {
    fails_saying("the 'reader' process should have measured 'p50_us' below '1000'", "has measured nothing");
    ok("the 'reader' process should measure the cost of a memory barrier over '1000' operations");
    fails_saying("the 'reader' process should have measured 'p50_us' below '1000'", "ns_per_barrier");
    fails_saying("the 'reader' process should have measured 'ns_per_barrier' below '0'", "measured");
}

TEST_F(BenchmarkSteps, LatencyProbesGivePercentilesAndAPingPongBaseline) {
    ok("the 'reader' process creates buffer 'latency' with metadata size '1024' and payload size '1048576'");
    ok("the 'writer' process connects to buffer 'latency'");
    ok("the 'writer' process starts answering '200' latency probes with frames of size '1024' in the background");
    Json r = ok("the 'reader' process should measure the latency of '200' frames of size '1024'");
    ok("the 'writer' process should finish the benchmark writing within '10000' ms");
    EXPECT_EQ(r["data"]["metrics"]["iterations"], 200);
    EXPECT_EQ(r["data"]["baseline"]["iterations"], 200);
    EXPECT_LE(r["data"]["metrics"]["p50_us"].get<double>(), r["data"]["metrics"]["max_us"].get<double>());
}

TEST_F(BenchmarkSteps, AnIdleReaderMustGetNoFrame) {
    ok("the 'reader' process creates buffer 'idle' with metadata size '1024' and payload size '10240'");
    ok("the 'writer' process connects to buffer 'idle'");
    ok("the 'writer' process writes frame with size '64'");
    fails_saying("the 'reader' process should use less than '100' percent CPU waiting '100' ms for a frame", "frame 1 arrived");
}

TEST_F(BenchmarkSteps, DegradationIsSeenAndRecoveryFollows) {
    ok("the 'reader' process creates buffer 'degrade' with metadata size '1024' and payload size '65536'");
    ok("the 'writer' process connects to buffer 'degrade'");
    ok("the 'writer' process starts writing frames of size '1024' at '2000' frames per second for '1' seconds in the background");
    Json r = ok("the 'reader' process should see the buffer degrade and recover reading frames of size '1024' with '2' ms delay over a '50' ms window");
    ok("the 'writer' process should finish the benchmark writing within '10000' ms");
    EXPECT_GT(r["data"]["metrics"]["max_utilization_pct"].get<double>(), 80);
    EXPECT_GE(r["data"]["metrics"]["time_to_recover_ms"].get<double>(), 50);
}
