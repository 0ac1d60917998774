// Test support, for *_test.cpp only: a new folder under the system's temporary folder, unique
// however many test processes run at once (mkdtemp), removed with everything in it when the
// object goes. A fixture holds one as a member: each test gets its own.
#pragma once

#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace hb::testing {

class TempDir {
 public:
  // The folder is named <tmp>/<prefix>-XXXXXX.
  explicit TempDir(std::string_view prefix = "hb-test") {
    std::string name =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(name.data()) == nullptr) {
      throw std::filesystem::filesystem_error("cannot make a temporary folder", name,
                                              std::error_code(errno, std::generic_category()));
    }
    path_ = name;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace hb::testing
