// The background-read phrases in process (same-process mode): a read blocked while the writer
// crashes ends with WriterDead only at its timeout, and every other ending fails the join.
#include <thread>

#include "steps_fixture.hpp"

using namespace std::chrono_literals;

namespace {

const std::string JOIN = "the 'reader' process should stop reading with 'WriterDead' after at least '300' ms and within '5000' ms";

class BackgroundReadSteps : public zbtest::StepsFixture {
protected:
    void create(const std::string& name) {
        ok("the 'reader' process creates buffer '" + name + "' with metadata size '1024' and payload size '10240'");
        ok("the 'writer' process connects to buffer '" + name + "'");
    }
    void crash(const std::string& role) { EXPECT_EQ(service_.simulate_crash(Json{{"role", role}}), Json({{"ok", true}})); }
    void expect_error(const Json& r, const std::string& fragment) {
        EXPECT_NE(r["error"].get<std::string>().find(fragment), std::string::npos) << r.dump(2);
    }
};

}  // namespace

TEST_F(BackgroundReadSteps, AReadBlockedWhileTheWriterCrashesStopsWithWriterDeadAtItsTimeout) {
    create("bg-read-crash");
    Json started = ok("the 'reader' process starts reading a frame in the background with timeout '300' ms");
    EXPECT_EQ(started["data"]["timeoutMs"], 300);
    std::this_thread::sleep_for(100ms);
    crash("writer");
    Json r = ok(JOIN);
    EXPECT_GE(r["data"]["elapsedMs"].get<double>(), 300.0);
    EXPECT_LE(r["data"]["elapsedMs"].get<double>(), 3300.0);
    expect_error(fails(JOIN, "AssertionFailed"), "no background read");  // a joined read is forgotten
}

TEST_F(BackgroundReadSteps, TheJoinFailsWhenTheReadGetsAFrameOrTimesOutWithALiveWriter) {
    create("bg-read-frame");
    ok("the 'reader' process starts reading a frame in the background with timeout '2000' ms");
    ok("the 'writer' process writes frame with size '64'");
    expect_error(fails(JOIN, "AssertionFailed"), "read frame 1 (64 B)");
    ok("the 'reader' process starts reading a frame in the background with timeout '300' ms");
    expect_error(fails(JOIN, "AssertionFailed"), "timed out with no frame and no error");
}

TEST_F(BackgroundReadSteps, TheJoinFailsWhenWriterDeadComesBeforeTheLowerBound) {
    create("bg-read-early");
    crash("writer");
    ok("the 'reader' process starts reading a frame in the background with timeout '100' ms");
    expect_error(fails("the 'reader' process should stop reading with 'WriterDead' after at least '2000' ms and within '5000' ms",
                       "AssertionFailed"),
                 "before 2000 ms: it did not wait");
}

TEST_F(BackgroundReadSteps, AReadStillRunningFailsTheJoinAndKeepsTheReaderBusyUntilCleanup) {
    create("bg-read-busy");
    ok("the 'reader' process starts reading a frame in the background with timeout '1500' ms");
    expect_error(fails("the 'reader' process should stop reading with 'WriterDead' after at least '0' ms and within '100' ms",
                       "AssertionFailed"),
                 "still reading");
    expect_error(fails("the 'reader' process starts reading a frame in the background with timeout '100' ms", "AssertionFailed"),
                 "busy with background");
    expect_error(fails("the 'reader' process closes its reader", "AssertionFailed"), "busy with background");
    Json released = service_.cleanup(Json::object());
    bool joined = false;
    for (const auto& item : released["released"]) joined |= item.get<std::string>().rfind("background:read of", 0) == 0;
    EXPECT_TRUE(joined) << released.dump(2);
}

TEST_F(BackgroundReadSteps, ACrashedReaderWaitsForItsBackgroundReadBeforeAbandoningTheReader) {
    create("bg-read-reader-crash");
    ok("the 'reader' process starts reading a frame in the background with timeout '300' ms");
    crash("reader");
    expect_error(fails(JOIN, "AssertionFailed"), "no background read");
    zbtest::remove_leftovers(buffer("bg-read-reader-crash"));
}
