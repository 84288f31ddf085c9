// --wait-for-debugger: print how to attach, then block until a tracer is attached.
#pragma once

namespace zbserve::hosting {

void wait_for_debugger();

}  // namespace zbserve::hosting
