#pragma once
// Include name of the public 1.x headers.
#include "zerobuffer/writer.hpp"
#include "zerobuffer/reader.hpp"
