#include "app/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace hb::app {

DataDir::~DataDir() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

Result<std::unique_ptr<DataDir>> OpenDataDir(const std::string& path) {
  namespace fs = std::filesystem;
  auto unusable = [&](const std::string& why) {
    return Status(ErrorCode::kUnavailable, "the data folder '" + path + "' is unusable: " + why);
  };
  std::error_code ec;
  if (fs::exists(path, ec)) {
    if (!fs::is_directory(path, ec)) return unusable("it is not a directory");
  } else if (!fs::create_directories(path, ec) || ec) {
    return unusable("cannot create it (" + ec.message() + ")");
  }
  auto dir = std::unique_ptr<DataDir>(new DataDir());
  dir->path_ = path;
  std::string lock = dir->File("LOCK");
  dir->lock_fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (dir->lock_fd_ < 0) return unusable(std::string("cannot write in it (") + std::strerror(errno) + ")");
  if (::flock(dir->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return unusable("another healthbook process is using it");
  }
  return dir;
}

}  // namespace hb::app
