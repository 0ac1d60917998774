// The data folder: created when missing, checked for writing, and locked so
// that only one healthbook process uses it at a time.
//
// Contract: OpenDataDir returns a lock held until the DataDir is destroyed.
// Fails with kUnavailable and a message naming the folder and the reason (not
// a directory, not writable, locked by another process).
#pragma once

#include <memory>
#include <string>

#include "common/result.h"

namespace hb::app {

class DataDir {
 public:
  ~DataDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  friend Result<std::unique_ptr<DataDir>> OpenDataDir(const std::string& path);
  std::string path_;
  int lock_fd_ = -1;
};

Result<std::unique_ptr<DataDir>> OpenDataDir(const std::string& path);

}  // namespace hb::app
