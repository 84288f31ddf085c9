#pragma once

#include "zerobuffer/config.hpp"
#include "zerobuffer/errors.hpp"
#include "zerobuffer/frame.hpp"
#include "zerobuffer/layout.hpp"
#include "zerobuffer/logger.hpp"
#include "zerobuffer/names.hpp"
#include "zerobuffer/reader.hpp"
#include "zerobuffer/writer.hpp"
