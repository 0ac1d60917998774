#include "storage/sqlite/read_ahead.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <new>

namespace hb::storage::sqlite {

// ---------------------------------------------------------------------------- heuristic

std::optional<ReadAhead::Range> ReadAhead::OnRead(int64_t offset, int64_t length) {
  ++clock_;
  const int64_t last = offset + length;
  for (Stream& s : streams_) {
    // A read inside a stream's region, or a hop just behind or beyond it (another of the
    // scan's cursors in the same region), belongs to that stream.
    if (s.end == 0 || last <= s.begin - kWindow || offset >= s.end + kWindow) continue;
    s.used = clock_;
    s.begin = std::max(s.begin, offset - kWindow);
    if (last + kWindow / 2 <= s.end) return std::nullopt;  // enough is on its way
    Range r;
    r.offset = std::max(s.end, offset);
    r.length = last + kWindow - r.offset;
    s.end = r.offset + r.length;
    return r;
  }
  // A read no stream covers starts one when it follows a recent such read closely: two reads
  // a few pages apart, forward, are how a scan of a new region looks (a lone point read
  // never starts one).
  for (int64_t& m : misses_) {
    if (m < 0 || offset <= m || offset - m > kWindow) continue;
    Stream* victim = &streams_[0];
    for (Stream& s : streams_) {
      if (s.used < victim->used) victim = &s;
    }
    // From the first of the two reads: a cursor may still be reading between them.
    *victim = Stream{m, last + kWindow, clock_};
    Range r{m, last + kWindow - m};
    m = -1;
    return r;
  }
  misses_[next_miss_++ % misses_.size()] = offset;
  return std::nullopt;
}

void ReadAhead::Reset() {
  streams_ = {};
  misses_.fill(-1);
  next_miss_ = 0;
}

// ---------------------------------------------------------------------------- the VFS

namespace {

// A private file-control opcode (SQLite passes opcodes it does not know to the VFS).
constexpr int kFcntlReadAhead = 0x48420001;

std::atomic<int64_t> g_requests{0};

// The wrapping file: ours first, the wrapped VFS's file after it (szOsFile covers both).
struct File {
  sqlite3_file base;
  sqlite3_file* real;
  int fd;  // the wrapped file's descriptor (not ours: never closed here); -1: no read-ahead
  bool on;
  ReadAhead ahead;
};

// The descriptor of a file the unix VFS opened, or -1. A descriptor of our own would not do:
// closing any descriptor of a file drops every POSIX lock the process holds on it (the
// writer's included), which SQLite's unix VFS takes care never to do. Its unixFile starts
// with three pointers (methods, VFS, inode info) and then the descriptor, a layout unchanged
// since SQLite 3.7; the candidate is used only if it is open on the very file named, so that
// another layout turns read-ahead off instead of reading ahead on some other file.
int WrappedDescriptor(sqlite3_vfs* real_vfs, sqlite3_file* real, const char* name) {
  if (std::strncmp(real_vfs->zName, "unix", 4) != 0) return -1;
  struct UnixFilePrefix {
    const sqlite3_io_methods* methods;
    sqlite3_vfs* vfs;
    void* inode;
    int h;
  };
  const int fd = reinterpret_cast<const UnixFilePrefix*>(real)->h;
  struct stat opened, named;
  if (fd < 0 || ::fstat(fd, &opened) != 0 || ::stat(name, &named) != 0) return -1;
  if (opened.st_dev != named.st_dev || opened.st_ino != named.st_ino) return -1;
  return fd;
}

sqlite3_vfs* Real(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }
sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

int Close(sqlite3_file* f) {
  File* file = reinterpret_cast<File*>(f);
  file->fd = -1;  // the wrapped file closes it (or keeps it while locks need it)
  file->on = false;
  return file->real->pMethods->xClose(file->real);
}

int Read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  File* file = reinterpret_cast<File*>(f);
  if (file->on) {
    if (auto r = file->ahead.OnRead(offset, amount)) {
      // Asynchronous: the kernel queues the reads and returns.
      (void)::posix_fadvise(file->fd, r->offset, r->length, POSIX_FADV_WILLNEED);
      g_requests.fetch_add(1, std::memory_order_relaxed);
    }
  }
  return file->real->pMethods->xRead(file->real, out, amount, offset);
}

int Write(sqlite3_file* f, const void* in, int amount, sqlite3_int64 offset) {
  return Real(f)->pMethods->xWrite(Real(f), in, amount, offset);
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  return Real(f)->pMethods->xTruncate(Real(f), size);
}
int Sync(sqlite3_file* f, int flags) { return Real(f)->pMethods->xSync(Real(f), flags); }
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int Lock(sqlite3_file* f, int level) { return Real(f)->pMethods->xLock(Real(f), level); }
int Unlock(sqlite3_file* f, int level) { return Real(f)->pMethods->xUnlock(Real(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}

int FileControl(sqlite3_file* f, int op, void* arg) {
  File* file = reinterpret_cast<File*>(f);
  if (op == kFcntlReadAhead) {
    if (file->fd < 0) return SQLITE_NOTFOUND;
    file->on = *static_cast<int*>(arg) != 0;
    file->ahead.Reset();
    return SQLITE_OK;
  }
  int rc = file->real->pMethods->xFileControl(file->real, op, arg);
  if (op == SQLITE_FCNTL_VFSNAME && rc == SQLITE_OK) {
    // Name this layer in front of the wrapped VFS's name, as the file control asks.
    char** name = static_cast<char**>(arg);
    char* inner = *name;
    *name = sqlite3_mprintf("hb-read-ahead/%z", inner);
  }
  return rc;
}

int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
int ShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), page, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int remove) {
  return Real(f)->pMethods->xShmUnmap(Real(f), remove);
}
int Fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return Real(f)->pMethods->xFetch(Real(f), offset, amount, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  return Real(f)->pMethods->xUnfetch(Real(f), offset, p);
}

const sqlite3_io_methods kMethods = {
    3,        Close,    Read,       Write,      Truncate, Sync,
    FileSize, Lock,     Unlock,     CheckReservedLock,    FileControl,
    SectorSize,         DeviceCharacteristics,  ShmMap,   ShmLock,
    ShmBarrier,         ShmUnmap,   Fetch,      Unfetch,
};

constexpr size_t kFileHeader = (sizeof(File) + 7) & ~size_t{7};

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  File* file = reinterpret_cast<File*>(f);
  file->base.pMethods = nullptr;
  file->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kFileHeader);
  file->fd = -1;
  file->on = false;
  new (&file->ahead) ReadAhead();
  int rc = Real(vfs)->xOpen(Real(vfs), name, file->real, flags, out_flags);
  if (rc != SQLITE_OK) return rc;  // pMethods stays null: SQLite will not close it
  // The wrapped file's methods must offer what ours forward (the unix VFS's are version 3).
  if (file->real->pMethods == nullptr || file->real->pMethods->iVersion < 3) {
    if (file->real->pMethods) file->real->pMethods->xClose(file->real);
    return SQLITE_CANTOPEN;
  }
  if ((flags & SQLITE_OPEN_MAIN_DB) && name != nullptr) {
    file->fd = WrappedDescriptor(Real(vfs), file->real, name);  // -1: no read-ahead
  }
  file->base.pMethods = &kMethods;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs* v, const char* name, int sync) {
  return Real(v)->xDelete(Real(v), name, sync);
}
int Access(sqlite3_vfs* v, const char* name, int flags, int* out) {
  return Real(v)->xAccess(Real(v), name, flags, out);
}
int FullPathname(sqlite3_vfs* v, const char* name, int n, char* out) {
  return Real(v)->xFullPathname(Real(v), name, n, out);
}
void* DlOpen(sqlite3_vfs* v, const char* name) { return Real(v)->xDlOpen(Real(v), name); }
void DlError(sqlite3_vfs* v, int n, char* out) { Real(v)->xDlError(Real(v), n, out); }
void (*DlSym(sqlite3_vfs* v, void* lib, const char* sym))(void) {
  return Real(v)->xDlSym(Real(v), lib, sym);
}
void DlClose(sqlite3_vfs* v, void* lib) { Real(v)->xDlClose(Real(v), lib); }
int Randomness(sqlite3_vfs* v, int n, char* out) { return Real(v)->xRandomness(Real(v), n, out); }
int Sleep(sqlite3_vfs* v, int us) { return Real(v)->xSleep(Real(v), us); }
int CurrentTime(sqlite3_vfs* v, double* out) { return Real(v)->xCurrentTime(Real(v), out); }
int GetLastError(sqlite3_vfs* v, int n, char* out) {
  return Real(v)->xGetLastError ? Real(v)->xGetLastError(Real(v), n, out) : 0;
}
int CurrentTimeInt64(sqlite3_vfs* v, sqlite3_int64* out) {
  return Real(v)->xCurrentTimeInt64(Real(v), out);
}

