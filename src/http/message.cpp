#include "http/message.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace hb::http {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x == y) continue;
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + ('a' - 'A'));
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + ('a' - 'A'));
    if (x != y) return false;
  }
  return true;
}

std::string_view Request::HeaderValue(std::string_view name) const {
  for (const Header& h : headers) {
    if (EqualsIgnoreCase(h.name, name)) return h.value;
  }
  return {};
}

Response PlainTextError(int status, std::string message) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(message);
  r.body.push_back('\n');
  return r;
}

namespace {

class FileBody : public BodySource {
 public:
  FileBody(int fd, uint64_t size, size_t piece) : fd_(fd), size_(size), piece_(piece) {}
  ~FileBody() override { ::close(fd_); }
  FileBody(const FileBody&) = delete;
  FileBody& operator=(const FileBody&) = delete;
  uint64_t Size() const override { return size_; }
  bool Next(std::string& out) override {
    const uint64_t left = size_ - offset_;
    if (left == 0) return false;
    out.resize(static_cast<size_t>(std::min<uint64_t>(left, piece_)));
    ssize_t n;
    do {
      n = ::pread(fd_, out.data(), out.size(), static_cast<off_t>(offset_));
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return false;  // an error, or the file shrank under us
    out.resize(static_cast<size_t>(n));
    offset_ += static_cast<uint64_t>(n);
    // While this piece goes to the client, the kernel reads the next few (the pread of the
    // next one then finds them in memory instead of stalling the io thread on the disk).
    if (offset_ < size_) {
      (void)::posix_fadvise(fd_, static_cast<off_t>(offset_),
                            static_cast<off_t>(std::min<uint64_t>(size_ - offset_, 4 * piece_)),
                            POSIX_FADV_WILLNEED);
    }
    return true;
  }

 private:
  const int fd_;
  const uint64_t size_;
  const size_t piece_;
  uint64_t offset_ = 0;
};

}  // namespace

std::shared_ptr<BodySource> OpenFileBody(const std::string& path, size_t piece) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return nullptr;
  }
  return std::make_shared<FileBody>(fd, static_cast<uint64_t>(st.st_size), piece == 0 ? 1 : piece);
}

Response RenderError(const ErrorRenderer& render, int status, std::string message) {
  if (render) return render(status, std::move(message));
  return PlainTextError(status, std::move(message));
}

}  // namespace hb::http
