// The files of the official R4 package (HB_FHIR_PACKAGE_DIR, set by the test target), for
// data-driven tests: the validator's, the search parameters' FHIRPath and the indexer's.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#ifndef HB_FHIR_PACKAGE_DIR
#error "a test that reads the R4 package needs HB_FHIR_PACKAGE_DIR (target_compile_definitions)"
#endif

namespace hb::fhir::r4_package {

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every resource file of the package (*.json but package.json and hidden files), by name.
inline std::vector<std::filesystem::path> PackageFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(HB_FHIR_PACKAGE_DIR)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".json") && name != "package.json" && name[0] != '.') {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace hb::fhir::r4_package
