// Test support, for *_test.cpp only: a GoogleTest fixture whose every test gets a fresh SQLite
// ResourceStore in a temporary folder of its own (named for the process and the test, so
// parallel ctest runs never share one), removed after the test. The unit tests that run
// against a real store (jobs, operations) derive from it. Header-only: it needs nothing but
// storage and GoogleTest, which those tests link already.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "storage/sqlite/sqlite_store.h"

namespace hb::testing {

class TempStoreTest : public ::testing::Test {
 protected:
  // `prefix` names the folder: <tmp>/<prefix>_<pid>_<test name>.
  explicit TempStoreTest(std::string prefix = "hb_store_test") : prefix_(std::move(prefix)) {}

  // Changes to the options before the store opens (search parameters, synchronous mode).
  virtual void Configure(storage::sqlite::SqliteStoreOptions& /*options*/) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           (prefix_ + "_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    storage::sqlite::SqliteStoreOptions o;
    o.path = (dir_ / "store.db").string();
    Configure(o);
    auto s = storage::sqlite::OpenSqliteStore(o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::ResourceStore> store_;

 private:
  std::string prefix_;
};

}  // namespace hb::testing
