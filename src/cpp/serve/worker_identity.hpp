// What the C++ worker reports about itself (health, "the '<role>' process is ready").
#pragma once

namespace zbserve {

inline constexpr const char* PLATFORM = "cpp";
inline constexpr const char* VERSION = "1.0.0";

}  // namespace zbserve
