// Read-ahead for long scans of a store larger than memory.
//
// A scan of one type (`$export`, ReadTxn::Scan) walks four B-trees in step: the resource
// table's (type, deleted) index, the resource table, `version_by_rid` and the version table.
// Their pages lie interleaved in one file, in the order they were written, so the scan's
// reads climb through a region of the file with small gaps and hops between the four
// cursors. The kernel's own read-ahead only follows reads that are exactly sequential: it
// sees these as random, and each 8 KB page waits on the disk by itself (a 41 GB store was
// exported at 29,000 resources/s, ~1,800 disk reads a second).
//
// This module gives SQLite a VFS ("hb-read-ahead") that wraps the default one and forwards
// every call unchanged, except that a connection may switch read-ahead on for its main
// database file (SetReadAhead, a file control) around a scan. While it is on, ReadAhead below
// watches the file offsets the scan reads and, once they move forward through a region, asks
// the kernel (posix_fadvise WILLNEED, on the wrapped file's own descriptor) to read the next
// several megabytes of that region in large requests, ahead of the scan. The pages of other
// tables in the region are read too; reading the region in order is still far cheaper than
// one request a page. Off (the default, every ordinary read) it costs one branch a read.
//
// Thread-safety: a file's ReadAhead belongs to its connection, which one thread uses at a
// time (SQLITE_OPEN_NOMUTEX); the VFS registration is safe from any thread.
#pragma once

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <optional>

namespace hb::storage::sqlite {

// Decides, from the offsets a scan reads, which ranges of the file to ask for ahead of it.
// Pure bookkeeping (no I/O), so that it can be tested alone.
class ReadAhead {
 public:
  struct Range {
    int64_t offset = 0;
    int64_t length = 0;
  };
  // How far ahead of a stream's reads the requested range reaches, and how much one request
  // asks for.
  static constexpr int64_t kWindow = 8ll << 20;
  static constexpr size_t kStreams = 4;

  // The range to request before a read of [offset, offset + length), if any.
  std::optional<Range> OnRead(int64_t offset, int64_t length);
  void Reset();

 private:
  struct Stream {
    int64_t begin = 0;
    int64_t end = 0;  // requested up to here; 0: unused
    uint64_t used = 0;
  };
  std::array<Stream, kStreams> streams_{};
  std::array<int64_t, kStreams> misses_{-1, -1, -1, -1};  // recent reads no stream covered
  size_t next_miss_ = 0;
  uint64_t clock_ = 0;
};

// The name of the read-ahead VFS, registered (not as the default) on first use.
const char* ReadAheadVfs();

// Switches read-ahead on or off for `db`'s main database file. Returns false when the
// connection was not opened on ReadAheadVfs() (nothing changes then).
bool SetReadAhead(sqlite3* db, bool on);

// Ranges requested from the kernel so far by every connection (for tests and benchmarks).
int64_t ReadAheadRequests();

}  // namespace hb::storage::sqlite
