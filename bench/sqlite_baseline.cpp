// Baseline for the ingest benchmark: the raw cost of putting the same JSON
// bytes into SQLite with the same durability (WAL, synchronous=FULL), one
// transaction per bundle, no FHIR work at all. Reads the bundle files given on
// the command line and prints "<resources> <seconds>".
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: sqlite_baseline DB BUNDLE.json...\n");
    return 2;
  }
  // Pre-extract every entry's resource bytes so that only the inserts are timed.
  std::vector<std::vector<std::string>> bundles;
  size_t total = 0;
  for (int i = 2; i < argc; ++i) {
    std::ifstream f(argv[i], std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    rapidjson::Document d;
    d.Parse(ss.str().c_str());
    if (d.HasParseError() || !d.HasMember("entry")) continue;
    std::vector<std::string> rs;
    for (auto& e : d["entry"].GetArray()) {
      rapidjson::StringBuffer buf;
      rapidjson::Writer<rapidjson::StringBuffer> w(buf);
      e["resource"].Accept(w);
      rs.emplace_back(buf.GetString(), buf.GetSize());
    }
    total += rs.size();
    bundles.push_back(std::move(rs));
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(argv[1], &db) != SQLITE_OK) return 1;
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
               "CREATE TABLE IF NOT EXISTS r (rid INTEGER PRIMARY KEY, json BLOB NOT NULL);",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO r (json) VALUES (?1)", -1, &ins, nullptr);
  auto t0 = std::chrono::steady_clock::now();
  for (const auto& b : bundles) {
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (const auto& json : b) {
      sqlite3_bind_blob(ins, 1, json.data(), static_cast<int>(json.size()), SQLITE_STATIC);
      sqlite3_step(ins);
      sqlite3_reset(ins);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  sqlite3_finalize(ins);
  sqlite3_close(db);
  std::printf("%zu %.3f\n", total, secs);
  return 0;
}
