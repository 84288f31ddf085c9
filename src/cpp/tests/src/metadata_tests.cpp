// Metadata block rules (PROTOCOL.md section 3).
#include <cstring>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "zerobuffer/inspect.hpp"
#include "zerobuffer/zerobuffer.hpp"

using zerobuffer::BufferConfig;
using zerobuffer::Reader;
using zerobuffer::Writer;

TEST(Metadata, WrittenOnceAndReadBack) {
    auto name = zbtest::buffer_name("md");
    Reader reader(name, BufferConfig(1024, 10240));
    EXPECT_TRUE(reader.get_metadata().empty());
    EXPECT_EQ(reader.get_metadata_raw(), nullptr);
    Writer writer(name);
    auto md = zbtest::metadata_pattern(500);
    writer.set_metadata(md.data(), md.size());
    EXPECT_EQ(reader.get_metadata(), md);
    EXPECT_EQ(reader.get_metadata_size(), 500u);
    auto o = zerobuffer::inspect_buffer(name).oieb;
    EXPECT_EQ(o.metadata_written_bytes, 508u);
    EXPECT_EQ(o.metadata_free_bytes, 1024u - 508u);
    EXPECT_THROW(writer.set_metadata(md.data(), md.size()), zerobuffer::MetadataAlreadyWrittenException);
}

TEST(Metadata, AlreadyWrittenHoldsForEveryWriterInstance) {
    auto name = zbtest::buffer_name("md-writers");
    Reader reader(name, BufferConfig(1024, 10240));
    {
        Writer writer(name);
        writer.set_metadata("abc", 3);
    }
    Writer second(name);
    EXPECT_THROW(second.set_metadata("xyz", 3), zerobuffer::MetadataAlreadyWrittenException);
    auto md = reader.get_metadata();
    EXPECT_EQ(std::string(md.begin(), md.end()), "abc");
}

TEST(Metadata, SizeLimitCountsThePrefix) {
    auto name = zbtest::buffer_name("md-size");
    Reader reader(name, BufferConfig(1024, 10240));
    Writer writer(name);
    std::vector<std::uint8_t> big(2048);
    EXPECT_THROW(writer.set_metadata(big.data(), 1017), zerobuffer::MetadataTooLargeException);
    EXPECT_THROW(writer.set_metadata(big.data(), 2048), zerobuffer::MetadataTooLargeException);
    EXPECT_TRUE(reader.get_metadata().empty());
    auto md = zbtest::metadata_pattern(1016);
    writer.set_metadata(md.data(), md.size());
    EXPECT_EQ(reader.get_metadata(), md);
}

TEST(Metadata, ZeroSizedBlockRejectsEveryWrite) {
    auto name = zbtest::buffer_name("md-zero");
    Reader reader(name, BufferConfig(0, 10240));
    Writer writer(name);
    EXPECT_THROW(writer.set_metadata("x", 1), zerobuffer::MetadataTooLargeException);
    EXPECT_THROW(writer.set_metadata("", 0), zerobuffer::MetadataTooLargeException);
    EXPECT_TRUE(reader.get_metadata().empty());
}

TEST(Metadata, ZeroLengthMetadataIsAllowedAndReadsBackEmpty) {
    auto name = zbtest::buffer_name("md-empty");
    Reader reader(name, BufferConfig(64, 10240));
    Writer writer(name);
    writer.set_metadata("", 0);
    EXPECT_TRUE(reader.get_metadata().empty());
    EXPECT_EQ(zerobuffer::inspect_buffer(name).oieb.metadata_written_bytes, 8u);
    EXPECT_THROW(writer.set_metadata("", 0), zerobuffer::MetadataAlreadyWrittenException);
}

TEST(Metadata, ZeroCopyMetadata) {
    auto name = zbtest::buffer_name("md-zc");
    Reader reader(name, BufferConfig(256, 1024));
    Writer writer(name);
    auto* p = static_cast<std::uint8_t*>(writer.get_metadata_buffer(5));
    std::memcpy(p, "hello", 5);
    EXPECT_TRUE(reader.get_metadata().empty()) << "nothing is visible before commit";
    writer.commit_metadata();
    auto md = reader.get_metadata();
    EXPECT_EQ(std::string(md.begin(), md.end()), "hello");
}

// The recorded state is checked before the size asked for, as in C# and Python (found by the fuzzer).
TEST(Metadata, CorruptWrittenBytesIsReportedBeforeTheSize) {
    auto name = zbtest::buffer_name("meta-order");
    Reader reader(name, BufferConfig(64, 1024));
    Writer writer(name);
    zerobuffer::write_oieb_field(name, "metadata_written_bytes", 7);
    std::vector<std::uint8_t> too_large(100);
    EXPECT_THROW(writer.set_metadata(too_large), zerobuffer::InvalidOiebException);
}
