// TimeSource: where hb_auth reads the current time, injectable for tests.
//
// Contract: a TimeSource returns Unix time in whole seconds, UTC. The default,
// SystemUnixSeconds, is thread-safe; an injected one must be too when the object
// it is given to is shared between threads.
#pragma once

#include <cstdint>
#include <functional>

#include "common/clock.h"

namespace hb::auth {

using TimeSource = std::function<int64_t()>;

inline int64_t SystemUnixSeconds() { return NowMicros() / 1000000; }

}  // namespace hb::auth
