// The shared test pattern: byte i of the frame with sequence s is (s + i) & 0xFF.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace zbtool {

// Precomputed pattern rows: the frame with sequence s is row (s & 0xFF) of this table.
class PatternTable {
public:
    explicit PatternTable(std::size_t size) : size_(size), data_(size + 256) {
        for (std::size_t i = 0; i < data_.size(); ++i) data_[i] = static_cast<std::uint8_t>(i & 0xFF);
    }
    const std::uint8_t* frame(std::uint64_t sequence) const { return data_.data() + (sequence & 0xFF); }
    std::size_t size() const { return size_; }

private:
    std::size_t size_;
    std::vector<std::uint8_t> data_;
};

}  // namespace zbtool
