// The feature 06 / 07 phrases (synchronization, data integrity), mostly their failure paths: each must
// fail, naming what it saw, when what it asserts does not hold.
#include <cstring>
#include <vector>

#include "steps_fixture.hpp"
#include "zerobuffer/inspect.hpp"

namespace {

class SyncIntegritySteps : public zbtest::StepsFixture {
protected:
    void create(const std::string& name, int payload = 10240) {
        ok("the 'reader' process creates buffer '" + name + "' with metadata size '1024' and payload size '" +
           std::to_string(payload) + "'");
        ok("the 'writer' process connects to buffer '" + name + "'");
    }
    void fails_saying(const std::string& step, const std::string& fragment) {
        Json r = fails(step, "AssertionFailed");
        EXPECT_NE(r["error"].get<std::string>().find(fragment), std::string::npos) << r.dump(2);
    }
};

}  // namespace

TEST_F(SyncIntegritySteps, BlockedHoldsWhileFullAndFailsOnceTheWriterMovesOn) {
    create("sync-blocked", 4096);
    ok("the 'writer' process starts writing '6' frames with size '1000' in the background");  // four fit
    Json r = ok("the 'writer' process should be blocked with '4' frames written for '100' ms");
    EXPECT_EQ(r["data"]["written"], 4u);
    fails_saying("the 'writer' process should be blocked with '3' frames written for '50' ms", "has written 4");
    ok("the 'reader' process should read '6' frames with size '1000' in order");
    fails_saying("the 'writer' process should be blocked with '6' frames written for '50' ms", "finished");
    ok("the 'writer' process should finish writing within '1000' ms");
}

TEST_F(SyncIntegritySteps, UnreadFramesMustMatchTheFrameSignals) {
    create("sync-signals");
    ok("the 'writer' process writes '2' frames with size '100'");
    ok("the 'reader' process should see '2' unread frames and as many frame signals pending");
    fails_saying("the 'reader' process should see '1' unread frames and as many frame signals pending", "counts 2 unread");
    zerobuffer::post_semaphore(buffer("sync-signals"), /*written=*/true);  // a signal without a frame
    fails_saying("the 'reader' process should see '2' unread frames and as many frame signals pending", "value is 3");
}

TEST_F(SyncIntegritySteps, CorruptionNeedsAnUnreadFrameAndTheErrorMustNameBoth) {
    create("integrity-corrupt");
    fails_saying("the 'writer' process sets the sequence of the next unread frame to '5'", "all 0 written frames were read");
    ok("the 'writer' process writes '2' frames with size '100'");
    ok("the 'reader' process should read frame with sequence '1' and size '100'");
    Json r = ok("the 'writer' process sets the sequence of the next unread frame to '9'");
    EXPECT_EQ(r["data"]["offset"], 116u);
    EXPECT_EQ(r["data"]["previousSequence"], 2u);
    EXPECT_EQ(zerobuffer::frame_header(buffer("integrity-corrupt"), 116).sequence_number, 9u);
    fails_saying("the 'reader' process should fail to read a frame with 'SequenceError' naming expected '2' and actual '5'",
                 "carries expected 2, got 9");
}

TEST_F(SyncIntegritySteps, SequenceErrorStepFailsOnAGoodFrame) {
    create("integrity-good");
    ok("the 'writer' process writes frame with size '100'");
    fails_saying("the 'reader' process should fail to read a frame with 'SequenceError' naming expected '1' and actual '5'",
                 "it returned frame 1");
}

TEST_F(SyncIntegritySteps, CorruptionFollowsAWrapMarker) {
    create("integrity-wrap", 4096);
    ok("the 'writer' process writes '2' frames with size '1500'");  // 3032 B; a third needs the wrap
    ok("the 'reader' process should read '2' frames with size '1500' in order");
    ok("the 'writer' process writes frame with size '1500'");  // marker at 3032, frame 3 at 0
    Json r = ok("the 'writer' process sets the sequence of the next unread frame to '7'");
    EXPECT_EQ(r["data"]["offset"], 0u);
    ok("the 'reader' process should fail to read a frame with 'SequenceError' naming expected '3' and actual '7'");
}

TEST_F(SyncIntegritySteps, RecordsCatchAFieldLeftFromAnotherRecord) {
    create("integrity-records");
    ok("the 'writer' process starts writing '3' records of '4' fields under CPU load in the background");
    ok("the 'writer' process should finish writing within '5000' ms");
    ok("the 'reader' process should read '2' records of '4' fields in order, each whole");
    // Field 2 of record 3 is rewritten with record 1's value, as a half-written record would leave it.
    const std::size_t third = 2 * (16 + 32);
    EXPECT_EQ(zerobuffer::frame_header(buffer("integrity-records"), third).sequence_number, 3u);
    const std::uint64_t stale = (std::uint64_t{1} << 32) | 2;
    std::vector<std::uint8_t> bytes(8);
    std::memcpy(bytes.data(), &stale, 8);
    zerobuffer::write_region_bytes(buffer("integrity-records"), zerobuffer::BufferRegion::Payload, third + 16 + 16, bytes);
    fails_saying("the 'reader' process should read '1' records of '4' fields in order, each whole",
                 "record 3 is half-written: field 2 of 4");
}
