// Step definitions for features/*.feature, with the assertions features/STEPS.md pins down.
// The '<role>' group is captured and ignored: the orchestrator has already routed the step.
#include "steps/ring_buffer_steps.hpp"

#include <algorithm>
#include <array>
#include <thread>

#include "logging/log_capture.hpp"
#include "steps/scenario_context.hpp"
#include "zerobuffer/config.hpp"
#include "zerobuffer/errors.hpp"

namespace zbserve::steps {

namespace {

using namespace std::chrono_literals;
using zerobuffer::Frame;
using zerobuffer::Reader;
using zerobuffer::Writer;

constexpr auto READ_TIMEOUT = 5000ms;
const std::string ROLE = "the '([^']+)' process ";

std::string source(int line) { return "ring_buffer_steps.cpp:" + std::to_string(line); }

std::uint64_t number(const std::string& text) {
    try {
        std::size_t used = 0;
        std::uint64_t value = std::stoull(text, &used);
        if (used == text.size()) return value;
    } catch (const std::exception&) {
    }
    throw AssertionFailed("'" + text + "' is not a number");
}

const std::array<const char*, 17> KINDS = {
    "InvalidBufferName", "InvalidConfig", "BufferNotFound", "ReaderAlreadyConnected", "WriterAlreadyConnected",
    "ReaderDead", "WriterDead", "BufferFull", "FrameTooLarge", "InvalidFrameSize", "SequenceError",
    "MetadataTooLarge", "MetadataAlreadyWritten", "InvalidOieb", "ProtocolVersionMismatch", "ResourceExhausted",
    "PermissionDenied"};

// Runs op, which must fail with expected_kind; records it in result.data.
template <typename Op>
void expect_error(const std::string& expected_kind, const std::string& what, StepResult& result, Op&& op) {
    if (std::none_of(KINDS.begin(), KINDS.end(), [&](const char* k) { return expected_kind == k; })) {
        throw AssertionFailed("'" + expected_kind + "' is not an error kind of PROTOCOL.md section 6");
    }
    try {
        op();
    } catch (const zerobuffer::ZeroBufferException& e) {
        if (expected_kind == e.kind()) {
            result.data["errorType"] = e.kind();
            result.data["message"] = e.what();
            log_info(what + " failed as expected with " + e.kind() + ": " + e.what());
            return;
        }
        throw AssertionFailed(what + ": expected " + expected_kind + ", got " + e.kind() + " (" + e.what() + ")");
    }
    throw AssertionFailed(what + ": expected " + expected_kind + ", but it succeeded");
}

// Frame pattern: byte i of the frame with sequence s is (s + i) & 0xFF.
void fill_pattern(std::uint8_t* data, std::size_t size, std::uint64_t sequence) {
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>((sequence + i) & 0xFF);
}

std::uint64_t write_pattern_frame(Writer& writer, std::size_t size) {
    std::uint64_t sequence = 0;
    auto* data = static_cast<std::uint8_t*>(writer.get_frame_buffer(size, sequence));
    fill_pattern(data, size, sequence);
    writer.commit_frame();
    return sequence;
}

std::vector<std::uint8_t> metadata_pattern(std::size_t size) {
    std::vector<std::uint8_t> data(size);
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>(i & 0xFF);
    return data;
}

// Validates the frame against what the step expects and the pattern; records its sequence.
void check_frame(ScenarioContext& ctx, const Frame& frame, const std::string& buffer, std::uint64_t sequence,
                 std::size_t size, std::chrono::milliseconds waited) {
    if (!frame.valid()) {
        throw AssertionFailed("no frame arrived on buffer '" + buffer + "' within " + std::to_string(waited.count()) +
                              " ms (expected sequence " + std::to_string(sequence) + ", size " + std::to_string(size) +
                              ")");
    }
    ctx.last_sequence = frame.sequence();
    if (frame.sequence() != sequence) {
        throw AssertionFailed("buffer '" + buffer + "': expected frame sequence " + std::to_string(sequence) +
                              ", got " + std::to_string(frame.sequence()));
    }
    if (frame.size() != size) {
        throw AssertionFailed("buffer '" + buffer + "': frame " + std::to_string(sequence) + " has size " +
                              std::to_string(frame.size()) + ", expected " + std::to_string(size));
    }
    const std::uint8_t* bytes = frame.bytes();
    for (std::size_t i = 0; i < frame.size(); ++i) {
        auto expected = static_cast<std::uint8_t>((sequence + i) & 0xFF);
        if (bytes[i] != expected) {
            throw AssertionFailed("buffer '" + buffer + "': frame " + std::to_string(sequence) + " byte " +
                                  std::to_string(i) + " is " + std::to_string(bytes[i]) + ", expected " +
                                  std::to_string(expected) + " (pattern (sequence + i) & 0xFF)");
        }
    }
}

void read_in_order(ScenarioContext& ctx, std::uint64_t count, std::size_t size, std::chrono::milliseconds delay,
                   StepResult& result) {
    Reader& reader = ctx.reader();
    std::uint64_t first = ctx.last_sequence + 1;
    for (std::uint64_t i = 0; i < count; ++i) {
        if (delay.count() > 0) std::this_thread::sleep_for(delay);
        std::uint64_t expected = ctx.last_sequence + 1;
        Frame frame = reader.read_frame(READ_TIMEOUT);
        try {
            check_frame(ctx, frame, reader.name(), expected, size, READ_TIMEOUT);
        } catch (const AssertionFailed& e) {
            throw AssertionFailed(std::string(e.what()) + " [frame " + std::to_string(i + 1) + " of " +
                                  std::to_string(count) + "]");
        }
        frame.release();
    }
    result.data["count"] = count;
    result.data["size"] = size;
    result.data["firstSequence"] = first;
    result.data["lastSequence"] = ctx.last_sequence;
}

void check_metadata(ScenarioContext& ctx, std::size_t size) {
    Reader& reader = ctx.reader();
    std::vector<std::uint8_t> md = reader.get_metadata();
    if (md.size() != size) {
        throw AssertionFailed("buffer '" + reader.name() + "' has " + std::to_string(md.size()) +
                              " bytes of metadata, expected " + std::to_string(size));
    }
    for (std::size_t i = 0; i < md.size(); ++i) {
        if (md[i] != static_cast<std::uint8_t>(i & 0xFF)) {
            throw AssertionFailed("buffer '" + reader.name() + "': metadata byte " + std::to_string(i) + " is " +
                                  std::to_string(md[i]) + ", expected " + std::to_string(i & 0xFF));
        }
    }
}

std::unique_ptr<Writer> connect(ScenarioContext& ctx, const std::string& name) {
    auto writer = std::make_unique<Writer>(name);
    if (ctx.write_timeout) writer->set_write_timeout(*ctx.write_timeout);
    return writer;
}

}  // namespace

void register_ring_buffer_steps(StepRegistry& registry) {
    registry.add(ROLE + "creates buffer '([^']*)' with metadata size '(\\d+)' and payload size '(\\d+)'", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     std::string name = ctx.buffer_name(a[1]);
                     zerobuffer::BufferConfig config(number(a[2]), number(a[3]));
                     ctx.add_reader(name, std::make_unique<Reader>(name, config));
                     log_info("created buffer '" + name + "' (metadata " + a[2] + ", payload " + a[3] + ")");
                     r.data["buffer"] = name;
                     r.data["metadataSize"] = config.metadata_size;
                     r.data["payloadSize"] = config.payload_size;
                 });

