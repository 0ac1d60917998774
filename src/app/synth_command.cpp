// `healthbook synth --people N --seed S --out DIR`: a synthetic population of Điện Biên
// (demo::BuildDemoProvince in its lifelong scope, docs/implementation/synth.md) written as
// NDJSON, one file per resource type (DIR/Patient.ndjson, ...), one resource per line, in
// the generator's order. The same N and S give byte-identical files. Files of the types
// written are replaced; nothing else in DIR is touched.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "app/commands.h"
#include "common/embedded.h"
#include "demo/demo_province.h"
#include "fhir/vn_systems.h"

HB_EMBEDDED(hb_catalog_admin_units)
HB_EMBEDDED(hb_catalog_icd10)

namespace hb::app {

namespace {

// One buffered output file per resource type, written in large blocks.
class NdjsonFiles {
 public:
  explicit NdjsonFiles(std::filesystem::path dir) : dir_(std::move(dir)) {}
  ~NdjsonFiles() { Close(); }

  Status Append(std::string_view type, const std::string& json) {
    auto it = files_.find(type);
    if (it == files_.end()) {
      const std::string path = (dir_ / (std::string(type) + ".ndjson")).string();
      std::FILE* f = std::fopen(path.c_str(), "wb");
      if (f == nullptr) return Status(ErrorCode::kUnavailable, "cannot write " + path);
      std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
      it = files_.emplace(std::string(type), File{f, path}).first;
    }
    std::FILE* f = it->second.file;
    if (std::fwrite(json.data(), 1, json.size(), f) != json.size() || std::fputc('\n', f) == EOF) {
      return Status(ErrorCode::kUnavailable, "cannot write " + it->second.path);
    }
    bytes_ += json.size() + 1;
    return Status::Ok();
  }

  Status Close() {
    Status st;
    for (auto& [type, file] : files_) {
      if (file.file != nullptr && std::fclose(file.file) != 0 && st.ok()) {
        st = Status(ErrorCode::kUnavailable, "cannot finish " + file.path);
      }
      file.file = nullptr;
    }
    return st;
  }
  size_t bytes() const { return bytes_; }

 private:
  struct File {
    std::FILE* file;
    std::string path;
  };
  std::filesystem::path dir_;
  std::map<std::string, File, std::less<>> files_;
  size_t bytes_ = 0;
};

}  // namespace

int RunSynth(const Config& cfg, const SynthArgs& args) {
  std::error_code ec;
  std::filesystem::create_directories(args.out, ec);
  if (ec) {
    std::fprintf(stderr, "healthbook synth: cannot create %s: %s\n", args.out.c_str(),
                 ec.message().c_str());
    return 1;
  }
  fhir::vn::ConfigureSystemsBase(cfg.identifier_base);
  const auto t0 = std::chrono::steady_clock::now();
  NdjsonFiles files(args.out);
  demo::DemoOptions options;
  options.patients = args.people;
  options.seed = args.seed;
  options.lifelong = true;
  demo::DemoSummary summary;
  demo::Catalogs catalogs{hb_catalog_admin_units_view(), hb_catalog_icd10_view()};
  Status st = demo::BuildDemoProvince(
      options, catalogs,
      [&](std::string_view type, std::string_view, std::string json) {
        return files.Append(type, json);
      },
      &summary);
  Status closed = files.Close();
  if (st.ok()) st = closed;
  if (!st.ok()) {
    std::fprintf(stderr, "healthbook synth: %s\n", st.ToString().c_str());
    return 1;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const auto& [type, n] : summary.counts) std::printf("%-20s %zu\n", type.c_str(), n);
  const size_t people_resources = summary.Total() - summary.Count("Organization") -
                                  summary.Count("Location") - summary.Count("Practitioner") -
                                  summary.Count("PractitionerRole");
  std::printf(
      "Wrote %zu resources (%.1f per person), %.1f MB, for %d people (seed %llu) to %s in "
      "%.2f s: %.0f resources/s.\n",
      summary.Total(), args.people > 0 ? static_cast<double>(people_resources) / args.people : 0.0,
      static_cast<double>(files.bytes()) / 1e6, args.people,
      static_cast<unsigned long long>(args.seed), args.out.c_str(), secs,
      secs > 0 ? static_cast<double>(summary.Total()) / secs : 0.0);
  return 0;
}

}  // namespace hb::app
