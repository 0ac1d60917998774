// Process-wide logging setup over spdlog.
//
// Contract: InitLogging is called once by app/ before threads start. After it,
// spdlog's default logger is thread-safe. Levels: trace, debug, info, warn, error.
#pragma once

#include <string_view>

namespace hb {

void InitLogging(std::string_view level);

}  // namespace hb
