// Shared test helpers: unique buffer names, the frame/metadata patterns, leftovers checks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zbtest {

// "zbcpp-<pid>-<n>-<hint>": unique per process and call, recognisable in /dev/shm.
std::string buffer_name(const std::string& hint = "t");
// The prefix every name of this test process starts with.
std::string name_prefix();

void fill_pattern(std::uint8_t* data, std::size_t size, std::uint64_t sequence);
// Index of the first byte that breaks the frame pattern, or -1.
long find_pattern_mismatch(const std::uint8_t* data, std::size_t size, std::uint64_t sequence);
std::vector<std::uint8_t> metadata_pattern(std::size_t size);

// Files in /dev/shm and in the lock dir whose name contains prefix.
std::vector<std::string> leftovers(const std::string& prefix);
// Removes whatever a killed peer left behind for buffer (shm, semaphores, lock file).
void remove_leftovers(const std::string& buffer);

// <repo>/src/cpp (from the source tree this test was built from).
std::string cpp_source_dir();
// Directory holding the built executables (bin/ of the build tree).
std::string bin_dir();

}  // namespace zbtest