    registry.add(ROLE + "should fail to create buffer '([^']*)' with '([^']*)'", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     std::string name = ctx.buffer_name(a[1]);
                     r.data["buffer"] = name;
                     expect_error(a[2], "creating buffer '" + name + "'", r,
                                  [&] { Reader reader(name, zerobuffer::BufferConfig(1024, 10240)); });
                 });

    registry.add(ROLE + "connects to buffer '([^']*)'", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     std::string name = ctx.buffer_name(a[1]);
                     ctx.drop_writer(name);
                     ctx.add_writer(name, connect(ctx, name));
                     log_info("connected to buffer '" + name + "'");
                     r.data["buffer"] = name;
                 });

    registry.add(ROLE + "should fail to connect to buffer '([^']*)' with '([^']*)'", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     std::string name = ctx.buffer_name(a[1]);
                     r.data["buffer"] = name;
                     expect_error(a[2], "connecting to buffer '" + name + "'", r, [&] { Writer writer(name); });
                 });

    registry.add(ROLE + "sets write timeout to '(\\d+)' ms", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     std::chrono::milliseconds timeout(static_cast<std::int64_t>(number(a[1])));
                     ctx.write_timeout = timeout;
                     try {
                         ctx.writer()->set_write_timeout(timeout);
                     } catch (const AssertionFailed&) {
                         // no writer yet: the timeout applies to writers connected later
                     }
                     r.data["writeTimeoutMs"] = timeout.count();
                 });

    auto expect_reader = [](bool connected) {
        return [connected](ScenarioContext& ctx, const StepArgs&, StepResult& r) {
            auto writer = ctx.writer();
            bool actual = writer->is_reader_connected();
            r.data["connected"] = actual;
            if (actual != connected) {
                throw AssertionFailed("buffer '" + writer->name() + "': expected the reader " +
                                      (connected ? "connected" : "disconnected") + ", but it is " +
                                      (actual ? "connected" : "disconnected"));
            }
        };
    };
    registry.add(ROLE + "should see the reader connected", source(__LINE__), expect_reader(true));
    registry.add(ROLE + "should see the reader disconnected", source(__LINE__), expect_reader(false));

    auto expect_writer = [](bool connected) {
        return [connected](ScenarioContext& ctx, const StepArgs&, StepResult& r) {
            Reader& reader = ctx.reader();
            bool actual = reader.is_writer_connected();
            r.data["connected"] = actual;
            if (actual != connected) {
                throw AssertionFailed("buffer '" + reader.name() + "': expected the writer " +
                                      (connected ? "connected" : "disconnected") + ", but it is " +
                                      (actual ? "connected" : "disconnected"));
            }
        };
    };
    registry.add(ROLE + "should see the writer connected", source(__LINE__), expect_writer(true));
    registry.add(ROLE + "should see the writer disconnected", source(__LINE__), expect_writer(false));

    registry.add(ROLE + "writes metadata with size '(\\d+)'", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     auto md = metadata_pattern(number(a[1]));
                     auto writer = ctx.writer();
                     writer->set_metadata(md.data(), md.size());
                     r.data["size"] = md.size();
                     r.data["buffer"] = writer->name();
                 });

    registry.add(ROLE + "should fail to write metadata with size '(\\d+)' with '([^']*)'", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     auto md = metadata_pattern(number(a[1]));
                     auto writer = ctx.writer();
                     expect_error(a[2], "writing " + a[1] + " bytes of metadata to buffer '" + writer->name() + "'", r,
                                  [&] { writer->set_metadata(md.data(), md.size()); });
                 });

    registry.add(ROLE + "writes frame with size '(\\d+)'", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     std::size_t size = number(a[1]);
                     r.data["sequence"] = write_pattern_frame(*ctx.writer(), size);
                     r.data["size"] = size;
                 });

    registry.add(ROLE + "writes '(\\d+)' frames with size '(\\d+)'", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     std::uint64_t count = number(a[1]);
                     std::size_t size = number(a[2]);
                     auto writer = ctx.writer();
                     std::uint64_t first = 0, last = 0;
                     for (std::uint64_t i = 0; i < count; ++i) {
                         last = write_pattern_frame(*writer, size);
                         if (i == 0) first = last;
                     }
                     r.data["count"] = count;
                     r.data["size"] = size;
                     r.data["firstSequence"] = first;
                     r.data["lastSequence"] = last;
                 });

    registry.add(ROLE + "should fail to write frame with size '(\\d+)' with '([^']*)'", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     std::size_t size = number(a[1]);
                     auto writer = ctx.writer();
                     auto start = std::chrono::steady_clock::now();
                     expect_error(a[2], "writing a frame of " + a[1] + " bytes to buffer '" + writer->name() + "'", r,
                                  [&] { write_pattern_frame(*writer, size); });
                     r.data["elapsedMs"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::steady_clock::now() - start).count();
                 });

    registry.add(ROLE + "starts writing '(\\d+)' frames with size '(\\d+)' in the background", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     std::uint64_t count = number(a[1]);
                     std::size_t size = number(a[2]);
                     auto writer = ctx.writer();
                     std::string what = "writing " + a[1] + " frames of " + a[2] + " bytes to '" + writer->name() + "'";
                     ctx.background.push_back(std::make_unique<BackgroundWork>(
                         what, [writer, count, size, what](BackgroundWork& self) {
                             for (std::uint64_t i = 0; i < count && !self.cancel_requested(); ++i) {
                                 self.last_sequence = write_pattern_frame(*writer, size);
                                 self.progress = i + 1;
                             }
                             log_info("background " + what + ": wrote " + std::to_string(self.progress.load()) +
                                      " frames");
                         }));
                     r.data["count"] = count;
                     r.data["size"] = size;
                 });

    registry.add(ROLE + "should still be writing after '(\\d+)' ms", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     BackgroundWork& work = ctx.latest_background();
                     bool finished = work.wait_for(std::chrono::milliseconds(number(a[1])));
                     r.data["written"] = work.progress.load();
                     if (finished) {
                         std::string why = "finished";
                         if (auto error = work.error()) {
                             try {
                                 std::rethrow_exception(error);
                             } catch (const std::exception& e) {
                                 why = std::string("failed (") + e.what() + ")";
                             }
                         }
                         throw AssertionFailed("background " + work.description() + " " + why + " within " + a[1] +
                                               " ms after writing " + std::to_string(work.progress.load()) +
                                               " frames; expected it to still be blocked");
                     }
                 });

    registry.add(ROLE + "should finish writing within '(\\d+)' ms", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     BackgroundWork& work = ctx.latest_background();
                     if (!work.wait_for(std::chrono::milliseconds(number(a[1])))) {
                         throw AssertionFailed("background " + work.description() + " is still running after " + a[1] +
                                               " ms (" + std::to_string(work.progress.load()) + " frames written)");
                     }
                     work.join();
                     r.data["written"] = work.progress.load();
                     r.data["lastSequence"] = work.last_sequence.load();
                     if (auto error = work.error()) {
                         try {
                             std::rethrow_exception(error);
                         } catch (const zerobuffer::ZeroBufferException& e) {
                             zerobuffer::throw_error(e.error_kind(), "background " + work.description() + " failed after " +
                                                                         std::to_string(work.progress.load()) +
                                                                         " frames: " + e.what());
                         }
                     }
                 });

    registry.add(ROLE + "should have metadata with size '(\\d+)'", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     check_metadata(ctx, number(a[1]));
                     r.data["size"] = number(a[1]);
                 });

    registry.add(ROLE + "should have no metadata", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs&, StepResult& r) {
                     check_metadata(ctx, 0);
                     r.data["size"] = 0;
                 });

    registry.add(ROLE + "should read frame with sequence '(\\d+)' and size '(\\d+)'", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     Reader& reader = ctx.reader();
                     std::uint64_t sequence = number(a[1]);
                     std::size_t size = number(a[2]);
                     Frame frame = reader.read_frame(READ_TIMEOUT);
                     check_frame(ctx, frame, reader.name(), sequence, size, READ_TIMEOUT);
                     frame.release();
                     r.data["sequence"] = sequence;
                     r.data["size"] = size;
                 });

    registry.add(ROLE + "should read '(\\d+)' frames with size '(\\d+)' in order", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     read_in_order(ctx, number(a[1]), number(a[2]), 0ms, r);
                 });

    registry.add(ROLE + "should read '(\\d+)' frames with size '(\\d+)' in order with '(\\d+)' ms delay",
                 source(__LINE__), [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     read_in_order(ctx, number(a[1]), number(a[2]),
                                   std::chrono::milliseconds(static_cast<std::int64_t>(number(a[3]))), r);
                 });

    registry.add(ROLE + "should receive no frame within '(\\d+)' ms", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     Reader& reader = ctx.reader();
                     Frame frame = reader.read_frame(std::chrono::milliseconds(static_cast<std::int64_t>(number(a[1]))));
                     if (frame.valid()) {
                         ctx.last_sequence = frame.sequence();
                         throw AssertionFailed("buffer '" + reader.name() + "': expected no frame within " + a[1] +
                                               " ms, got sequence " + std::to_string(frame.sequence()) + " of size " +
                                               std::to_string(frame.size()));
                     }
                     r.data["received"] = false;
                 });

    registry.add(ROLE + "should fail to read a frame within '(\\d+)' ms with '([^']*)'", source(__LINE__),
                 [](ScenarioContext& ctx, const StepArgs& a, StepResult& r) {
                     Reader& reader = ctx.reader();
                     auto timeout = std::chrono::milliseconds(static_cast<std::int64_t>(number(a[1])));
                     expect_error(a[2], "reading a frame from buffer '" + reader.name() + "' within " + a[1] + " ms", r,
                                  [&] {
                                      Frame frame = reader.read_frame(timeout);
                                      if (frame.valid()) ctx.last_sequence = frame.sequence();
                                  });
                 });
}

}  // namespace zbserve::steps
