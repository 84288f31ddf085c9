// C++ fuzz harness: reads one case per line on stdin (tests/fuzz/cases.py), runs it against the
// library and prints one JSON result line per case (tests/fuzz/README.md). Built in build/cpp and,
// under ASan/UBSan, in build/cpp-asan.
#include <chrono>
#include <cstdint>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "zerobuffer/inspect.hpp"
#include "zerobuffer/zerobuffer.hpp"

namespace {

using nlohmann::json;
using zerobuffer::BufferConfig;
using zerobuffer::Reader;
using zerobuffer::Writer;

std::vector<std::uint8_t> frame_bytes(std::size_t size, unsigned salt) {
    std::vector<std::uint8_t> data(size);
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>(salt + i);
    return data;
}

std::vector<std::uint8_t> from_hex(const std::string& hex) {
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
}

// Touches every byte handed out, so a view outside the mapping shows up under ASan.
unsigned checksum(const std::uint8_t* data, std::size_t size) {
    unsigned sum = 0;
    for (std::size_t i = 0; i < size; ++i) sum += data[i];
    return sum;
}

volatile unsigned g_sink = 0;

void read_one(Reader& reader, std::chrono::milliseconds timeout) {
    zerobuffer::Frame frame = reader.read_frame(timeout);
    if (frame.valid()) g_sink = g_sink + checksum(static_cast<const std::uint8_t*>(frame.data()), frame.size());
}

void apply(const std::string& name, const json& edit) {
    const std::string kind = edit["kind"];
    if (kind == "oieb") {
        zerobuffer::write_oieb_field(name, edit["field"], edit["value"].get<std::uint64_t>());
    } else if (kind == "payload" || kind == "metadata") {
        zerobuffer::write_region_bytes(name, kind == "payload" ? zerobuffer::BufferRegion::Payload : zerobuffer::BufferRegion::Metadata,
                                       edit["offset"].get<std::size_t>(), from_hex(edit["hex"]));
    } else {
        zerobuffer::post_semaphore(name, edit["written"].get<bool>(), edit["count"].get<unsigned>());
    }
}

json run_case(const json& c) {
    const std::string name = c["name"];
    const std::size_t frame_size = c["frame_size"];
    const std::chrono::milliseconds read_timeout(c["read_timeout_ms"].get<int>());
    const std::chrono::milliseconds write_timeout(c["write_timeout_ms"].get<int>());
    json result{{"id", c["id"]}};
    Reader reader(name, BufferConfig(c["metadata_size"].get<std::size_t>(), c["payload_size"].get<std::size_t>()));
    std::optional<Writer> writer;
    try {
        if (c["phase"] == "mid-stream") {
            writer.emplace(name);
            writer->set_write_timeout(write_timeout);
            if (c["metadata_before"].get<bool>()) writer->set_metadata(std::vector<std::uint8_t>(16, 0xA5));
            const int frames_before = c["frames_before"];
            const int reads_before = c["reads_before"];
            for (int k = 0; k < frames_before; ++k) {
                writer->write_frame(frame_bytes(frame_size, static_cast<unsigned>(k)));
                if (k < reads_before) read_one(reader, read_timeout);
            }
        }
        for (const auto& edit : c["edits"]) apply(name, edit);
        if (!writer) {
            writer.emplace(name);
            writer->set_write_timeout(write_timeout);
        }
        for (const auto& op : c["ops"]) {
            if (op == "write") {
                writer->write_frame(frame_bytes(frame_size, 7));
            } else if (op == "read") {
                read_one(reader, read_timeout);
            } else if (op == "metadata_read") {
                std::vector<std::uint8_t> metadata = reader.get_metadata();
                g_sink = g_sink + checksum(metadata.data(), metadata.size());
            } else {
                writer->set_metadata(std::vector<std::uint8_t>{'f', 'u', 'z', 'z', 'm', 'e', 't', 'a'});
            }
        }
        result["outcome"] = "ok";
    } catch (const zerobuffer::ZeroBufferException& e) {
        result["outcome"] = "error";
        result["kind"] = e.kind();
        result["message"] = e.what();
    } catch (const std::exception& e) {
        result["outcome"] = "unexpected";
        result["kind"] = "std::exception";
        result["message"] = e.what();
    }
    return result;
}

}  // namespace

int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line.empty()) continue;
        std::cout << run_case(json::parse(line)).dump() << std::endl;
    }
    return 0;
}
