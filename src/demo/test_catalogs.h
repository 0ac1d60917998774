// Test helper: the real catalogue files, read once per test binary.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "demo/demo_province.h"

namespace hb::demo::testing {

inline std::string ReadWholeFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline const Catalogs& RealCatalogs() {
  static const std::string admin = ReadWholeFile(HB_ADMIN_UNITS_CSV);
  static const std::string icd = ReadWholeFile(HB_ICD10_CSV);
  static const Catalogs catalogs{admin, icd};
  return catalogs;
}

}  // namespace hb::demo::testing
