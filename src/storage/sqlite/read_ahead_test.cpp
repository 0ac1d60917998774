#include "storage/sqlite/read_ahead.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/temp_dir_test_util.h"
#include "storage/sqlite/database.h"

namespace hb::storage::sqlite {
namespace {

constexpr int64_t kPage = 8192;
constexpr int64_t kMiB = 1 << 20;

// Feeds reads to a ReadAhead and keeps what it requested, to tell which reads found their
// pages requested beforehand.
struct Replay {
  ReadAhead ahead;
  std::vector<ReadAhead::Range> requested;
  int uncovered = 0;  // reads no earlier request covered

  void Read(int64_t offset) {
    bool covered = false;
    for (const auto& r : requested) {
      covered = covered || (offset >= r.offset && offset + kPage <= r.offset + r.length);
    }
    if (auto r = ahead.OnRead(offset, kPage)) {
      EXPECT_GT(r->length, 0);
      requested.push_back(*r);
    }
    uncovered += !covered;
  }
};

TEST(ReadAhead, FollowsAForwardScanInLargeRequests) {
  Replay r;
  const int64_t from = 100 * kMiB, to = 300 * kMiB;
  for (int64_t off = from; off < to; off += kPage) r.Read(off);
  // Only the reads before the stream was recognised went to the disk alone.
  EXPECT_LE(r.uncovered, 2);
  // Each request asks for at least half a window: few of them for 200 MB.
  EXPECT_GE(r.requested.size(), static_cast<size_t>((to - from) / ReadAhead::kWindow));
  EXPECT_LE(r.requested.size(), static_cast<size_t>(2 * (to - from) / ReadAhead::kWindow + 2));
  // Requests do not overlap: nothing is asked for twice.
  for (size_t i = 1; i < r.requested.size(); ++i) {
    EXPECT_GE(r.requested[i].offset,
              r.requested[i - 1].offset + r.requested[i - 1].length);
  }
}

TEST(ReadAhead, FollowsCursorsInterleavedInOneRegion) {
  // Four B-tree cursors climbing a region together, each a few hundred KB from the others,
  // skipping the pages of other tables between their own.
  Replay r;
  const int64_t base = 5000 * kMiB;
  for (int64_t step = 0; step < 20000; ++step) {
    for (int64_t c = 0; c < 4; ++c) r.Read(base + c * 37 * kPage + step * 3 * kPage);
  }
  EXPECT_LE(r.uncovered, 8);
  EXPECT_LE(r.requested.size(), static_cast<size_t>(2 * 20000 * 3 * kPage / ReadAhead::kWindow + 8));
}

TEST(ReadAhead, PointReadsRequestNothing) {
  Replay r;
  // Reads scattered over a 40 GB file, never two within a window of each other in a row.
  // (A read within a window after one of the last few would be a scan's first two reads.)
  uint64_t x = 12345;
  std::vector<int64_t> recent;
  for (int i = 0; i < 10000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    int64_t off = static_cast<int64_t>((x >> 20) % (40ull << 30)) / kPage * kPage;
    bool near = false;
    for (int64_t p : recent) near = near || (off > p - 2 * ReadAhead::kWindow &&
                                             off < p + 2 * ReadAhead::kWindow);
    if (near) continue;
    r.Read(off);
    recent.push_back(off);
    if (recent.size() > 2 * ReadAhead::kStreams) recent.erase(recent.begin());
  }
  EXPECT_TRUE(r.requested.empty()) << r.requested.size() << " requests";
}

TEST(ReadAhead, KeepsTwoRegionsApart) {
  // Two scans far apart, alternating: each becomes its own stream.
  Replay r;
  for (int64_t i = 0; i < 5000; ++i) {
    r.Read(1000 * kMiB + i * kPage);
    r.Read(9000 * kMiB + i * kPage);
  }
  EXPECT_LE(r.uncovered, 6);
}

TEST(ReadAhead, ResetForgetsStreams) {
  ReadAhead a;
  EXPECT_FALSE(a.OnRead(0, kPage));
  EXPECT_TRUE(a.OnRead(kPage, kPage));  // the second forward read starts a stream
  a.Reset();
  EXPECT_FALSE(a.OnRead(2 * kPage, kPage));
}

class ReadAheadVfsTest : public ::testing::Test {
 protected:
  hb::testing::TempDir dir_{"hb-read-ahead"};
  std::string path_ = (dir_ / "db").string();
};

TEST_F(ReadAheadVfsTest, ReadConnectionsScanThroughItWithTheSameResults) {
  OpenOptions w;
  w.synchronous_full = false;
  auto writer = Database::Open(path_, w);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB); BEGIN").ok());
  {
    auto ins = (*writer)->Prepare("INSERT INTO t (k, v) VALUES (?1, randomblob(3000))");
    ASSERT_TRUE(ins.ok());
    for (int k = 0; k < 12000; ++k) {  // ~48 MB: a 4 KB page a row
      (*ins)->Bind(1, k);
      ASSERT_TRUE((*ins)->Run().ok());
      (*ins)->Reset();
    }
  }
  ASSERT_TRUE((*writer)->Exec("COMMIT; PRAGMA wal_checkpoint(TRUNCATE)").ok());
  // The writer is on the default VFS: read-ahead cannot be switched on there.
  EXPECT_FALSE(SetReadAhead((*writer)->raw(), true));

