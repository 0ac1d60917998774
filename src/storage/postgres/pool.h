// ConnectionPool: a bounded set of libpq connections to one database, shared by threads.
//
// Contract: thread-safe. Acquire() hands out an idle connection, opens a new one while
// fewer than `max_size` exist, or waits for one to come back (after 2 s it opens one more
// anyway, so that a thread holding a connection that needs another cannot deadlock). A Lease
// returns its connection when destroyed; a connection that is no longer healthy (lost, or left
// inside a transaction by a caller's bug) is closed instead of being reused. Prepared statements
// live with their connection, so a reused connection keeps its statements warm.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/postgres/connection.h"

namespace hb::storage::postgres {

class ConnectionPool {
 public:
  ConnectionPool(std::string conninfo, size_t max_size)
      : conninfo_(std::move(conninfo)), max_size_(max_size) {}

  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> c) : pool_(pool), c_(std::move(c)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = default;
    ~Lease() {
      if (pool_ && c_) pool_->Return(std::move(c_));
    }
    Connection& operator*() { return *c_; }
    Connection* operator->() { return c_.get(); }
    Connection* get() { return c_.get(); }

   private:
    ConnectionPool* pool_ = nullptr;
    std::unique_ptr<Connection> c_;
  };

  Result<Lease> Acquire();
  // Closes the idle connections (leased ones close when they come back).
  void Clear();
  const std::string& conninfo() const { return conninfo_; }

 private:
  void Return(std::unique_ptr<Connection> c);
  const std::string conninfo_;
  const size_t max_size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t open_ = 0;  // idle + leased
  bool closed_ = false;
};

}  // namespace hb::storage::postgres
