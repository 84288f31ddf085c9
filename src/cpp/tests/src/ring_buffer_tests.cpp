// Frame and ring algorithms of PROTOCOL.md section 4, checked against the bytes in shared memory.
#include <cstring>
#include <thread>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "zerobuffer/detail/named_semaphore.hpp"
#include "zerobuffer/detail/shared_memory.hpp"
#include "zerobuffer/inspect.hpp"
#include "zerobuffer/zerobuffer.hpp"

using namespace std::chrono_literals;
using zerobuffer::BufferConfig;
using zerobuffer::Frame;
using zerobuffer::Reader;
using zerobuffer::Writer;

namespace {

void write_pattern(Writer& writer, std::size_t size) {
    std::uint64_t seq = 0;
    auto* p = static_cast<std::uint8_t*>(writer.get_frame_buffer(size, seq));
    zbtest::fill_pattern(p, size, seq);
    writer.commit_frame();
}

void expect_frame(Reader& reader, std::uint64_t sequence, std::size_t size) {
    Frame f = reader.read_frame(1000ms);
    ASSERT_TRUE(f.valid()) << "no frame, expected sequence " << sequence;
    EXPECT_EQ(f.sequence(), sequence);
    ASSERT_EQ(f.size(), size);
    EXPECT_EQ(zbtest::find_pattern_mismatch(f.bytes(), f.size(), f.sequence()), -1);
}

zerobuffer::Oieb oieb_of(const std::string& name) { return zerobuffer::inspect_buffer(name).oieb; }

// The payload ring of a live buffer, mapped a second time for inspection and corruption.
struct RawView {
    explicit RawView(const std::string& name) {
        EXPECT_TRUE(zerobuffer::detail::SharedMemory::open("/" + name, shm));
    }
    zerobuffer::Oieb& oieb() { return *reinterpret_cast<zerobuffer::Oieb*>(shm.data()); }
    std::uint8_t* payload() { return shm.data() + 128 + oieb().metadata_size; }
    zerobuffer::FrameHeader header_at(std::uint64_t pos) {
        zerobuffer::FrameHeader h{};
        std::memcpy(&h, payload() + pos, sizeof h);
        return h;
    }
    zerobuffer::detail::SharedMemory shm;
};

}  // namespace

TEST(RingBuffer, SingleFrameRoundTrip) {
    auto name = zbtest::buffer_name("roundtrip");
    Reader reader(name, BufferConfig(1024, 10240));
    Writer writer(name);
    write_pattern(writer, 1024);
    expect_frame(reader, 1, 1024);
    auto o = oieb_of(name);
    EXPECT_EQ(o.payload_free_bytes, 10240u);
    EXPECT_EQ(o.payload_write_pos, 1040u);
    EXPECT_EQ(o.payload_read_pos, 1040u);
    EXPECT_EQ(o.payload_written_count, 1u);
    EXPECT_EQ(o.payload_read_count, 1u);
}

TEST(RingBuffer, LayoutAndOiebFields) {
    auto name = zbtest::buffer_name("layout");
    Reader reader(name, BufferConfig(100, 1000));
    auto o = oieb_of(name);
    EXPECT_EQ(o.oieb_size, 128u);
    EXPECT_EQ(o.version.major, 1);
    EXPECT_EQ(o.version.minor, 0);
    EXPECT_EQ(o.version.patch, 0);
    EXPECT_EQ(o.metadata_size, 128u);
    EXPECT_EQ(o.metadata_free_bytes, 128u);
    EXPECT_EQ(o.payload_size, 1024u);
    EXPECT_EQ(o.payload_free_bytes, 1024u);
    EXPECT_EQ(o.reader_pid, static_cast<std::uint64_t>(::getpid()));
    EXPECT_EQ(o.writer_pid, 0u);
    RawView raw(name);
    EXPECT_EQ(raw.shm.size(), 128u + 128u + 1024u);
}

TEST(RingBuffer, WrapMarkerIsWrittenWhenTailHoldsAHeader) {
    auto name = zbtest::buffer_name("marker");
    Reader reader(name, BufferConfig(0, 10240));
    Writer writer(name);
    for (std::uint64_t s = 1; s <= 9; ++s) {
        write_pattern(writer, 1024);
        expect_frame(reader, s, 1024);
    }
    EXPECT_EQ(oieb_of(name).payload_write_pos, 9360u);  // 880 bytes left: room for a marker
    write_pattern(writer, 1024);
    RawView raw(name);
    auto marker = raw.header_at(9360);
    EXPECT_EQ(marker.payload_size, 0u);
    EXPECT_EQ(marker.sequence_number, 0u);
    auto o = oieb_of(name);
    EXPECT_EQ(o.payload_write_pos, 1040u);
    EXPECT_EQ(o.payload_written_count, 11u);  // 10 frames + the marker
    EXPECT_EQ(o.payload_free_bytes, 10240u - 880u - 1040u);
    expect_frame(reader, 10, 1024);
    o = oieb_of(name);
    EXPECT_EQ(o.payload_read_pos, 1040u);
    EXPECT_EQ(o.payload_read_count, 11u);
    EXPECT_EQ(o.payload_free_bytes, 10240u);
}

