// TestCluster: a throw-away PostgreSQL server for tests, owned by the test process.
//
// Start() runs Debian's initdb into a new temporary folder and starts `postgres` on a free
// loopback port (fsync off unless durable: nothing here must survive); the destructor stops it and
// removes the folder, and so does a watcher process if this process dies without it. As root
// (initdb and postgres refuse to run as root) the server runs as the `postgres` user, else
// `nobody`, with the folder handed to that user. CreateDatabase()
// gives each test a fresh, empty database and its URL. Binaries: $HB_PG_BINDIR, else the
// newest /usr/lib/postgresql/<version>/bin, else PATH. Not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"

namespace hb::storage::postgres {

class TestCluster {
 public:
  // `durable`: fsync and synchronous commits on, as in production (benchmarks); off for tests.
  static Result<std::unique_ptr<TestCluster>> Start(bool durable = false);
  ~TestCluster();
  // A new database (CREATE DATABASE) and its postgresql:// URL.
  Result<std::string> CreateDatabase();
  const std::string& admin_url() const { return admin_url_; }

 private:
  TestCluster() = default;
  std::string StopCommand() const;  // pg_ctl stop -m immediate, as the cluster's user
  std::string bindir_, dir_, run_as_, admin_url_;
  int port_ = 0;
  int databases_ = 0;
  bool started_ = false;
};

}  // namespace hb::storage::postgres
