// The diagnostics API (inspect.hpp) the workers use for simulated crashes and OIEB phrases:
// semaphore values, which OS objects exist, and abandoning a reader or writer as a killed process.
#include <gtest/gtest.h>

#include <unistd.h>

#include <stdexcept>

#include "test_support.hpp"
#include "zerobuffer/errors.hpp"
#include "zerobuffer/inspect.hpp"
#include "zerobuffer/reader.hpp"
#include "zerobuffer/writer.hpp"

using namespace std::chrono_literals;
using zerobuffer::BufferConfig;
using zerobuffer::LockFileState;
using zerobuffer::Reader;
using zerobuffer::Writer;

namespace {

const std::uint64_t OWN_PID = static_cast<std::uint64_t>(::getpid());

void write_one(Writer& writer, std::size_t size) {
    std::vector<std::uint8_t> bytes(size, 7);
    writer.write_frame(bytes.data(), bytes.size());
}

}  // namespace

TEST(Diagnostics, SemaphoreValueCountsPendingSignals) {
    auto name = zbtest::buffer_name("sem-value");
    Reader reader(name, BufferConfig(1024, 10240));
    EXPECT_EQ(zerobuffer::semaphore_value(name, /*written=*/true), 0);
    EXPECT_EQ(zerobuffer::semaphore_value(name, /*written=*/false), 0);
    zerobuffer::post_semaphore(name, /*written=*/true, 3);
    EXPECT_EQ(zerobuffer::semaphore_value(name, true), 3);
    EXPECT_EQ(zerobuffer::semaphore_value(name, false), 0);
}

TEST(Diagnostics, SemaphoreValueSeesTheReadersSpaceSignal) {
    auto name = zbtest::buffer_name("sem-space");
    Reader reader(name, BufferConfig(1024, 10240));
    Writer writer(name);
    write_one(writer, 1024);
    EXPECT_EQ(zerobuffer::semaphore_value(name, true), 1);
    reader.read_frame(1000ms).release();
    EXPECT_EQ(zerobuffer::semaphore_value(name, true), 0);
    EXPECT_EQ(zerobuffer::semaphore_value(name, false), 1);
}

TEST(Diagnostics, SemaphoreValueOfAMissingBufferIsBufferNotFound) {
    EXPECT_THROW(zerobuffer::semaphore_value(zbtest::buffer_name("no-such"), true), zerobuffer::BufferNotFoundException);
    EXPECT_THROW(zerobuffer::semaphore_value("bad/name", true), zerobuffer::InvalidBufferNameException);
}

TEST(Diagnostics, BufferObjectsOfALiveAndAClosedBuffer) {
    auto name = zbtest::buffer_name("objects");
    {
        Reader reader(name, BufferConfig(1024, 10240));
        auto objects = zerobuffer::buffer_objects(name);
        EXPECT_EQ(objects.lock_file, LockFileState::Held);
        EXPECT_TRUE(objects.shared_memory);
        EXPECT_TRUE(objects.sem_write);
        EXPECT_TRUE(objects.sem_read);
    }
    auto objects = zerobuffer::buffer_objects(name);
    EXPECT_EQ(objects.lock_file, LockFileState::Missing);
    EXPECT_FALSE(objects.shared_memory);
    EXPECT_FALSE(objects.sem_write);
    EXPECT_FALSE(objects.sem_read);
    EXPECT_TRUE(zbtest::leftovers(name).empty()) << "the probe must not create the lock file";
}

TEST(Diagnostics, AbandonedReaderLeavesEverythingButItsLock) {
    auto name = zbtest::buffer_name("abandon-reader");
    {
        Reader reader(name, BufferConfig(1024, 10240));
        zerobuffer::post_semaphore(name, true, 2);
        zerobuffer::abandon(reader);
        auto objects = zerobuffer::buffer_objects(name);
        EXPECT_EQ(objects.lock_file, LockFileState::Free);
        EXPECT_TRUE(objects.shared_memory);
        EXPECT_TRUE(objects.sem_write);
        EXPECT_TRUE(objects.sem_read);
    }  // destroying the abandoned reader must not close the buffer either
    auto objects = zerobuffer::buffer_objects(name);
    EXPECT_EQ(objects.lock_file, LockFileState::Free);
    EXPECT_TRUE(objects.shared_memory && objects.sem_write && objects.sem_read);
    EXPECT_EQ(zerobuffer::inspect_buffer(name).oieb.reader_pid, OWN_PID) << "no OIEB field is reset";
    EXPECT_EQ(zerobuffer::semaphore_value(name, true), 2);
    zbtest::remove_leftovers(name);
}

TEST(Diagnostics, AbandonedWriterKeepsItsPidAndTheReaderSeesItsDeathOnlyThroughThePid) {
    auto name = zbtest::buffer_name("abandon-writer");
    Reader reader(name, BufferConfig(1024, 10240));
    {
        Writer writer(name);
        write_one(writer, 1024);
        zerobuffer::abandon(writer);
    }
    EXPECT_EQ(zerobuffer::inspect_buffer(name).oieb.writer_pid, OWN_PID) << "no OIEB field is reset";
    EXPECT_TRUE(reader.is_writer_connected());
    EXPECT_EQ(reader.read_frame(1000ms).sequence(), 1u);
}

TEST(Diagnostics, FrameHeaderReadsWhatTheWriterWrote) {
    auto name = zbtest::buffer_name("frame-header");
    Reader reader(name, BufferConfig(256, 4096));
    Writer writer(name);
    write_one(writer, 100);
    write_one(writer, 30);
    zerobuffer::FrameHeader first = zerobuffer::frame_header(name, 0);
    zerobuffer::FrameHeader second = zerobuffer::frame_header(name, 116);
    EXPECT_EQ(first.payload_size, 100u);
    EXPECT_EQ(first.sequence_number, 1u);
    EXPECT_EQ(second.payload_size, 30u);
    EXPECT_EQ(second.sequence_number, 2u);
    EXPECT_EQ(zerobuffer::frame_header(name, 4096 - 16).payload_size, 0u);
}

TEST(Diagnostics, RewrittenSequenceMakesTheReaderFailNamingBoth) {
    auto name = zbtest::buffer_name("frame-sequence");
    Reader reader(name, BufferConfig(256, 4096));
    Writer writer(name);
    write_one(writer, 100);
    zerobuffer::write_frame_sequence(name, 0, 5);
    EXPECT_EQ(zerobuffer::frame_header(name, 0).payload_size, 100u);  // the size is left alone
    EXPECT_EQ(zerobuffer::frame_header(name, 0).sequence_number, 5u);
    try {
        reader.read_frame(1000ms);
        FAIL() << "expected SequenceErrorException";
    } catch (const zerobuffer::SequenceErrorException& e) {
        EXPECT_EQ(e.expected(), 1u);
        EXPECT_EQ(e.got(), 5u);
    }
}

TEST(Diagnostics, FrameHeaderOutsideTheRingIsRefused) {
    auto name = zbtest::buffer_name("frame-outside");
    Reader reader(name, BufferConfig(256, 4096));
    EXPECT_THROW(zerobuffer::frame_header(name, 4096 - 15), std::out_of_range);
    EXPECT_THROW(zerobuffer::write_frame_sequence(name, 4096 - 15, 1), std::out_of_range);
    EXPECT_THROW(zerobuffer::frame_header(name, static_cast<std::size_t>(-1)), std::out_of_range);
}
