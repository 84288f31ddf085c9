// Code written against the public ZeroBuffer 1.x C++ headers compiles and runs unchanged.
#include <zerobuffer/reader.h>
#include <zerobuffer/types.h>
#include <zerobuffer/writer.h>
#include <zerobuffer/zerobuffer.h>

#include <gtest/gtest.h>

#include <cstring>

#include "test_support.hpp"

TEST(ApiCompat, OneDotXUsageCompiles) {
    using namespace zerobuffer;
    std::string name = zbtest::buffer_name("compat");
    BufferConfig config(1024, 4096);
    Reader reader(name, config);
    Writer writer(name);
    writer.set_write_timeout(std::chrono::milliseconds(1000));
    EXPECT_EQ(writer.get_write_timeout().count(), 1000);
    std::vector<uint8_t> meta = {1, 2, 3};
    writer.set_metadata(meta);
    EXPECT_EQ(reader.get_metadata(), meta);
    EXPECT_EQ(reader.get_metadata_size(), 3u);
    EXPECT_NE(reader.get_metadata_as<uint8_t>(), nullptr);
    writer.write_frame(std::vector<uint8_t>{9, 9});
    uint64_t seq = 0;
    void* buf = writer.get_frame_buffer(4, seq);
    std::memset(buf, 7, 4);
    writer.commit_frame();
    EXPECT_EQ(seq, 2u);
    EXPECT_TRUE(writer.is_reader_connected());
    EXPECT_TRUE(reader.is_writer_connected());
    EXPECT_TRUE(reader.is_writer_connected(100));
    Frame f = reader.read_frame();
    ASSERT_TRUE(f.valid());
    EXPECT_TRUE(f.is_valid());
    EXPECT_EQ(f.size(), 2u);
    reader.release_frame(f);
    Frame g = reader.read_frame();
    EXPECT_EQ(g.sequence(), 2u);
    EXPECT_EQ(static_cast<const uint8_t*>(g.data())[3], 7);
    EXPECT_EQ(reader.frames_read(), 2u);
    EXPECT_EQ(writer.frames_written(), 2u);
    EXPECT_EQ(writer.bytes_written(), 6u);
    EXPECT_EQ(sizeof(OIEB), 128u);
    FrameHeader h{4, 2};
    EXPECT_EQ(h.sequence_number, 2u);
    EXPECT_TRUE(ProtocolVersion(1, 2, 3).is_compatible_with(ProtocolVersion()));
    try {
        throw BufferFullException();
    } catch (const ZeroBufferException& e) {
        EXPECT_STREQ(e.kind(), "BufferFull");
    }
    SequenceError e(1, 3);
    EXPECT_STREQ(e.what(), "sequence error: expected 1, got 3");
}
