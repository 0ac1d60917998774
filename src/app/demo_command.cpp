#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>

#include "app/commands.h"
#include "app/data_dir.h"
#include "app/store_factory.h"
#include "common/embedded.h"
#include "demo/demo_province.h"
#include "fhir/vn_systems.h"
#include "rest/write_ops.h"

HB_EMBEDDED(hb_catalog_admin_units)
HB_EMBEDDED(hb_catalog_icd10)

namespace hb::app {

namespace {

// Writes validated resources through the same path as PUT (update-as-create),
// in batches, keeping a few batches in flight so validation and commits overlap.
class BatchWriter {
 public:
  explicit BatchWriter(storage::ResourceStore& store) : store_(store) {}

  Status Add(std::string json) {
    auto in = rest::PrepareInput(json, "");
    if (!in.ok()) return in.status();
    batch_.push_back(std::move(in).value());
    if (batch_.size() >= kBatch) Flush();
    return FirstError();
  }

  Status Finish() {
    Flush();
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return in_flight_ == 0; });
    return error_;
  }

  size_t written() const { return written_; }

 private:
  static constexpr size_t kBatch = 256;
  static constexpr int kMaxInFlight = 4;

  void Flush() {
    if (batch_.empty()) return;
    auto batch = std::make_shared<std::vector<std::shared_ptr<rest::OwnedInput>>>(std::move(batch_));
    batch_.clear();
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return in_flight_ < kMaxInFlight; });
      ++in_flight_;
    }
    written_ += batch->size();
    store_.Write(
        [batch](storage::WriteTxn& txn) {
          for (auto& in : *batch) {
            auto r = rest::Update(txn, nullptr, in->input, in->input.body_id, std::nullopt);
            if (!r.ok()) {
              return Status(r.status().code(), in->input.type + "/" + in->input.body_id + ": " +
                                                   r.status().message());
            }
          }
          return Status::Ok();
        },
        [this](Status st) {
          std::lock_guard<std::mutex> lock(mu_);
          if (!st.ok() && error_.ok()) error_ = st;
          --in_flight_;
          cv_.notify_all();
        });
  }

  Status FirstError() {
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }

  storage::ResourceStore& store_;
  std::vector<std::shared_ptr<rest::OwnedInput>> batch_;
  std::mutex mu_;
  std::condition_variable cv_;
  int in_flight_ = 0;
  Status error_;
  size_t written_ = 0;
};

}  // namespace

int RunDemo(const Config& cfg, const DemoArgs& args) {
  auto t0 = std::chrono::steady_clock::now();
  auto dir = OpenDataDir(cfg.data);
  if (!dir.ok()) {
    std::fprintf(stderr, "healthbook: %s\n", dir.status().message().c_str());
    return 1;
  }
  fhir::vn::ConfigureSystemsBase(cfg.identifier_base);
  auto store = OpenStore(**dir, cfg);
  if (!store.ok()) {
    std::fprintf(stderr, "healthbook: %s\n", store.status().message().c_str());
    return 1;
  }
  std::printf("Building the demo province of Điện Biên: %d patients, seed %llu, into %s\n",
              args.patients, static_cast<unsigned long long>(args.seed), (*dir)->path().c_str());
  BatchWriter writer(**store);
  demo::DemoOptions o;
  o.patients = args.patients;
  o.seed = args.seed;
  demo::Catalogs catalogs{hb_catalog_admin_units_view(), hb_catalog_icd10_view()};
  Status st = demo::BuildDemoProvince(
      o, catalogs, [&](std::string_view, std::string_view, std::string json) {
        return writer.Add(std::move(json));
      });
  Status fin = writer.Finish();
  if (st.ok()) st = fin;
  (*store)->Close();
  if (!st.ok()) {
    std::fprintf(stderr, "healthbook demo: %s\n", st.ToString().c_str());
    return 1;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("Wrote %zu resources in %.1f s.\n", writer.written(), secs);
  return 0;
}

}  // namespace hb::app
