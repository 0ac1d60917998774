// Test support, for *_test.cpp only: a GoogleTest fixture whose every test gets a fresh SQLite
// ResourceStore in a temporary folder of its own (common/temp_dir_test_util.h: unique, so
// parallel ctest runs never share one), removed after the test. The unit tests that run
// against a real store (jobs, operations) derive from it. Header-only: it needs nothing but
// storage and GoogleTest, which those tests link already.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "common/temp_dir_test_util.h"
#include "storage/sqlite/sqlite_store.h"

namespace hb::testing {

class TempStoreTest : public ::testing::Test {
 protected:
  // `prefix` names the folder: <tmp>/<prefix>-XXXXXX.
  explicit TempStoreTest(std::string prefix = "hb_store_test")
      : tmp_(prefix), dir_(tmp_.path()) {}

  // Changes to the options before the store opens (search parameters, synchronous mode).
  virtual void Configure(storage::sqlite::SqliteStoreOptions& /*options*/) {}

  void SetUp() override {
    storage::sqlite::SqliteStoreOptions o;
    o.path = (dir_ / "store.db").string();
    Configure(o);
    auto s = storage::sqlite::OpenSqliteStore(o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  void TearDown() override { store_.reset(); }

 private:
  TempDir tmp_;  // first: removed after the store has closed

 protected:
  std::filesystem::path dir_;
  std::unique_ptr<storage::ResourceStore> store_;
};

}  // namespace hb::testing
