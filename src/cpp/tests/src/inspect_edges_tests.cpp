// The diagnostics editor (zerobuffer/inspect.hpp) refuses what it cannot do: unknown OIEB fields,
// bytes that do not fit a region, buffers or semaphores that do not exist.
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "zerobuffer/detail/named_semaphore.hpp"
#include "zerobuffer/inspect.hpp"
#include "zerobuffer/names.hpp"
#include "zerobuffer/zerobuffer.hpp"

using zerobuffer::BufferRegion;

namespace {

const zerobuffer::BufferConfig SMALL(64, 4096);

}  // namespace

TEST(InspectEdges, AnUnknownOiebFieldIsRefusedByName) {
    zerobuffer::Reader reader(zbtest::buffer_name("insp"), SMALL);
    try {
        zerobuffer::write_oieb_field(reader.name(), "payload_colour", 1);
        ADD_FAILURE() << "an unknown field was written";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("'payload_colour'"), std::string::npos) << e.what();
    }
}

TEST(InspectEdges, RegionWritesMustFitTheRegion) {
    zerobuffer::Reader reader(zbtest::buffer_name("insp"), SMALL);
    const std::vector<std::uint8_t> too_many(65, 0xEE);

    try {
        zerobuffer::write_region_bytes(reader.name(), BufferRegion::Metadata, 0, too_many);
        ADD_FAILURE() << "65 bytes were written into a 64-byte metadata block";
    } catch (const std::out_of_range& e) {
        EXPECT_NE(std::string(e.what()).find("65 bytes at offset 0 do not fit the 64-byte region"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(zerobuffer::write_region_bytes(reader.name(), BufferRegion::Payload, 4097, {}), std::out_of_range);
    EXPECT_EQ(zerobuffer::region_image(reader.name(), BufferRegion::Metadata), std::vector<std::uint8_t>(64, 0));
}

TEST(InspectEdges, RegionWritesLandAtTheirOffset) {
    zerobuffer::Reader reader(zbtest::buffer_name("insp"), SMALL);

    zerobuffer::write_region_bytes(reader.name(), BufferRegion::Payload, 4094, {0xAB, 0xCD});
    zerobuffer::write_region_bytes(reader.name(), BufferRegion::Payload, 0, {});  // nothing to write

    std::vector<std::uint8_t> payload = zerobuffer::region_image(reader.name(), BufferRegion::Payload);
    ASSERT_EQ(payload.size(), 4096U);
    EXPECT_EQ(payload[4094], 0xAB);
    EXPECT_EQ(payload[4095], 0xCD);
    EXPECT_EQ(payload[0], 0);
}

TEST(InspectEdges, PostingCountsOnTheChosenSemaphore) {
    zerobuffer::Reader reader(zbtest::buffer_name("insp"), SMALL);

    zerobuffer::post_semaphore(reader.name(), /*written=*/false, 3);

    zerobuffer::detail::NamedSemaphore freed;
    ASSERT_TRUE(zerobuffer::detail::NamedSemaphore::open("/sem-r-" + reader.name(), freed));
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(freed.try_wait()) << i;
    EXPECT_FALSE(freed.try_wait());
}

TEST(InspectEdges, MissingBuffersAreBufferNotFound) {
    const std::string missing = zbtest::buffer_name("insp-missing");
    EXPECT_THROW(zerobuffer::post_semaphore(missing, true), zerobuffer::BufferNotFoundException);
    EXPECT_THROW(zerobuffer::write_oieb_field(missing, "reader_pid", 0), zerobuffer::BufferNotFoundException);
    EXPECT_THROW(zerobuffer::post_semaphore("bad/name", true), zerobuffer::InvalidBufferNameException);
}

TEST(InspectEdges, LayoutPlacesTheBlocksAfterTheOiebWithAlignedSizes) {
    zerobuffer::Reader reader(zbtest::buffer_name("insp"), zerobuffer::BufferConfig(1, 4097));
    const zerobuffer::RegionLayout layout = zerobuffer::buffer_layout(reader.name());
    EXPECT_EQ(layout.mapping_address % 64, 0u);
    EXPECT_EQ(layout.metadata_offset, 128u);
    EXPECT_EQ(layout.metadata_size, 64u);
    EXPECT_EQ(layout.payload_offset, 192u);
    EXPECT_EQ(layout.payload_size, 4160u);
    EXPECT_EQ(layout.mapping_size, 128u + 64u + 4160u);
}

TEST(InspectEdges, ObjectFilesAre0600WhileTheReaderLivesAndGoneAfterClose) {
    const std::string name = zbtest::buffer_name("insp");
    {
        zerobuffer::Reader reader(name, SMALL);
        const auto files = zerobuffer::object_files(name);
        ASSERT_EQ(files.size(), 4u);
        EXPECT_EQ(files[0].path, "/dev/shm/" + name);
        EXPECT_EQ(files[1].path, "/dev/shm/sem.sem-w-" + name);
        EXPECT_EQ(files[2].path, "/dev/shm/sem.sem-r-" + name);
        EXPECT_EQ(files[3].path, zerobuffer::lock_directory() + "/" + name + ".lock");
        for (const auto& file : files) {
            EXPECT_TRUE(file.exists) << file.path;
            EXPECT_EQ(file.mode, 0600u) << file.path;
        }
        EXPECT_EQ(zerobuffer::objects_named_after(name).size(), 4u);
    }
    for (const auto& file : zerobuffer::object_files(name)) EXPECT_FALSE(file.exists) << file.path;
    EXPECT_TRUE(zerobuffer::objects_named_after(name).empty());
    EXPECT_THROW(zerobuffer::object_files("bad/name"), zerobuffer::InvalidBufferNameException);
}
