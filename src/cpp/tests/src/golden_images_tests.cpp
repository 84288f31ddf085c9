// The golden images of testdata/images (issue 16): each state is made through the public API and
// its OIEB, metadata block and payload ring are compared byte by byte (pid bytes are masked "..").
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "zerobuffer/inspect.hpp"
#include "zerobuffer/reader.hpp"
#include "zerobuffer/writer.hpp"

using namespace std::chrono_literals;

namespace {

const std::string IMAGES = std::string(ZEROBUFFER_TESTDATA_DIR) + "/images/";

// The bytes of a hex image; nullopt for a masked byte.
std::vector<std::optional<std::uint8_t>> read_hex(const std::string& path) {
    std::ifstream in(path);
    EXPECT_TRUE(in.good()) << path;
    std::vector<std::optional<std::uint8_t>> cells;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream body(line.substr(line.find(':') + 1));
        std::string cell;
        while (body >> cell) {
            if (cell == "..") {
                cells.emplace_back();
            } else {
                cells.emplace_back(static_cast<std::uint8_t>(std::stoi(cell, nullptr, 16)));
            }
        }
    }
    return cells;
}

void expect_image(const std::string& file, const std::vector<std::uint8_t>& actual) {
    const auto expected = read_hex(IMAGES + file);
    ASSERT_EQ(actual.size(), expected.size()) << file;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        if (expected[i]) {  // masked bytes (the pids) are nullopt
            EXPECT_EQ(actual[i], *expected[i]) << file << " at offset " << i;
        }
    }
}

}  // namespace

TEST(GoldenImages, EveryStateOfTheManifestMatchesItsImages) {
    std::ifstream in(IMAGES + "manifest.json");
    const nlohmann::json manifest = nlohmann::json::parse(in);
    for (const auto& state : manifest["states"]) {
        const std::string state_name = state["name"];
        SCOPED_TRACE(state_name);
        const std::string name = zbtest::buffer_name("img");
        zerobuffer::Reader reader(name, zerobuffer::BufferConfig(state["metadata_size"].get<std::size_t>(),
                                                                 state["payload_size"].get<std::size_t>()));
        std::optional<zerobuffer::Writer> writer;
        if (!state["operations"].empty()) writer.emplace(name);
        std::uint64_t sequence = 0;
        for (const auto& operation : state["operations"]) {
            const std::string text = operation;
            const std::string verb = text.substr(0, text.find(' '));
            const std::size_t argument = verb == "read" ? 0 : std::stoul(text.substr(text.find(' ') + 1));
            if (verb == "metadata") {
                std::vector<std::uint8_t> bytes(argument);
                for (std::size_t i = 0; i < argument; ++i) bytes[i] = static_cast<std::uint8_t>(i);
                writer->set_metadata(bytes);
            } else if (verb == "write") {
                ++sequence;
                std::vector<std::uint8_t> bytes(argument);
                for (std::size_t i = 0; i < argument; ++i) bytes[i] = static_cast<std::uint8_t>(sequence + i);
                writer->write_frame(bytes);
            } else {
                ASSERT_TRUE(reader.read_frame(5000ms).valid()) << text;
            }
        }
        expect_image(state_name + ".oieb.hex", zerobuffer::oieb_image(name));
        expect_image(state_name + ".metadata.hex", zerobuffer::region_image(name, zerobuffer::BufferRegion::Metadata));
        expect_image(state_name + ".payload.hex", zerobuffer::region_image(name, zerobuffer::BufferRegion::Payload));
    }
}
