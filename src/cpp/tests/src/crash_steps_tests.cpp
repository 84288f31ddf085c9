// simulateCrash (same-process crashes), the steps that detect a crashed peer, and the race phrases.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "steps_fixture.hpp"
#include "zerobuffer/inspect.hpp"
#include "zerobuffer/writer.hpp"

using namespace std::chrono_literals;

namespace {

class CrashSteps : public zbtest::StepsFixture {
protected:
    void crash(const std::string& role) { EXPECT_EQ(service_.simulate_crash(Json{{"role", role}}), Json({{"ok", true}})); }

    void create(const std::string& name) {
        ok("the 'reader' process creates buffer '" + name + "' with metadata size '1024' and payload size '10240'");
        ok("the 'writer' process connects to buffer '" + name + "'");
    }
    // An abandoned reader leaves its buffer behind, as a killed one does.
    void TearDown() override {
        service_.cleanup(Json::object());
        for (const auto& name : abandoned_) zbtest::remove_leftovers(buffer(name));
        StepsFixture::TearDown();
    }
    std::vector<std::string> abandoned_;
};

bool pid_is_dead(std::uint64_t pid) { return pid != 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

}  // namespace

TEST_F(CrashSteps, ACrashedReaderLeavesItsObjectsAnUnheldLockAndADeadPid) {
    create("crash-reader");
    abandoned_.push_back("crash-reader");
    crash("reader");
    auto objects = zerobuffer::buffer_objects(buffer("crash-reader"));
    EXPECT_EQ(objects.lock_file, zerobuffer::LockFileState::Free);
    EXPECT_TRUE(objects.shared_memory);
    EXPECT_TRUE(objects.sem_write);
    EXPECT_TRUE(objects.sem_read);
    EXPECT_TRUE(pid_is_dead(zerobuffer::inspect_buffer(buffer("crash-reader")).oieb.reader_pid));
    ok("the 'writer' process should see a dead reader pid recorded in the OIEB");
    ok("the 'writer' process should see the reader disconnected");
    fails("the 'reader' process should read frame with sequence '1' and size '1024'", "AssertionFailed");  // forgotten
}

TEST_F(CrashSteps, ACrashedWriterKeepsItsFrameAndTheReaderWaitsBeforeCallingItDead) {
    create("crash-writer");
    ok("the 'writer' process writes frame with size '1024'");
    ok("the 'writer' process should see its pid recorded as the writer in the OIEB");
    crash("writer");
    ok("the 'reader' process should read frame with sequence '1' and size '1024'");
    ok("the 'reader' process should see a dead writer pid recorded in the OIEB");
    Json r = ok("the 'reader' process should fail to read a frame with 'WriterDead' after waiting '300' ms");
    EXPECT_GE(r["data"]["elapsedMs"].get<long>(), 300);
    ok("the 'reader' process should see the writer disconnected");
}

TEST_F(CrashSteps, AnUnknownRoleAbandonsNothing) {
    create("crash-unknown");
    crash("nobody");
    ok("the 'writer' process writes frame with size '1024'");
    ok("the 'reader' process should read frame with sequence '1' and size '1024'");
    ok("the 'reader' process should see its pid recorded as the reader in the OIEB");
}

TEST_F(CrashSteps, CrashingTheWriterStopsItsBackgroundWork) {
    create("crash-background");
    ok("the 'writer' process sets write timeout to '300' ms");
    ok("the 'writer' process starts writing '1000000' frames with size '1024' in the background");
    ok("the 'reader' process should read '3' frames with size '1024' in order");
    crash("writer");
    fails("the 'writer' process should finish writing within '100' ms", "AssertionFailed");  // forgotten with the role
    ok("the 'reader' process should see a dead writer pid recorded in the OIEB");
}

TEST_F(CrashSteps, WriterStopsWithReaderDeadAfterTheReaderCrashes) {
    create("crash-stop");
    abandoned_.push_back("crash-stop");
    ok("the 'writer' process sets write timeout to '300' ms");
    ok("the 'writer' process starts writing '1000000' frames with size '1024' in the background");
    ok("the 'reader' process should read '5' frames with size '1024' in order");
    crash("reader");
    Json r = ok("the 'writer' process should stop writing with 'ReaderDead' within '5000' ms");
    EXPECT_GE(r["data"]["written"].get<long>(), 5);
    // Replacement reader: the stale buffer is reclaimed and looks new.
    ok("the 'reader' process creates buffer 'crash-stop' with metadata size '1024' and payload size '20480'");
    ok("the 'reader' process should see a fresh buffer 'crash-stop' with payload size '20480'");
}

TEST_F(CrashSteps, StopWritingFailsWhenTheWorkFinishesOrStopsWithAnotherKind) {
    create("stop-wrong");
    ok("the 'writer' process starts writing '2' frames with size '1024' in the background");
    Json r = fails("the 'writer' process should stop writing with 'ReaderDead' within '5000' ms", "AssertionFailed");
    EXPECT_NE(r["error"].get<std::string>().find("finished"), std::string::npos) << r.dump(2);
    ok("the 'writer' process starts writing '1' frames with size '20000' in the background");
    r = fails("the 'writer' process should stop writing with 'ReaderDead' within '5000' ms", "AssertionFailed");
    EXPECT_NE(r["error"].get<std::string>().find("FrameTooLarge"), std::string::npos) << r.dump(2);
}

TEST_F(CrashSteps, WriteFailsWithReaderDeadOnlyAfterTheWriteTimeout) {
    create("crash-write");
    abandoned_.push_back("crash-write");
    ok("the 'writer' process sets write timeout to '300' ms");
    ok("the 'writer' process writes frame with size '10224'");
    ok("the 'writer' process should see '0' free payload bytes in the OIEB");
    crash("reader");
    Json r = ok("the 'writer' process should fail to write frame with size '1024' with 'ReaderDead' after the write timeout");
    EXPECT_GE(r["data"]["elapsedMs"].get<long>(), 300);
    EXPECT_EQ(r["data"]["writeTimeoutMs"], 300);
}

TEST_F(CrashSteps, DisconnectedIsPolledUntilAKilledPeerIsReaped) {
    // A forked writer, SIGKILLed and reaped only 300 ms later: a zombie still counts as alive, so
    // one check right after the kill would see it connected.
    std::string name = buffer("crash-sigkill");
    ok("the 'reader' process creates buffer 'crash-sigkill' with metadata size '1024' and payload size '10240'");
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        new zerobuffer::Writer(name);
        char c = 'y';
        (void)!::write(ready[1], &c, 1);
        ::pause();
        ::_exit(0);
    }
    char c = 0;
    ASSERT_EQ(::read(ready[0], &c, 1), 1);
    ok("the 'reader' process should see the writer connected");
    ::kill(pid, SIGKILL);
    std::thread reaper([pid] {
        std::this_thread::sleep_for(300ms);
        ::waitpid(pid, nullptr, 0);
    });
    Json r = ok("the 'reader' process should see the writer disconnected");
    reaper.join();
    EXPECT_GE(r["data"]["elapsedMs"].get<long>(), 250);
    for (int fd : ready) ::close(fd);
}

