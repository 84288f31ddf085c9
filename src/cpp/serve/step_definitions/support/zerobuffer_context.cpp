#include "step_definitions/support/zerobuffer_context.hpp"

#include <algorithm>

#include "logging/log_capture.hpp"
#include "steps/step_errors.hpp"

namespace zbserve::step_definitions {

using steps::AssertionFailed;

std::string ZeroBufferContext::buffer_name(const std::string& feature_name) const {
    const std::string& run_id = context_.run_id();
    return run_id.empty() ? feature_name : run_id + "-" + feature_name;
}

zerobuffer::Reader& ZeroBufferContext::reader() {
    auto it = readers_.find(current_reader_);
    if (it == readers_.end()) throw AssertionFailed("this worker has no reader: no buffer was created in this scenario");
    return *it->second;
}

std::shared_ptr<zerobuffer::Writer> ZeroBufferContext::writer() {
    auto it = writers_.find(current_writer_);
    if (it == writers_.end()) {
        throw AssertionFailed("this worker has no writer: no buffer was connected to in this scenario");
    }
    return it->second;
}

void ZeroBufferContext::add_reader(const std::string& name, std::unique_ptr<zerobuffer::Reader> reader) {
    readers_[name] = std::move(reader);
    current_reader_ = name;
    last_sequence = 0;
}

void ZeroBufferContext::connect(const std::string& name) {
    writers_.erase(name);
    auto writer = std::make_shared<zerobuffer::Writer>(name);
    if (write_timeout) writer->set_write_timeout(*write_timeout);
    writers_[name] = std::move(writer);
    current_writer_ = name;
}

zerobuffer::Frame ZeroBufferContext::read_frame(zerobuffer::Reader& reader, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        context_.check_cancelled();
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        zerobuffer::Frame frame = reader.read_frame(std::clamp(left, std::chrono::milliseconds(0), READ_SLICE));
        if (frame.valid() || left <= READ_SLICE) return frame;
    }
}

std::vector<std::string> ZeroBufferContext::release() {
    std::vector<std::string> released;
    for (auto& [name, writer] : writers_) {
        if (writer.use_count() > 1) log_warning("writer of '" + name + "' is still used elsewhere while releasing");
        released.push_back("writer:" + name);
    }
    writers_.clear();
    for (auto& entry : readers_) released.push_back("reader:" + entry.first);
    readers_.clear();
    current_reader_.clear();
    current_writer_.clear();
    last_sequence = 0;
    write_timeout.reset();
    return released;
}

}  // namespace zbserve::step_definitions
