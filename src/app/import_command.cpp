// `healthbook import FILE.ndjson|FILE.json|DIR...`: loads NDJSON or Bundle files into the
// data folder through jobs::BulkImporter (the write path of a FHIR PUT, batched). On a
// terminal, a progress bar with count, rate and ETA; otherwise a plain progress line every
// few seconds. Bad lines go to stderr as FILE:LINE: reason; the exit code is 1 when any line
// was bad or any reference dangles, 2 when the import could not run. Re-running the same
// files after an interruption writes only what is not stored yet (docs/implementation/
// bulk-data.md). The server must be stopped (the data folder is locked).
#include <unistd.h>

#include <cstdio>

#include "app/commands.h"
#include "app/data_dir.h"
#include "app/store_factory.h"
#include "fhir/vn_systems.h"
#include "jobs/bulk_import.h"

namespace hb::app {

namespace {

std::string Duration(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

// Progress on stderr: a redrawn bar on a terminal, a line every 5 s otherwise.
class ProgressReporter {
 public:
  ProgressReporter() : tty_(::isatty(STDERR_FILENO) == 1) {}

  void Report(const jobs::ImportProgress& p) {
    const double fraction =
        p.bytes_total > 0 ? static_cast<double>(p.bytes_done) / p.bytes_total : 1.0;
    const int64_t done = p.counts.Imported();
    const double rate = p.seconds > 0 ? done / p.seconds : 0;
    const double eta = fraction > 0.001 ? p.seconds * (1 - fraction) / fraction : 0;
    if (tty_) {
      constexpr int kWidth = 30;
      const int filled = static_cast<int>(fraction * kWidth);
      std::string bar(filled, '#');
      bar.append(kWidth - filled, '.');
      std::fprintf(stderr, "\r[%s] %3d%% %10lld resources %8.0f/s ETA %s %s", bar.c_str(),
                   static_cast<int>(fraction * 100), static_cast<long long>(done), rate,
                   Duration(eta).c_str(),
                   p.checking_references ? "(checking references)" : "                     ");
      std::fflush(stderr);
      drawn_ = true;
      return;
    }
    if (p.seconds - last_ < 5 && !p.checking_references) return;
    last_ = p.seconds;
    std::fprintf(stderr, "import: %lld resources (%d%%), %.0f/s, ETA %s, %lld bad%s\n",
                 static_cast<long long>(done), static_cast<int>(fraction * 100), rate,
                 Duration(eta).c_str(), static_cast<long long>(p.counts.failed),
                 p.checking_references ? ", checking references" : "");
  }
  void End() {
    if (drawn_) std::fputc('\n', stderr);
  }

 private:
  bool tty_;
  bool drawn_ = false;
  double last_ = 0;
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "healthbook import: %s\n", message.c_str());
  return 2;
}

}  // namespace

int RunImport(const Config& cfg, const std::vector<std::string>& inputs) {
  auto files = jobs::ListImportFiles(inputs);
  if (!files.ok()) return Fail(files.status().message());
  auto dir = OpenDataDir(cfg.data);
  if (!dir.ok()) return Fail(dir.status().message() + " (stop the server to import)");
  fhir::vn::ConfigureSystemsBase(cfg.identifier_base);
  auto store = OpenStore(**dir, cfg);
  if (!store.ok()) return Fail(store.status().message());
  ProgressReporter reporter;
  jobs::BulkImporter importer(**store);
  auto result = importer.Run(*files, [&](const jobs::ImportProgress& p) { reporter.Report(p); });
  reporter.End();
  (*store)->Close();
  if (!result.ok()) return Fail(result.status().ToString());
  for (const jobs::ImportIssue& issue : result->issues) {
    std::fprintf(stderr, "%s: %s%s%s\n", issue.Where().c_str(), issue.resource.c_str(),
                 issue.resource.empty() ? "" : ": ", issue.message.c_str());
  }
  const jobs::ImportCounts& c = result->counts;
  const int64_t issues = c.failed + c.dangling;
  if (issues > static_cast<int64_t>(result->issues.size())) {
    std::fprintf(stderr, "... and %lld more\n",
                 static_cast<long long>(issues - static_cast<int64_t>(result->issues.size())));
  }
  std::printf(
      "Imported %lld resources from %zu files in %.1f s (%.0f/s): %lld created, %lld updated, "
      "%lld unchanged; %lld bad lines, %lld dangling references.\n",
      static_cast<long long>(c.Imported()), files->size(), result->seconds,
      result->seconds > 0 ? c.Imported() / result->seconds : 0.0,
      static_cast<long long>(c.created), static_cast<long long>(c.updated),
      static_cast<long long>(c.unchanged), static_cast<long long>(c.failed),
      static_cast<long long>(c.dangling));
  return c.Clean() ? 0 : 1;
}

}  // namespace hb::app