TEST_F(CrashSteps, ConnectedPollingGivesUpAfterTwoSecondsNamingTheState) {
    ok("the 'reader' process creates buffer 'poll-limit' with metadata size '1024' and payload size '10240'");
    Json r = fails("the 'reader' process should see the writer connected", "AssertionFailed");
    EXPECT_GE(r["data"]["elapsedMs"].get<long>(), 2000);
    EXPECT_NE(r["error"].get<std::string>().find("still disconnected"), std::string::npos) << r.dump(2);
}

TEST_F(CrashSteps, TwoRacersInOneWorkerEachWinAndLose) {
    ok("the 'reader' process starts racing to create buffer 'race' '100' times");
    ok("the 'reader-2' process starts racing to create buffer 'race' '100' times");
    Json r = ok("the 'reader' process should finish racing within '20000' ms");
    EXPECT_GT(r["data"]["wins"].get<long>(), 0);
    EXPECT_GT(r["data"]["losses"].get<long>(), 0);
    EXPECT_EQ(r["data"]["wins"].get<long>() + r["data"]["losses"].get<long>(), 200);
    Json again = ok("the 'reader-2' process should finish racing within '20000' ms");
    EXPECT_EQ(again["data"]["wins"], r["data"]["wins"]) << "a race already joined reports its result again";
    EXPECT_EQ(again["data"]["losses"], r["data"]["losses"]);
    ok("the 'reader' process creates buffer 'race' with metadata size '1024' and payload size '10240'");
}

TEST_F(CrashSteps, ARaceWithoutALoserFails) {
    ok("the 'reader' process starts racing to create buffer 'race-alone' '5' times");
    Json r = fails("the 'reader' process should finish racing within '20000' ms", "AssertionFailed");
    EXPECT_EQ(r["data"]["wins"], 5);
    EXPECT_EQ(r["data"]["losses"], 0);
}

TEST_F(CrashSteps, ARaceAgainstAHeldBufferIsAllLossesAndFails) {
    ok("the 'reader' process creates buffer 'race-held' with metadata size '1024' and payload size '10240'");
    ok("the 'reader-2' process starts racing to create buffer 'race-held' '5' times");
    Json r = fails("the 'reader-2' process should finish racing within '20000' ms", "AssertionFailed");
    EXPECT_EQ(r["data"]["losses"], 5);
}
