// WAL checkpoints off the writer thread.
//
// SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold, on the
// committing connection: the store's single writer would stop taking writes while it copies
// the WAL into the database file and fsyncs it. The Checkpointer turns that off on the
// writer (wal_autocheckpoint=0), watches the WAL's size through the writer's WAL hook, and
// runs PASSIVE checkpoints on its own connection and thread. PASSIVE never blocks the writer
// or the readers; frames a reader still needs are copied by a later round. Once a round has
// copied every frame, the writer's next transaction starts the WAL over from its beginning,
// so the file stays bounded. Under writes that never pause (a bulk load), PASSIVE rounds
// always trail the writer and the WAL would never start over: once it holds 8 x the
// threshold, the writer checkpoints itself in its WAL hook (as SQLite's own automatic
// checkpoint does, only less often), which copies everything no reader still needs and lets
// its next transaction start the WAL from the beginning.
//
// Thread-safety: internal. Ownership: destroy it before the writer's Database.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.h"
#include "storage/sqlite/database.h"

namespace hb::storage::sqlite {

class Checkpointer {
 public:
  // Takes over checkpoints of `writer` (a connection to `path`); checkpoints once the WAL
  // holds `threshold_frames` frames.
  static Result<std::unique_ptr<Checkpointer>> Start(const std::string& path, Database& writer,
                                                     int threshold_frames);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  int64_t rounds() const;  // checkpoints run so far

 private:
  Checkpointer(std::unique_ptr<Database> own, Database& writer, int threshold);
  static int OnWal(void* self, sqlite3* db, const char* name, int frames);
  void Loop();

  std::unique_ptr<Database> own_;
  Database& writer_;
  const int threshold_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool due_ = false;
  bool stopping_ = false;
  int64_t rounds_ = 0;
  std::thread thread_;
};

}  // namespace hb::storage::sqlite
