#include "wire/content_length.hpp"

#include <unistd.h>

#include <cctype>
#include <cerrno>

namespace zbserve::wire {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

ContentLengthReader::ContentLengthReader(ByteSource source, std::size_t max_body)
    : source_(std::move(source)), max_body_(max_body) {}

bool ContentLengthReader::fill() {
    if (eof_) return false;
    if (pos_ > 0 && pos_ == buffer_.size()) {
        buffer_.clear();
        pos_ = 0;
    } else if (pos_ > 65536) {
        buffer_.erase(0, pos_);
        pos_ = 0;
    }
    char chunk[65536];
    std::ptrdiff_t n;
    do {
        n = source_(chunk, sizeof chunk);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
        eof_ = true;
        return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
}

ContentLengthReader::Line ContentLengthReader::read_line(std::string& line) {
    while (true) {
        std::size_t nl = buffer_.find('\n', pos_);
        if (nl != std::string::npos) {
            std::size_t end = nl;
            if (end > pos_ && buffer_[end - 1] == '\r') --end;
            line.assign(buffer_, pos_, end - pos_);
            pos_ = nl + 1;
            if (line.size() > MAX_HEADER_LINE) return Line::TooLong;
            return Line::Ok;
        }
        if (buffer_.size() - pos_ > MAX_HEADER_LINE) {
            // Drop the overlong line up to here; the rest is skipped by resynchronisation.
            pos_ = buffer_.size();
            return Line::TooLong;
        }
        if (!fill()) return Line::End;
    }
}

bool ContentLengthReader::resynchronise() {
    // After a bad header the body length is unknown: skip to the next "Content-Length:",
    // wherever it starts (a body without a trailing newline runs straight into it).
    constexpr std::string_view key = "content-length:";
    while (true) {
        std::string window = lower(std::string_view(buffer_).substr(pos_));
        std::size_t at = window.find(key);
        if (at != std::string::npos) {
            pos_ += at;
            resync_ = false;
            return true;
        }
        if (buffer_.size() - pos_ > key.size()) pos_ = buffer_.size() - key.size();
        if (!fill()) return false;
    }
}

ContentLengthReader::Result ContentLengthReader::next() {
    std::string line;
    if (resync_ && !resynchronise()) return {Status::End, {}, "input ended while resynchronising"};
    // Find the first header line, skipping blank lines.
    while (true) {
        Line r = read_line(line);
        if (r == Line::End) return {Status::End, {}, line.empty() ? "" : "input ended inside a header"};
        if (r == Line::TooLong) {
            resync_ = true;
            return {Status::BadHeader, {}, "header line longer than " + std::to_string(MAX_HEADER_LINE) + " bytes"};
        }
        if (!line.empty()) break;
    }

    bool has_length = false;
    std::string length_text;
    std::string problem;
    while (true) {
        if (line.empty()) break;
        std::size_t colon = line.find(':');
        if (colon == std::string::npos) {
            if (problem.empty()) problem = "malformed header line '" + line.substr(0, 100) + "'";
        } else if (lower(trim(std::string_view(line).substr(0, colon))) == "content-length") {
            has_length = true;
            length_text = std::string(trim(std::string_view(line).substr(colon + 1)));
        }
        Line r = read_line(line);
        if (r == Line::End) return {Status::End, {}, "input ended inside a header block"};
        if (r == Line::TooLong) {
            resync_ = true;
            return {Status::BadHeader, {}, "header line longer than " + std::to_string(MAX_HEADER_LINE) + " bytes"};
        }
    }
    if (!problem.empty()) {
        resync_ = true;
        return {Status::BadHeader, {}, problem};
    }
    if (!has_length) {
        resync_ = true;
        return {Status::BadHeader, {}, "header block without Content-Length"};
    }
    bool digits = !length_text.empty() && length_text.size() <= 12;
    for (char c : length_text) digits = digits && c >= '0' && c <= '9';
    if (!digits) {
        resync_ = true;
        return {Status::BadHeader, {}, "Content-Length '" + length_text.substr(0, 40) + "' is not a non-negative integer"};
    }
    std::size_t length = std::stoull(length_text);
    if (length > max_body_) {
        resync_ = true;
        return {Status::BadHeader, {}, "Content-Length " + length_text + " exceeds the limit of " +
                                            std::to_string(max_body_) + " bytes"};
    }
    while (buffer_.size() - pos_ < length) {
        if (!fill()) {
            return {Status::End, {}, "input ended after " + std::to_string(buffer_.size() - pos_) + " of " +
                                         std::to_string(length) + " body bytes"};
        }
    }
    Result result{Status::Message, buffer_.substr(pos_, length), {}};
    pos_ += length;
    return result;
}

std::string encode_frame(std::string_view body) {
    std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    out.append(body);
    return out;
}

bool ContentLengthWriter::write(std::string_view body) {
    std::string frame = encode_frame(body);
    std::lock_guard lock(mutex_);
    std::size_t done = 0;
    while (done < frame.size()) {
        ssize_t n = ::write(fd_, frame.data() + done, frame.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace zbserve::wire
