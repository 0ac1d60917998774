#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>

#include "app/claims_command.h"
#include "app/commands.h"
#include "app/data_dir.h"
#include "auth/password.h"
#include "storage/account_store.h"
#include <sys/stat.h>
#include <fstream>
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

// The demo's people, one per kind of user, with random passwords written to
// <data>/demo-users.txt (readable by its owner only). Nothing is hard-coded.
Status AddDemoUsers(const DataDir& dir, const Config& cfg) {
  auto accounts = OpenAccountStore(dir.path(), cfg);
  if (!accounts.ok()) return accounts.status();
  auto existing = (*accounts)->List();
  if (!existing.ok()) return existing.status();
  if (!existing->empty()) return Status::Ok();  // not the first start
  struct DemoUser {
    const char* name;
    const char* role;
    const char* facility;
    const char* display;
    const char* practitioner;
    const char* patient;
  };
  static constexpr DemoUser kUsers[] = {
      {"quantri", "system-admin", "", "Quản trị hệ thống", "", ""},
      {"soyte", "doh-official", "", "Chuyên viên Sở Y tế Điện Biên", "", ""},
      {"quantri.bvdk", "facility-admin", "11001", "Quản trị Bệnh viện Đa khoa tỉnh", "", ""},
      {"letan.bvdk", "receptionist", "11001", "Lễ tân Bệnh viện Đa khoa tỉnh", "", ""},
      {"bacsi.bvdk", "doctor", "11001", "Bác sĩ Bệnh viện Đa khoa tỉnh", "prac-0001", ""},
      {"dieuduong.bvdk", "nurse", "11001", "Điều dưỡng Bệnh viện Đa khoa tỉnh", "", ""},
      {"duocsi.bvdk", "pharmacist", "11001", "Dược sĩ Bệnh viện Đa khoa tỉnh", "", ""},
      {"xetnghiem.bvdk", "lab-technician", "11001", "Kỹ thuật viên xét nghiệm", "", ""},
      {"thungan.bvdk", "cashier", "11001", "Thu ngân Bệnh viện Đa khoa tỉnh", "", ""},
      {"giamdinh.bvdk", "claims-officer", "11001", "Giám định BHYT Bệnh viện Đa khoa tỉnh", "", ""},
      {"yte.xa", "commune-health-worker", "11101", "Nhân viên y tế xã", "", ""},
      {"congdan", "citizen", "", "Người dân (pat-000001)", "", "pat-000001"},
  };
  std::string path = dir.File("demo-users.txt");
  std::ofstream out(path, std::ios::trunc);
  if (!out) return Status(ErrorCode::kUnavailable, "cannot write " + path);
  ::chmod(path.c_str(), 0600);
  out << "# healthbook demo users: user name, password, role, facility. Sign in at /auth/login.\n";
  for (const DemoUser& u : kUsers) {
    std::string password = auth::RandomPassword(16);
    auto hash = auth::HashPassword(password);
    if (!hash.ok()) return hash.status();
    storage::Account a;
    a.name = u.name;
    a.kind = "user";
    a.role = u.role;
    a.facility = u.facility;
    a.display = u.display;
    a.practitioner = u.practitioner;
    a.patient = u.patient;
    a.password_hash = *hash;
    HB_RETURN_IF_ERROR((*accounts)->Add(a));
    out << u.name << "\t" << password << "\t" << u.role << "\t" << u.facility << "\n";
  }
  std::printf("Demo users and their passwords: %s\n", path.c_str());
  return Status::Ok();
}

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
  // ICD-10 of QĐ 4469 as a CodeSystem resource (CodeSystem/icd-10-vn), which the demo's
  // Conditions are coded in (claims/icd10.h).
  if (st.ok()) {
    st = AddIcd10CodeSystem([&](std::string json) { return writer.Add(std::move(json)); });
  }
  Status fin = writer.Finish();
  if (st.ok()) st = fin;
  (*store)->Close();
  if (st.ok()) st = AddDemoUsers(**dir, cfg);
  // The demo price list and a facility signing key, so that claims can be made at once.
  if (st.ok()) st = PrepareClaimsData(cfg, (*dir)->path(), /*demo_price_list=*/true);
  if (!st.ok()) {
    std::fprintf(stderr, "healthbook demo: %s\n", st.ToString().c_str());
    return 1;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("Wrote %zu resources in %.1f s.\n", writer.written(), secs);
  return 0;
}

}  // namespace hb::app
