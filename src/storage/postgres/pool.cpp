#include "storage/postgres/pool.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace hb::storage::postgres {

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    // Past `max_size` a caller waits a while, then gets one more connection anyway: a
    // thread that needs a second connection while holding one must not wait forever.
    if (!cv_.wait_for(lock, std::chrono::seconds(2),
                      [this] { return !idle_.empty() || open_ < max_size_; })) {
      spdlog::warn("all {} PostgreSQL connections are busy; opening one more", open_);
    }
    if (!idle_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(c));
    }
    ++open_;  // reserve the slot, connect outside the lock
  }
  auto opened = Connection::Open(conninfo_);
  if (!opened.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    --open_;
    cv_.notify_one();
    return opened.status();
  }
  return Lease(this, std::move(opened).value());
}

void ConnectionPool::Return(std::unique_ptr<Connection> c) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_ || !c->Healthy()) {
    c.reset();
    --open_;
  } else {
    idle_.push_back(std::move(c));
  }
  cv_.notify_one();
}

void ConnectionPool::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  open_ -= idle_.size();
  idle_.clear();
}

}  // namespace hb::storage::postgres