class ImplicitWrap : public ::testing::TestWithParam<int> {};

TEST_P(ImplicitWrap, TailShorterThanAHeaderIsSkippedWithoutMarker) {
    const std::uint64_t tail = static_cast<std::uint64_t>(GetParam());
    auto name = zbtest::buffer_name("implicit");
    Reader reader(name, BufferConfig(0, 1024));
    Writer writer(name);
    const std::size_t first = static_cast<std::size_t>(1024 - tail - 16);
    write_pattern(writer, first);
    expect_frame(reader, 1, first);
    EXPECT_EQ(oieb_of(name).payload_write_pos, 1024 - tail);

    RawView raw(name);
    std::memset(raw.payload() + (1024 - tail), 0xEE, tail);  // whatever the tail holds must not matter
    write_pattern(writer, 100);
    auto o = oieb_of(name);
    EXPECT_EQ(o.payload_written_count, 2u) << "no marker fits in " << tail << " bytes";
    EXPECT_EQ(o.payload_write_pos, 116u);
    EXPECT_EQ(o.payload_free_bytes, 1024u - tail - 116u);
    expect_frame(reader, 2, 100);
    o = oieb_of(name);
    EXPECT_EQ(o.payload_read_pos, 116u);
    EXPECT_EQ(o.payload_read_count, 2u);
    EXPECT_EQ(o.payload_free_bytes, 1024u);
}

INSTANTIATE_TEST_SUITE_P(Tails1To15, ImplicitWrap, ::testing::Range(1, 16));

TEST(RingBuffer, ExactFitKeepsWritePosBelowPayloadSize) {
    auto name = zbtest::buffer_name("exact");
    Reader reader(name, BufferConfig(0, 1024));
    Writer writer(name);
    for (std::uint64_t s = 1; s <= 3; ++s) {
        write_pattern(writer, 1024 - 16);
        EXPECT_EQ(oieb_of(name).payload_write_pos, 0u);
        expect_frame(reader, s, 1024 - 16);
        EXPECT_EQ(oieb_of(name).payload_read_pos, 0u);
    }
}

TEST(RingBuffer, ZeroAndOversizedFramesAreRejectedBeforeWaiting) {
    auto name = zbtest::buffer_name("sizes");
    Reader reader(name, BufferConfig(0, 1024));
    Writer writer(name);  // default write timeout: 5 s
    std::vector<std::uint8_t> data(2048);
    write_pattern(writer, 1024 - 16);  // the ring is now full: any wait would last 5 s
    auto start = std::chrono::steady_clock::now();
    EXPECT_THROW(writer.write_frame(data.data(), 0), zerobuffer::InvalidFrameSizeException);
    EXPECT_THROW(writer.write_frame(data.data(), 1024 - 15), zerobuffer::FrameTooLargeException);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    EXPECT_EQ(oieb_of(name).payload_written_count, 1u);
    expect_frame(reader, 1, 1024 - 16);
}

TEST(RingBuffer, RequiredSpaceIncludesWastedTail) {
    // The wrap-around fix of upstream 961910f: frame B occupies 1000..2000 and 1048 bytes are free,
    // enough for C's 1040 bytes, but only 48 of them lie before the end. Writing C at 0..1040 would
    // overwrite unread B, so the writer must wait for 48 + 1040.
    auto name = zbtest::buffer_name("required");
    Reader reader(name, BufferConfig(0, 2048));
    Writer writer(name);
    writer.set_write_timeout(100ms);
    write_pattern(writer, 984);
    expect_frame(reader, 1, 984);
    write_pattern(writer, 984);
    EXPECT_EQ(oieb_of(name).payload_free_bytes, 1048u);
    EXPECT_THROW(write_pattern(writer, 1024), zerobuffer::BufferFullException);
    RawView raw(name);
    EXPECT_EQ(raw.header_at(1000).sequence_number, 2u) << "frame B must be intact";
    expect_frame(reader, 2, 984);
    write_pattern(writer, 1024);
    EXPECT_EQ(oieb_of(name).payload_free_bytes, 2048u - 48u - 1040u);
    expect_frame(reader, 3, 1024);
}

