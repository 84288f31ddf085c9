#pragma once
// Include name of the public 1.x headers.
#include "zerobuffer/zerobuffer.hpp"
#include "zerobuffer/types.h"