sqlite3_vfs g_vfs;
constexpr const char* kName = "hb-read-ahead";

}  // namespace

const char* ReadAheadVfs() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
    g_vfs = sqlite3_vfs{};
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(kFileHeader) + real->szOsFile;
    g_vfs.mxPathname = real->mxPathname;
    g_vfs.zName = kName;
    g_vfs.pAppData = real;
    g_vfs.xOpen = Open;
    g_vfs.xDelete = Delete;
    g_vfs.xAccess = Access;
    g_vfs.xFullPathname = FullPathname;
    g_vfs.xDlOpen = DlOpen;
    g_vfs.xDlError = DlError;
    g_vfs.xDlSym = DlSym;
    g_vfs.xDlClose = DlClose;
    g_vfs.xRandomness = Randomness;
    g_vfs.xSleep = Sleep;
    g_vfs.xCurrentTime = CurrentTime;
    g_vfs.xGetLastError = GetLastError;
    g_vfs.xCurrentTimeInt64 = real->iVersion >= 2 && real->xCurrentTimeInt64 ? CurrentTimeInt64
                                                                             : nullptr;
    sqlite3_vfs_register(&g_vfs, 0);
  });
  return kName;
}

bool SetReadAhead(sqlite3* db, bool on) {
  int arg = on ? 1 : 0;
  return sqlite3_file_control(db, "main", kFcntlReadAhead, &arg) == SQLITE_OK;
}

int64_t ReadAheadRequests() { return g_requests.load(std::memory_order_relaxed); }

}  // namespace hb::storage::sqlite
