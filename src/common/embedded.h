// Access to files linked into the binary at build time (hb_embed in CMake).
//
// Contract: the returned views point at read-only static storage that lives for
// the whole process; thread-safe.
#pragma once

#include <string_view>

// Declares the accessor `std::string_view name()` for an embedded symbol.
#define HB_EMBEDDED(name)                                                   \
  extern "C" const char name[];                                             \
  extern "C" const char name##_end[];                                       \
  inline std::string_view name##_view() {                                   \
    return std::string_view(name, static_cast<size_t>(name##_end - name)); \
  }
