// healthbook claims validate|verify|export|codesystem (claims_command.h).
#include "app/claims_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/data_dir.h"
#include "app/store_factory.h"
#include "claims/price_list_import.h"
#include "claims/validator.h"
#include "common/embedded.h"
#include "fhir/vn_systems.h"
#include "search/query_parser.h"

HB_EMBEDDED(hb_catalog_icd10)

namespace hb::app {

namespace {

namespace fs = std::filesystem;

int Fail(const std::string& msg) {
  std::fprintf(stderr, "healthbook claims: %s\n", msg.c_str());
  return 1;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

bool WriteFile(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

std::string ClaimsDir(const std::string& data) { return data + "/claims"; }

int Validate(const std::string& path, const std::string& schema) {
  std::string xml;
  if (!ReadFile(path, &xml)) return Fail("cannot read " + path);
  auto icd = claims::Icd10::Load(hb_catalog_icd10_view());
  if (!icd.ok()) return Fail(icd.status().message());
  claims::Catalogs cat{&claims::CodeLists::Embedded(), nullptr, &*icd};
  claims::SchemaVersion v;
  const bool given = !schema.empty();
  if (given && !claims::ParseSchemaVersion(schema, &v)) return Fail("--schema is 4750 or 3176");
  claims::FileCheck check = claims::ValidateFile(xml, cat, given ? &v : nullptr);
  for (const claims::ClaimError& e : check.errors)
    std::printf("%s\n", claims::FormatError(e).c_str());
  std::printf("%s: %zu record(s), schema %s, %s, %zu error(s)\n", path.c_str(), check.records,
              std::string(claims::SchemaName(check.version)).c_str(),
              check.signed_file ? "signed" : "not signed", check.errors.size());
  return check.ok() ? 0 : 1;
}

int Verify(const std::string& path, const std::string& trusted) {
  std::string xml;
  if (!ReadFile(path, &xml)) return Fail("cannot read " + path);
  auto check = claims::VerifySignature(xml, trusted);
  if (!check.ok()) return Fail(path + ": " + check.status().message());
  std::printf("%s: signature %s\n", path.c_str(), check->valid ? "VALID" : "INVALID");
  if (!check->valid) std::printf("  problem: %s\n", check->problem.c_str());
  std::printf("  signer:  %s\n  issuer:  %s\n  serial:  %s\n  valid:   %s .. %s\n  sha256:  %s\n",
              check->subject.c_str(), check->issuer.c_str(), check->serial.c_str(),
              check->not_before.c_str(), check->not_after.c_str(),
              check->sha256_fingerprint.c_str());
  return check->valid ? 0 : 1;
}

struct ExportArgs {
  std::string encounter, schema = "4750", out, since;
};

int PrintErrors(const std::string& what, const claims::ClaimErrors& errors) {
  std::fprintf(stderr, "%s: %zu error(s)\n", what.c_str(), errors.size());
  for (const auto& e : errors) std::fprintf(stderr, "  %s\n", claims::FormatError(e).c_str());
  return 1;
}

int Export(const Config& cfg, const ExportArgs& a) {
  claims::SchemaVersion v;
  if (!claims::ParseSchemaVersion(a.schema, &v)) return Fail("--schema is 4750 or 3176");
  if (a.encounter.empty() == a.since.empty()) return Fail("give --encounter ID or --since DATE");
  if (!a.since.empty() && a.out.empty()) return Fail("--since needs --out DIR");
  auto dir = OpenDataDir(cfg.data);
  if (!dir.ok())
    return Fail(dir.status().message() +
                " (a running server holds the data folder: use "
                "GET /fhir/Encounter/{id}/$claim-xml instead)");
  fhir::vn::ConfigureSystemsBase(cfg.identifier_base);
  auto service = OpenClaimService(cfg, (*dir)->path());
  if (!service.ok()) return Fail(service.status().message());
  auto store = OpenStore(**dir, cfg);
  if (!store.ok()) return Fail(store.status().message());
  auto txn = (*store)->BeginRead();
  if (!a.encounter.empty()) {
    auto file = (*service)->Make(*txn, a.encounter, v);
    if (!file.ok()) return Fail(file.status().message());
    if (!file->errors.empty()) return PrintErrors("Encounter/" + a.encounter, file->errors);
    if (a.out.empty()) {
      std::fwrite(file->xml.data(), 1, file->xml.size(), stdout);
    } else if (!WriteFile(a.out, file->xml)) {
      return Fail("cannot write " + a.out);
    }
    return 0;
  }
  std::error_code ec;
  fs::create_directories(a.out, ec);
  search::ParseOptions po;
  po.strict = true;
  int written = 0, invalid = 0, skipped = 0;
  for (int64_t offset = 0;; offset += 500) {
    auto q = search::ParseSearch("Encounter",
                                 {{"status", "finished"},
                                  {"date", "ge" + a.since},
                                  {"_count", "500"},
                                  {"_offset", std::to_string(offset)}},
                                 po);
    if (!q.ok()) return Fail(q.status().message());
    q->total = false;
    auto page = txn->Search(*q);
    if (!page.ok()) return Fail(page.status().message());
    for (const auto& enc : page->matches) {
      auto file = (*service)->Make(*txn, enc.id, v);
      if (!file.ok()) {
        ++skipped;  // not insured, or not a claimable episode
        continue;
      }
      const std::string base = a.out + "/" + (file->ma_lk.empty() ? enc.id : file->ma_lk);
      if (!file->errors.empty()) {
        std::string text;
        for (const auto& e : file->errors) text += claims::FormatError(e) + "\n";
        WriteFile(base + ".errors.txt", text);
        ++invalid;
        continue;
      }
      if (!WriteFile(base + ".xml", file->xml)) return Fail("cannot write " + base + ".xml");
      ++written;
    }
    if (page->matches.size() < 500) break;
  }
  std::printf(
      "%d claim file(s) in %s; %d invalid (see *.errors.txt); %d encounter(s) without a claim\n",
      written, a.out.c_str(), invalid, skipped);
  return invalid == 0 ? 0 : 1;
}

int CodeSystem(const Config& cfg, const std::string& out) {
  fhir::vn::ConfigureSystemsBase(cfg.identifier_base);
  std::string json;
  Status st = AddIcd10CodeSystem([&](std::string j) {
    json = std::move(j);
    return Status::Ok();
  });
  if (!st.ok()) return Fail(st.message());
  if (out.empty()) {
    std::fwrite(json.data(), 1, json.size(), stdout);
    std::printf("\n");
    return 0;
  }
  return WriteFile(out, json) ? 0 : Fail("cannot write " + out);
}

}  // namespace

Status PrepareClaimsData(const Config& cfg, const std::string& data, bool demo_price_list) {
  std::error_code ec;
  fs::create_directories(ClaimsDir(data), ec);
  if (ec) return Status(ErrorCode::kUnavailable, "cannot create " + ClaimsDir(data));
  if (demo_price_list)
    HB_RETURN_IF_ERROR(claims::InstallDemoPriceList(ClaimsDir(data) + "/price-list"));
  if (!cfg.claims_key_file.empty() || !cfg.claims_pkcs11_module.empty()) return Status::Ok();
  const std::string key = ClaimsDir(data) + "/facility-key.pem";
  const std::string cert = ClaimsDir(data) + "/facility-cert.pem";
  if (fs::exists(key) && fs::exists(cert)) return Status::Ok();
  std::printf(
      "Creating a self-signed facility key for claim files: %s (configure claims.key_file "
      "with your CA certificate for real submissions)\n",
      key.c_str());
  return claims::CreateSelfSignedKey(key, cert, "Cơ sở KBCB - healthbook (tự ký)",
                                     "healthbook demo, Sở Y tế Điện Biên");
}

Status AddIcd10CodeSystem(const std::function<Status(std::string)>& write) {
  HB_ASSIGN_OR_RETURN(claims::Icd10 icd, claims::Icd10::Load(hb_catalog_icd10_view()));
  return write(icd.CodeSystemJson("icd-10-vn", fhir::vn::Systems().icd10_vn));
}

Result<std::unique_ptr<claims::ClaimService>> OpenClaimService(const Config& cfg,
                                                               const std::string& data) {
  claims::ClaimServiceOptions o;
  o.price_list_dir = cfg.claims_price_list_dir.empty() ? ClaimsDir(data) + "/price-list"
                                                       : cfg.claims_price_list_dir;
  o.icd10_csv = hb_catalog_icd10_view();
  o.signer.key_file =
      cfg.claims_key_file.empty() ? ClaimsDir(data) + "/facility-key.pem" : cfg.claims_key_file;
  o.signer.cert_file =
      cfg.claims_key_file.empty() ? ClaimsDir(data) + "/facility-cert.pem" : cfg.claims_cert_file;
  o.signer.password = cfg.claims_key_password;
  o.signer.pkcs11_module = cfg.claims_pkcs11_module;
  o.signer.pkcs11_token = cfg.claims_pkcs11_token;
  o.signer.pkcs11_key = cfg.claims_pkcs11_key;
  o.signer.pkcs11_pin = cfg.claims_pkcs11_pin;
  return claims::ClaimService::Open(o);
}

namespace {

int ImportPrices(const Config& cfg, const std::vector<std::string>& files) {
  const std::string dir = cfg.claims_price_list_dir.empty() ? ClaimsDir(cfg.data) + "/price-list"
                                                            : cfg.claims_price_list_dir;
  auto done = claims::ImportPriceList(dir, files);
  if (!done.ok()) {
    std::fprintf(stderr, "healthbook: %s\n", done.status().message().c_str());
    return 1;
  }
  for (const claims::PriceTable& t : *done) {
    std::printf("%s: %zu row(s) -> %s/%s\n", t.file_name == "thuoc.csv"  ? "drugs (thuốc)"
                                             : t.file_name == "dvkt.csv" ? "services (DVKT)"
                                                                         : "supplies (VTYT)",
                t.rows, dir.c_str(), t.file_name.c_str());
  }
  std::printf("The server reads the price list when it starts: restart it to use this one.\n");
  return 0;
}

}  // namespace

void AddClaimsCommands(CLI::App& app, Config& cfg, std::function<int()>* action) {
  auto* claims = app.add_subcommand("claims", "Health-insurance claim files (QĐ 4750/3176 XML)");
  claims->require_subcommand(1);

  auto path = std::make_shared<std::string>();
  auto schema = std::make_shared<std::string>();
  auto* validate = claims->add_subcommand(
      "validate", "Check a GIAMDINHHS file; exit 0 when valid, 1 with the list of errors");
  validate->add_option("file", *path, "The XML file")->required();
  validate->add_option("--schema", *schema, "4750 or 3176 (default: detected from the file)");
  validate->callback([=] { *action = [=] { return Validate(*path, *schema); }; });

  auto trusted = std::make_shared<std::string>();
  auto* verify = claims->add_subcommand(
      "verify", "Check the facility signature (CHUKYDONVI) and print the signer's certificate");
  verify->add_option("file", *path, "The signed XML file")->required();
  verify->add_option("--trusted", *trusted, "PEM certificate the signer must chain to");
  verify->callback([=] { *action = [=] { return Verify(*path, *trusted); }; });

  auto args = std::make_shared<ExportArgs>();
  auto* exp = claims->add_subcommand(
      "export",
      "Build, validate and sign the claim of an encounter (or of every finished "
      "encounter since a date) from a data folder");
  exp->add_option("--data", cfg.data, "Data folder")->capture_default_str();
  exp->add_option("--encounter", args->encounter, "Encounter id");
  exp->add_option("--schema", args->schema, "4750 or 3176")->capture_default_str();
  exp->add_option("--out", args->out,
                  "Output file (one encounter; default stdout) or folder (--since)");
  exp->add_option("--since", args->since, "YYYY-MM-DD: every finished encounter from that date");
  exp->callback([=, &cfg] { *action = [=, &cfg] { return Export(cfg, *args); }; });

  auto prices = std::make_shared<std::vector<std::string>>();
  auto* pl = claims->add_subcommand("price-list", "The facility price list (thuốc, DVKT, VTYT)");
  pl->require_subcommand(1);
  auto* imp = pl->add_subcommand(
      "import",
      "Replace tables of the price list with exported files (CSV UTF-8 with commas or "
      "semicolons, or Excel Unicode Text), after checking every row");
  imp->add_option("--data", cfg.data, "Data folder")->capture_default_str();
  imp->add_option("files", *prices, "thuoc / dvkt / vtyt tables, QĐ 130/4750 columns")->required();
  imp->callback([=, &cfg] { *action = [=, &cfg] { return ImportPrices(cfg, *prices); }; });

  auto out = std::make_shared<std::string>();
  auto* cs = claims->add_subcommand("codesystem", "Print ICD-10 (QĐ 4469) as a FHIR CodeSystem");
  cs->add_option("--out", *out, "Output file (default stdout)");
  cs->callback([=, &cfg] { *action = [=, &cfg] { return CodeSystem(cfg, *out); }; });
}

}  // namespace hb::app
