// Claims throughput (bench/claims.sh): the finished encounters of a data folder are loaded
// once, then built, written, validated and signed into GIAMDINHHS files again and again,
// on 1 and on N threads; baselines in the same run: writing the XML alone (no validation,
// no signature), and loading the episodes from the store.
//
// Usage: claims_bench --data DIR [--threads N] [--seconds S] [--out DIR]
// Prints one line per figure; --out writes each signed file once (for the xmlsec1 baseline).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "app/claims_command.h"
#include "app/config.h"
#include "app/data_dir.h"
#include "app/store_factory.h"
#include "claims/claim_builder.h"
#include "claims/envelope.h"
#include "claims/episode_loader.h"
#include "claims/validator.h"
#include "fhir/vn_systems.h"
#include "search/query_parser.h"

using namespace hb;
using Clock = std::chrono::steady_clock;

namespace {

double Since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Runs `one(i)` over episodes i = 0.. on `threads` threads for about `seconds`; returns files/s.
template <typename F>
double Rate(size_t n, int threads, double seconds, F one) {
  std::atomic<size_t> next{0}, done{0};
  std::atomic<bool> stop{false};
  const auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        one(next.fetch_add(1) % n);
        done.fetch_add(1);
      }
    });
  }
  while (Since(t0) < seconds) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  stop = true;
  for (auto& th : pool) th.join();
  return static_cast<double>(done.load()) / Since(t0);
}

}  // namespace

int main(int argc, char** argv) {
  std::string data, out;
  int threads = static_cast<int>(std::thread::hardware_concurrency());
  double seconds = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--data")) data = argv[i + 1];
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
    if (!std::strcmp(argv[i], "--out")) out = argv[i + 1];
  }
  auto cfg = app::LoadConfig();
  if (data.empty() || !cfg.ok()) {
    std::fprintf(stderr,
                 "usage: claims_bench --data DIR [--threads N] [--seconds S] [--out DIR]\n");
    return 2;
  }
  cfg->data = data;
  fhir::vn::ConfigureSystemsBase(cfg->identifier_base);
  auto dir = app::OpenDataDir(data);
  auto service = dir.ok() ? app::OpenClaimService(*cfg, data)
                          : Result<std::unique_ptr<claims::ClaimService>>(dir.status());
  auto store = dir.ok() ? app::OpenStore(**dir, *cfg)
                        : Result<std::unique_ptr<storage::ResourceStore>>(dir.status());
  if (!service.ok() || !store.ok()) {
    std::fprintf(stderr, "claims_bench: %s\n",
                 (!service.ok() ? service.status() : store.status()).message().c_str());
    return 1;
  }
  const claims::Catalogs& cat = (*service)->catalogs();
  const claims::Signer& signer = (*service)->signer();

  // The claimable episodes (finished, insured), loaded once.
  std::vector<std::string> ids;
  search::ParseOptions po;
  for (int64_t offset = 0;; offset += 1000) {
    auto q = search::ParseSearch(
        "Encounter",
        {{"status", "finished"}, {"_count", "1000"}, {"_offset", std::to_string(offset)}}, po);
    auto page = (*store)->BeginRead()->Search(*q);
    for (const auto& m : page->matches) ids.push_back(m.id);
    if (page->matches.size() < 1000) break;
  }
  std::vector<claims::Episode> episodes;
  const auto t_load = Clock::now();
  {
    auto txn = (*store)->BeginRead();
    for (const auto& id : ids) {
      auto e = claims::LoadEpisode(*txn, id);
      if (!e.ok()) continue;
      claims::ClaimErrors problems;
      if (!claims::BuildClaim(*e, cat, claims::SchemaVersion::k4750, &problems).ok())
        continue;  // uninsured
      episodes.push_back(std::move(e).value());
    }
  }
  const double load_rate = static_cast<double>(ids.size()) / Since(t_load);
  if (episodes.empty()) {
    std::fprintf(stderr, "claims_bench: no claimable encounter in %s\n", data.c_str());
    return 1;
  }
  std::atomic<int> invalid{0};
  auto full = [&](size_t i) {
    claims::ClaimErrors problems;
    auto r = claims::BuildClaim(episodes[i], cat, claims::SchemaVersion::k4750, &problems);
    const std::string xml = claims::EnvelopeXml({&*r}, r->facility, "20260101");
    if (!claims::ValidateFile(xml, cat).ok() || !problems.empty()) invalid.fetch_add(1);
    auto s = signer.Sign(xml);
    if (!s.ok()) invalid.fetch_add(1);
  };
  auto write_only = [&](size_t i) {
    claims::ClaimErrors problems;
    auto r = claims::BuildClaim(episodes[i], cat, claims::SchemaVersion::k4750, &problems);
    const std::string xml = claims::EnvelopeXml({&*r}, r->facility, "20260101");
    if (xml.empty()) invalid.fetch_add(1);
  };
  const double one = Rate(episodes.size(), 1, seconds, full);
  const double many = Rate(episodes.size(), threads, seconds, full);
  const double raw = Rate(episodes.size(), 1, seconds, write_only);
  std::printf("episodes: %zu claimable of %zu finished encounters\n", episodes.size(), ids.size());
  std::printf("build+validate+sign: %.0f files/s on 1 thread\n", one);
  std::printf("build+validate+sign: %.0f files/s on %d threads\n", many, threads);
  std::printf(
      "baseline build+write XML only (no validation, no signature): %.0f files/s on 1 thread; "
      "ratio %.2f\n",
      raw, one / raw);
  std::printf("load from the store: %.0f episodes/s on 1 thread (10 searches each)\n", load_rate);
  std::printf("invalid: %d\n", invalid.load());
  if (!out.empty()) {
    for (size_t i = 0; i < episodes.size(); ++i) {
      claims::ClaimErrors problems;
      auto r = claims::BuildClaim(episodes[i], cat, claims::SchemaVersion::k4750, &problems);
      auto s = signer.Sign(claims::EnvelopeXml({&*r}, r->facility, "20260101"));
      std::ofstream(out + "/" + r->ma_lk + ".xml") << *s;
    }
  }
  (*store)->Close();
  return invalid.load() == 0 ? 0 : 1;
}
