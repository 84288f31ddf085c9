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

// Continuous free bytes and ring entries (frame headers, wrap markers, implicit wraps).
namespace {

zerobuffer::Oieb ring(std::uint64_t size, std::uint64_t free_bytes, std::uint64_t write_pos) {
    zerobuffer::Oieb oieb{};
    oieb.payload_size = size;
    oieb.payload_free_bytes = free_bytes;
    oieb.payload_write_pos = write_pos;
    return oieb;
}

void read_and_release(Reader& reader) { reader.read_frame(1000ms).release(); }

using Kind = zerobuffer::RingEntry::Kind;

}  // namespace

TEST(Diagnostics, ContinuousFreeBytesFollowTheWriterRule) {
    EXPECT_EQ(zerobuffer::continuous_free_bytes(ring(10240, 10240, 0)), 10240u);    // empty at 0: the whole ring
    EXPECT_EQ(zerobuffer::continuous_free_bytes(ring(10240, 4048, 6192)), 4048u);   // read_pos 0: only the tail
    EXPECT_EQ(zerobuffer::continuous_free_bytes(ring(10240, 9064, 6192)), 5016u);   // the start beats the tail
    EXPECT_EQ(zerobuffer::continuous_free_bytes(ring(10240, 8192, 6192)), 4144u);   // the tail beats the start
    EXPECT_EQ(zerobuffer::continuous_free_bytes(ring(10240, 1176, 5016)), 1176u);   // write < read: up to read_pos
    EXPECT_EQ(zerobuffer::continuous_free_bytes(ring(10240, 0, 4128)), 0u);         // full
    EXPECT_EQ(zerobuffer::continuous_free_bytes(ring(10240, 10240, 6192)), 6192u);  // empty, not at 0
    EXPECT_EQ(zerobuffer::continuous_free_bytes(ring(10240, 500, 10240)), 500u);    // write_pos at payload_size
    EXPECT_EQ(zerobuffer::continuous_free_bytes(ring(10240, 100, 6192)), 100u);     // unreleased frames
}

TEST(Diagnostics, AFrameOfExactlyTheContinuousFreeBytesFitsAndOneByteMoreDoesNot) {
    auto name = zbtest::buffer_name("continuous");
    Reader reader(name, BufferConfig(1024, 10240));
    Writer writer(name);
    writer.set_write_timeout(50ms);
    for (int i = 0; i < 3; ++i) write_one(writer, 2048);
    for (int i = 0; i < 2; ++i) read_and_release(reader);
    const zerobuffer::Oieb oieb = zerobuffer::inspect_buffer(name).oieb;
    EXPECT_EQ(oieb.payload_write_pos, 6192u);
    EXPECT_EQ(oieb.payload_read_pos, 4128u);
    EXPECT_EQ(zerobuffer::continuous_free_bytes(oieb), 4128u);
    EXPECT_THROW(write_one(writer, 4128 - 16 + 1), zerobuffer::BufferFullException);
    write_one(writer, 4128 - 16);
    EXPECT_EQ(zerobuffer::continuous_free_bytes(zerobuffer::inspect_buffer(name).oieb), 0u);
}

TEST(Diagnostics, RingEntriesShowFramesWrapMarkersAndImplicitWraps) {
    auto name = zbtest::buffer_name("ring-entries");
    Reader reader(name, BufferConfig(1024, 10240));
    Writer writer(name);
    write_one(writer, 10124);  // leaves a 100-byte tail
    read_and_release(reader);
    write_one(writer, 200);  // wraps with a marker
    EXPECT_EQ(zerobuffer::ring_entry_at(name, 10140), (zerobuffer::RingEntry{10140, Kind::WrapMarker, 0, 0, 100}));
    EXPECT_EQ(zerobuffer::ring_entry_at(name, 0), (zerobuffer::RingEntry{0, Kind::Frame, 200, 2, 0}));
    EXPECT_EQ(zerobuffer::ring_entry_at(name, 10232), (zerobuffer::RingEntry{10232, Kind::ImplicitWrap, 0, 0, 8}));
    EXPECT_EQ(zerobuffer::ring_entry_at(name, 10239), (zerobuffer::RingEntry{10239, Kind::ImplicitWrap, 0, 0, 1}));
    EXPECT_EQ(zerobuffer::ring_entry_at(name, 100).kind, Kind::Frame);  // payload bytes (7s) read as stored
}

TEST(Diagnostics, AHeaderAtAnUnalignedOffsetIsReadAsStored) {
    auto name = zbtest::buffer_name("ring-unaligned");
    Reader reader(name, BufferConfig(1024, 10240));
    Writer writer(name);
    write_one(writer, 31);
    write_one(writer, 1);
    EXPECT_EQ(zerobuffer::ring_entry_at(name, 47), (zerobuffer::RingEntry{47, Kind::Frame, 1, 2, 0}));
}

TEST(Diagnostics, AnOffsetOutsideTheRingOrAMissingBufferIsRefused) {
    auto name = zbtest::buffer_name("ring-bounds");
    Reader reader(name, BufferConfig(1024, 10240));
    EXPECT_THROW(zerobuffer::ring_entry_at(name, 10240), std::out_of_range);
    EXPECT_THROW(zerobuffer::ring_entry_at(zbtest::buffer_name("no-such"), 0), zerobuffer::BufferNotFoundException);
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

TEST(Diagnostics, RewrittenPayloadSizeMakesTheReaderFailNamingIt) {
    for (std::uint64_t size : {std::uint64_t{0}, std::uint64_t{4096 - 16 + 1}, ~std::uint64_t{0}}) {
        auto name = zbtest::buffer_name("frame-size");
        Reader reader(name, BufferConfig(256, 4096));
        Writer writer(name);
        write_one(writer, 100);
        zerobuffer::write_frame_payload_size(name, 0, size);
        EXPECT_EQ(zerobuffer::frame_header(name, 0).payload_size, size);
        EXPECT_EQ(zerobuffer::frame_header(name, 0).sequence_number, 1u);  // the sequence is left alone
        try {
            reader.read_frame(1000ms);
            ADD_FAILURE() << "expected InvalidFrameSizeException for payload size " << size;
        } catch (const zerobuffer::InvalidFrameSizeException& e) {
            EXPECT_NE(std::string(e.what()).find(std::to_string(size)), std::string::npos) << e.what();
        }
        EXPECT_EQ(zerobuffer::inspect_buffer(name).oieb.payload_read_pos, 0u);  // the reader did not advance
    }
}

TEST(Diagnostics, FrameHeaderOutsideTheRingIsRefused) {
    auto name = zbtest::buffer_name("frame-outside");
    Reader reader(name, BufferConfig(256, 4096));
    EXPECT_THROW(zerobuffer::frame_header(name, 4096 - 15), std::out_of_range);
    EXPECT_THROW(zerobuffer::write_frame_sequence(name, 4096 - 15, 1), std::out_of_range);
    EXPECT_THROW(zerobuffer::write_frame_payload_size(name, 4096 - 15, 1), std::out_of_range);
    EXPECT_THROW(zerobuffer::frame_header(name, static_cast<std::size_t>(-1)), std::out_of_range);
}
