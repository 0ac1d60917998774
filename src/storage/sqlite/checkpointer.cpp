#include "storage/sqlite/checkpointer.h"

#include <spdlog/spdlog.h>

namespace hb::storage::sqlite {

Result<std::unique_ptr<Checkpointer>> Checkpointer::Start(const std::string& path,
                                                          Database& writer, int threshold) {
  OpenOptions o;
  o.synchronous_full = true;  // a checkpoint fsyncs the database file before the WAL restarts
  o.cache_size_kib = 2048;    // it copies pages; it does not need a large cache
  o.mmap_size = 0;
  HB_ASSIGN_OR_RETURN(auto own, Database::Open(path, o));
  HB_RETURN_IF_ERROR(writer.Exec("PRAGMA wal_autocheckpoint=0"));
  auto c = std::unique_ptr<Checkpointer>(new Checkpointer(std::move(own), writer, threshold));
  sqlite3_wal_hook(writer.raw(), &Checkpointer::OnWal, c.get());
  return c;
}

Checkpointer::Checkpointer(std::unique_ptr<Database> own, Database& writer, int threshold)
    : own_(std::move(own)), writer_(writer), threshold_(threshold) {
  thread_ = std::thread([this] { Loop(); });
}

Checkpointer::~Checkpointer() {
  sqlite3_wal_hook(writer_.raw(), nullptr, nullptr);
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

int64_t Checkpointer::rounds() const {
  std::lock_guard lock(mu_);
  return rounds_;
}

// Called on the writer thread after each commit with the WAL's size in frames.
int Checkpointer::OnWal(void* self, sqlite3* db, const char*, int frames) {
  auto* c = static_cast<Checkpointer*>(self);
  if (frames >= 8 * c->threshold_) {
    // The background rounds cannot keep up with this writer: catch up here, on the writer.
    (void)sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (frames >= c->threshold_) {
    {
      std::lock_guard lock(c->mu_);
      c->due_ = true;
    }
    c->cv_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::Loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return due_ || stopping_; });
    if (stopping_) return;
    due_ = false;
    lock.unlock();
    int log = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(own_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::warn("checkpoint: {}", sqlite3_errmsg(own_->raw()));
    }
    lock.lock();
    ++rounds_;
  }
}

}  // namespace hb::storage::sqlite