TEST(RingBuffer, BufferFullAfterWriteTimeout) {
    auto name = zbtest::buffer_name("full");
    Reader reader(name, BufferConfig(0, 2048));
    Writer writer(name);
    writer.set_write_timeout(150ms);
    write_pattern(writer, 1500);
    auto start = std::chrono::steady_clock::now();
    EXPECT_THROW(write_pattern(writer, 1000), zerobuffer::BufferFullException);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 140ms);
    expect_frame(reader, 1, 1500);
}

TEST(RingBuffer, ZeroCopyWriteAssignsSequences) {
    auto name = zbtest::buffer_name("zerocopy");
    Reader reader(name, BufferConfig(0, 4096));
    Writer writer(name);
    for (std::uint64_t expected = 1; expected <= 5; ++expected) {
        std::uint64_t seq = 0;
        auto* p = static_cast<std::uint8_t*>(writer.get_frame_buffer(64, seq));
        EXPECT_EQ(seq, expected);
        zbtest::fill_pattern(p, 64, seq);
        writer.commit_frame();
    }
    for (std::uint64_t s = 1; s <= 5; ++s) expect_frame(reader, s, 64);
    EXPECT_THROW(writer.commit_frame(), zerobuffer::InvalidFrameSizeException);
}

TEST(RingBuffer, FrameReleasedOnDestructionAndMove) {
    auto name = zbtest::buffer_name("release");
    Reader reader(name, BufferConfig(0, 1024));
    Writer writer(name);
    write_pattern(writer, 100);
    write_pattern(writer, 100);
    {
        Frame a = reader.read_frame(1000ms);
        Frame b = std::move(a);
        EXPECT_FALSE(a.valid());
        EXPECT_EQ(oieb_of(name).payload_free_bytes, 1024u - 232u);
        b = reader.read_frame(1000ms);  // releases frame 1
        EXPECT_EQ(oieb_of(name).payload_free_bytes, 1024u - 116u);
        EXPECT_EQ(b.sequence(), 2u);
    }
    EXPECT_EQ(oieb_of(name).payload_free_bytes, 1024u);
}

TEST(RingBuffer, NoFrameWithinTimeoutReturnsInvalidFrame) {
    auto name = zbtest::buffer_name("noframe");
    Reader reader(name, BufferConfig(0, 1024));
    Writer writer(name);
    auto start = std::chrono::steady_clock::now();
    Frame f = reader.read_frame(100ms);
    EXPECT_FALSE(f.valid());
    EXPECT_GE(std::chrono::steady_clock::now() - start, 90ms);
}

TEST(RingBuffer, SequenceErrorCarriesExpectedAndGot) {
    auto name = zbtest::buffer_name("seq");
    Reader reader(name, BufferConfig(0, 4096));
    Writer writer(name);
    write_pattern(writer, 64);
    expect_frame(reader, 1, 64);
    write_pattern(writer, 64);
    RawView raw(name);
    std::uint64_t bogus = 77;
    std::memcpy(raw.payload() + 80 + 8, &bogus, sizeof bogus);
    try {
        (void)reader.read_frame(1000ms);
        FAIL() << "expected SequenceError";
    } catch (const zerobuffer::SequenceErrorException& e) {
        EXPECT_EQ(e.expected(), 2u);
        EXPECT_EQ(e.got(), 77u);
        EXPECT_STREQ(e.kind(), "SequenceError");
    }
    EXPECT_EQ(oieb_of(name).payload_read_pos, 80u) << "read_pos must not advance";
}

TEST(RingBuffer, CorruptFrameSizeNeverReadsOutsideTheMapping) {
    for (std::uint64_t bad : {std::uint64_t{1024 - 80 - 15}, std::uint64_t{1} << 62, ~std::uint64_t{0}}) {
        auto name = zbtest::buffer_name("corrupt");
        Reader reader(name, BufferConfig(0, 1024));
        Writer writer(name);
        RawView raw(name);
        write_pattern(writer, 64);
        expect_frame(reader, 1, 64);
        write_pattern(writer, 64);
        std::memcpy(raw.payload() + 80, &bad, sizeof bad);
        try {
            (void)reader.read_frame(1000ms);
            ADD_FAILURE() << "payload_size " << bad << " was accepted";
        } catch (const zerobuffer::InvalidFrameSizeException& e) {
            EXPECT_NE(std::string(e.what()).find(std::to_string(bad)), std::string::npos) << e.what();
        }
    }
}