  OpenOptions r;
  r.read_only = true;
  r.mmap_size = 0;  // every page through xRead, where read-ahead watches
  auto reader = Database::Open(path_, r);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto count = [&](Database& db) {
    auto s = db.Prepare("SELECT COUNT(*), SUM(length(v)), SUM(k) FROM t");
    EXPECT_TRUE(s.ok());
    Status st;
    EXPECT_TRUE((*s)->Step(&st)) << st.ToString();
    return std::to_string((*s)->Int(0)) + "/" + std::to_string((*s)->Int(1)) + "/" +
           std::to_string((*s)->Int(2));
  };
  const std::string expected = count(**writer);
  EXPECT_EQ(expected, "12000/36000000/71994000");
  EXPECT_EQ(count(**reader), expected);  // read-ahead off
  const int64_t before = ReadAheadRequests();
  ASSERT_TRUE(SetReadAhead((*reader)->raw(), true));
  EXPECT_EQ(count(**reader), expected);
  const int64_t during = ReadAheadRequests() - before;
  EXPECT_GE(during, 2) << "a 48 MB table scan asked for nothing ahead";
  // Each request reaches at least half a window further: the ~48 MB file (a 4 KB page a
  // row) needs at most a dozen or so.
  EXPECT_LE(during, 64 * kMiB / (ReadAhead::kWindow / 2) + 4) << during;
  ASSERT_TRUE(SetReadAhead((*reader)->raw(), false));
  const int64_t after_off = ReadAheadRequests();
  EXPECT_EQ(count(**reader), expected);
  EXPECT_EQ(ReadAheadRequests(), after_off);  // off again: nothing requested

  // Writes through another connection are seen by the read connection (WAL and its shared
  // memory pass through the wrapper unchanged).
  ASSERT_TRUE((*writer)->Exec("DELETE FROM t WHERE k >= 6000").ok());
  EXPECT_EQ(count(**reader), count(**writer));
}

// Whether another process sees a lock held on `path` (POSIX locks are per process: the
// question has to be asked from a child).
bool OthersSeeALock(const std::string& path) {
  const pid_t child = ::fork();
  if (child == 0) {
    const int fd = ::open(path.c_str(), O_RDWR);
    struct flock probe {};
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = 0;
    probe.l_len = 0;  // the whole file
    const bool locked = fd >= 0 && ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
    ::_exit(locked ? 0 : 1);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST_F(ReadAheadVfsTest, ClosingAReadConnectionKeepsTheProcesssLocks) {
  // Closing any descriptor of a file drops every POSIX lock the process holds on it: the
  // read-ahead VFS must not close one of its own while the writer holds its locks.
  OpenOptions w;
  w.synchronous_full = false;
  auto writer = Database::Open(path_, w);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Exec("CREATE TABLE t (k INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);"
                              "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; SELECT * FROM t")
                  .ok());
  ASSERT_TRUE(OthersSeeALock(path_)) << "the writer's exclusive lock is not visible";
  {
    OpenOptions r;
    r.read_only = true;
    r.busy_timeout_ms = 0;
    auto reader = Database::Open(path_, r);  // refused the lock, but opened and closed
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    (void)SetReadAhead((*reader)->raw(), true);
  }
  EXPECT_TRUE(OthersSeeALock(path_)) << "closing a read connection dropped the writer's lock";
  ASSERT_TRUE((*writer)->Exec("COMMIT").ok());
}

}  // namespace
}  // namespace hb::storage::sqlite
