#include "step_definitions/support/zerobuffer_context.hpp"

#include <algorithm>

#include "logging/log_capture.hpp"
#include "step_definitions/support/dead_process.hpp"
#include "steps/step_errors.hpp"
#include "zerobuffer/inspect.hpp"

namespace zbserve::step_definitions {

using steps::AssertionFailed;

std::string ZeroBufferContext::buffer_name(const std::string& feature_name) const {
    const std::string& run_id = context_.run_id();
    return run_id.empty() ? feature_name : run_id + "-" + feature_name;
}

std::string ZeroBufferContext::padded_buffer_name(const std::string& feature_name, std::size_t pad_to) const {
    std::string name = buffer_name(feature_name);
    if (pad_to == 0) return name;
    if (name.size() > pad_to) {
        throw AssertionFailed("cannot pad '" + name + "' to " + std::to_string(pad_to) + " characters: it already has " +
                              std::to_string(name.size()));
    }
    name.append(pad_to - name.size(), 'x');
    return name;
}

void ZeroBufferContext::check_not_reading() const {
    for (const auto& work : context_.background) {
        if (work->reads && !work->finished()) {
            throw AssertionFailed("the reader is busy with background " + work->description() +
                                  "; join it first ('should stop reading with ...')");
        }
    }
}

std::string ZeroBufferContext::close_reader() {
    reader();  // AssertionFailed without a current reader
    check_not_reading();
    std::string name = current_reader_;
    readers_.erase(name);  // the Reader's destructor closes it (PROTOCOL.md section 5)
    last_sequences_.erase(name);
    current_reader_.clear();
    return name;
}

std::vector<std::string> ZeroBufferContext::close_all_readers() {
    std::vector<std::string> closed;
    for (const auto& entry : readers_) closed.push_back(entry.first);
    readers_.clear();  // each Reader's destructor closes it (PROTOCOL.md section 5)
    for (const auto& name : closed) last_sequences_.erase(name);
    current_reader_.clear();
    return closed;
}

std::string ZeroBufferContext::close_writer() {
    std::shared_ptr<zerobuffer::Writer> current = writer();
    std::string name = current_writer_;
    // Two owners here (the map and `current`): more means background work still writes through it.
    if (current.use_count() > 2) {
        throw AssertionFailed("the writer of '" + name + "' is still used by background work");
    }
    writers_.erase(name);
    current_writer_.clear();
    current.reset();  // the last owner: the Writer's destructor closes it
    return name;
}

zerobuffer::Reader& ZeroBufferContext::reader() {
    auto it = readers_.find(current_reader_);
    if (it == readers_.end()) throw AssertionFailed("this worker has no reader: no buffer was created in this scenario");
    return *it->second.object;
}

std::shared_ptr<zerobuffer::Writer> ZeroBufferContext::writer() {
    auto it = writers_.find(current_writer_);
    if (it == writers_.end()) {
        throw AssertionFailed("this worker has no writer: no buffer was connected to in this scenario");
    }
    return it->second.object;
}

const std::string& ZeroBufferContext::current_buffer() const {
    if (current_buffer_.empty()) {
        throw AssertionFailed("this worker has no current buffer: no buffer was created or connected to in this scenario");
    }
    return current_buffer_;
}

void ZeroBufferContext::add_reader(const std::string& name, std::unique_ptr<zerobuffer::Reader> reader,
                                   const std::string& role) {
    readers_[name] = {std::move(reader), role};
    current_reader_ = name;
    current_buffer_ = name;
    last_sequences_[name] = 0;
}

void ZeroBufferContext::connect(const std::string& name, const std::string& role) {
    writers_.erase(name);
    auto writer = std::make_shared<zerobuffer::Writer>(name);
    if (write_timeout) writer->set_write_timeout(*write_timeout);
    writers_[name] = {std::move(writer), role};
    current_writer_ = name;
    current_buffer_ = name;
}

std::uint64_t& ZeroBufferContext::last_sequence() {
    reader();  // AssertionFailed without a current reader
    return last_sequences_[current_reader_];
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
        if (writer.object.use_count() > 1) log_warning("writer of '" + name + "' is still used elsewhere while releasing");
        released.push_back("writer:" + name);
    }
    writers_.clear();
    for (auto& entry : readers_) released.push_back("reader:" + entry.first);
    readers_.clear();
    current_reader_.clear();
    current_writer_.clear();
    current_buffer_.clear();
    last_sequences_.clear();
    write_timeout.reset();
    return released;
}

namespace {

// Abandons and forgets every entry of owned that role created; names them "<kind>:<buffer>".
template <typename Map, typename Abandon>
void abandon_role(Map& owned, const std::string& role, const std::string& kind, Abandon abandon,
                  std::vector<std::string>& abandoned) {
    for (auto it = owned.begin(); it != owned.end();) {
        if (it->second.role != role) {
            ++it;
            continue;
        }
        abandon(*it->second.object);
        abandoned.push_back(kind + ":" + it->first);
        it = owned.erase(it);
    }
}

}  // namespace

std::vector<std::string> ZeroBufferContext::crash(const std::string& role) {
    std::vector<std::string> abandoned;
    abandon_role(writers_, role, "writer", abandon_writer, abandoned);
    abandon_role(readers_, role, "reader", abandon_reader, abandoned);
    return abandoned;
}

void abandon_reader(zerobuffer::Reader& reader) {
    std::uint64_t dead = reaped_child_pid();
    zerobuffer::abandon(reader);
    zerobuffer::write_oieb_field(reader.name(), "reader_pid", dead);
    log_info("abandoned the reader of '" + reader.name() + "' as a crashed process (reader_pid " + std::to_string(dead) + ")");
}

void abandon_writer(zerobuffer::Writer& writer) {
    std::uint64_t dead = reaped_child_pid();
    zerobuffer::abandon(writer);
    zerobuffer::write_oieb_field(writer.name(), "writer_pid", dead);
    log_info("abandoned the writer of '" + writer.name() + "' as a crashed process (writer_pid " + std::to_string(dead) + ")");
}

}  // namespace zbserve::step_definitions