// A zero header at offset 0 is never a wrap marker (a writer puts none there): it is validated as a
// frame, sequence first (PROTOCOL.md section 4 reader step 3), and the free count is left alone.
TEST(RingBuffer, ZeroHeaderAtOffsetZeroIsValidatedNotWrapped) {
    auto name = zbtest::buffer_name("zerohdr");
    Reader reader(name, BufferConfig(0, 1024));
    Writer writer(name);
    RawView raw(name);
    write_pattern(writer, 64);
    const std::uint64_t free_before = raw.oieb().payload_free_bytes;
    std::memset(raw.payload(), 0, 16);
    EXPECT_THROW((void)reader.read_frame(1000ms), zerobuffer::SequenceErrorException);
    EXPECT_EQ(raw.oieb().payload_free_bytes, free_before);
    const std::uint64_t one = 1;
    std::memcpy(raw.payload() + 8, &one, sizeof one);  // sequence right, size still 0
    zerobuffer::detail::NamedSemaphore written;
    ASSERT_TRUE(zerobuffer::detail::NamedSemaphore::open("/sem-w-" + name, written));
    written.post();
    EXPECT_THROW((void)reader.read_frame(1000ms), zerobuffer::InvalidFrameSizeException);
}

// A 1 in place of the expected sequence is a restart only when another writer process connected.
TEST(RingBuffer, SequenceOneFromTheSameWriterIsASequenceError) {
    auto name = zbtest::buffer_name("same-writer-one");
    Reader reader(name, BufferConfig(0, 1024));
    Writer writer(name);
    write_pattern(writer, 64);
    write_pattern(writer, 64);
    ASSERT_TRUE(reader.read_frame(1000ms).valid());
    RawView raw(name);
    std::uint64_t one = 1;
    std::memcpy(raw.payload() + 80 + 8, &one, sizeof one);  // the second frame's sequence
    EXPECT_THROW((void)reader.read_frame(1000ms), zerobuffer::SequenceErrorException);
}

// The reader keeps its own position (as C# and Python do): a corrupted shared copy is overwritten, never followed.
TEST(RingBuffer, CorruptReadPosIsNotFollowed) {
    auto name = zbtest::buffer_name("readpos");
    Reader reader(name, BufferConfig(0, 1024));
    Writer writer(name);
    RawView raw(name);
    write_pattern(writer, 64);
    raw.oieb().payload_read_pos = 5000;
    Frame frame = reader.read_frame(1000ms);
    ASSERT_TRUE(frame.valid());
    EXPECT_EQ(zbtest::find_pattern_mismatch(frame.bytes(), frame.size(), 1), -1);
    EXPECT_EQ(raw.oieb().payload_read_pos, 80u);
}

TEST(RingBuffer, FiveThousandFramesThroughSmallRingWithThreads) {
    auto name = zbtest::buffer_name("volume");
    Reader reader(name, BufferConfig(1024, 10240));
    Writer writer(name);
    constexpr int count = 5000;
    std::thread producer([&] {
        for (int i = 0; i < count; ++i) write_pattern(writer, 1024);
    });
    std::uint64_t bad = 0;
    for (std::uint64_t s = 1; s <= count; ++s) {
        Frame f = reader.read_frame(5000ms);
        ASSERT_TRUE(f.valid()) << "frame " << s;
        ASSERT_EQ(f.sequence(), s);
        ASSERT_EQ(f.size(), 1024u);
        if (zbtest::find_pattern_mismatch(f.bytes(), f.size(), s) != -1) ++bad;
    }
    producer.join();
    EXPECT_EQ(bad, 0u);
    auto o = oieb_of(name);
    EXPECT_EQ(o.payload_free_bytes, 10240u);
    EXPECT_EQ(o.payload_written_count, o.payload_read_count);
}

TEST(RingBuffer, VaryingSizesWithWrapsKeepTheCounterExact) {
    auto name = zbtest::buffer_name("varying");
    Reader reader(name, BufferConfig(0, 4096));
    Writer writer(name);
    constexpr int count = 3000;
    std::thread producer([&] {
        for (int i = 0; i < count; ++i) write_pattern(writer, static_cast<std::size_t>(1 + (i * 37) % 1500));
    });
    for (int i = 0; i < count; ++i) {
        Frame f = reader.read_frame(5000ms);
        ASSERT_TRUE(f.valid());
        ASSERT_EQ(f.size(), static_cast<std::size_t>(1 + (i * 37) % 1500));
        ASSERT_EQ(zbtest::find_pattern_mismatch(f.bytes(), f.size(), f.sequence()), -1);
    }
    producer.join();
    EXPECT_EQ(oieb_of(name).payload_free_bytes, 4096u);
}
