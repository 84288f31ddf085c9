#pragma once
// Include name of the public 1.x headers.
#include "zerobuffer/config.hpp"
#include "zerobuffer/frame.hpp"
#include "zerobuffer/layout.hpp"

namespace zerobuffer {
using OIEB = Oieb;
}
