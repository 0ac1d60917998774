// healthbook: the composition root. Parses the command line and dispatches to
// a subcommand; every module is wired here and nowhere else.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "app/admin.h"
#include "app/claims_command.h"
#include "app/commands.h"
#include "app/config.h"
#include "app/version.h"
#include "common/logging.h"

int main(int argc, char** argv) {
  using hb::app::Config;
  auto loaded = hb::app::LoadConfig();
  if (!loaded.ok()) {
    std::fprintf(stderr, "healthbook: %s\n", loaded.status().message().c_str());
    return 2;
  }
  Config cfg = std::move(loaded).value();

  CLI::App app{
      "healthbook: the health information system of the province (FHIR R4 server).\n"
      "Hệ thống thông tin y tế của tỉnh (máy chủ FHIR R4)."};
  app.name("healthbook");
  app.require_subcommand(1);
  app.add_option("--log-level", cfg.log_level, "trace, debug, info, warn or error")
      ->capture_default_str();

  auto* serve = app.add_subcommand("serve", "Serve the FHIR API and the web UI");
  serve->add_option("--data", cfg.data, "Data folder (created when missing)")->capture_default_str();
  serve->add_option("--store", cfg.store,
                    "sqlite:PATH or postgresql://user@host:port/db (default: the store recorded "
                    "in the data folder, else sqlite:<data>/healthbook.db); recorded in the data "
                    "folder for the other commands");
  serve->add_option("--listen", cfg.listen, "HOST:PORT to listen on")->capture_default_str();
  serve->add_option("--threads", cfg.threads, "I/O threads (0: one per core)")
      ->capture_default_str();
  serve->add_option("--base-url", cfg.base_url,
                    "Public base URL of the FHIR API (default: from the Host header)");
  serve->add_option("--tls-cert", cfg.tls_cert,
                    "PEM certificate chain; with --tls-key the server speaks HTTPS only");
  serve->add_option("--tls-key", cfg.tls_key, "PEM private key of --tls-cert");
  serve->add_option("--mllp", cfg.mllp_listen,
                    "HOST:PORT for HL7 v2 over MLLP (lab results, registrations); needs "
                    "lis.facility. Off by default");

  hb::app::DemoArgs demo_args;
  auto* demo = app.add_subcommand("demo", "Build the deterministic demo province of Điện Biên");
  demo->add_option("--data", cfg.data, "Data folder (created when missing)")->capture_default_str();
  demo->add_option("--store", cfg.store, "sqlite:PATH or postgresql://... (as for serve)");
  demo->add_option("--patients", demo_args.patients, "Number of patients")
      ->capture_default_str()
      ->check(CLI::Range(0, 10000000));
  demo->add_option("--seed", demo_args.seed, "Random seed (same seed, same province)")
      ->capture_default_str();

  hb::app::SynthArgs synth_args;
  auto* synth = app.add_subcommand(
      "synth", "Write a synthetic population of Điện Biên (lifelong records) as NDJSON files");
  synth->add_option("--people", synth_args.people, "Number of people")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000000));
  synth->add_option("--seed", synth_args.seed, "Random seed (same seed, same bytes)")
      ->capture_default_str();
  synth->add_option("--out", synth_args.out, "Output folder (one Type.ndjson per type)")
      ->required();

  std::vector<std::string> import_inputs;
  auto* import = app.add_subcommand(
      "import", "Load NDJSON or Bundle files (or folders of them) into the data folder");
  import->add_option("--data", cfg.data, "Data folder (created when missing)")
      ->capture_default_str();
  import->add_option("--store", cfg.store,
                     "sqlite:PATH or postgresql://... (default: the store recorded in the data "
                     "folder)");
  import->add_option("inputs", import_inputs, "FILE.ndjson, FILE.json or DIR")->required();

  std::function<int()> admin_action;
  hb::app::AddAdminCommands(app, cfg, &admin_action);
  std::function<int()> claims_action;
  hb::app::AddClaimsCommands(app, cfg, &claims_action);

  std::string fhirpath_input, fhirpath_expression, fhirpath_terminology;
  auto* fhirpath = app.add_subcommand("fhirpath", "FHIRPath tools");
  fhirpath->require_subcommand(1);
  auto* fhirpath_eval = fhirpath->add_subcommand(
      "eval", "Evaluate EXPRESSION over a FHIR JSON file; print a JSON array of {type, value}");
  fhirpath_eval->add_option("--input", fhirpath_input, "FHIR JSON file")->required();
  fhirpath_eval->add_option("expression", fhirpath_expression, "FHIRPath expression")->required();
  fhirpath_eval->add_option("--terminology", fhirpath_terminology,
                            "Folder of CodeSystem/ValueSet JSON files for memberOf()/subsumes()");

  std::string id_text;
  auto* id = app.add_subcommand("id", "Identity documents: citizen-ID and insurance card QR codes");
  id->require_subcommand(1);
  auto* id_parse = id->add_subcommand(
      "parse", "Read a scanned CCCD or BHYT card QR payload; print one JSON object");
  id_parse->add_option("text", id_text, "The QR payload, as the scanner typed it")->required();

  hb::app::VietQrEncodeArgs vietqr_args;
  std::string vietqr_amount, vietqr_bill, vietqr_purpose, vietqr_payload;
  auto* vietqr = app.add_subcommand("vietqr", "VietQR bank-transfer QR codes (NAPAS 247)");
  vietqr->require_subcommand(1);
  auto* vietqr_encode = vietqr->add_subcommand(
      "encode", "Print the VietQR payload for a transfer; optionally write it as SVG or PNG");
  vietqr_encode
      ->add_option("--bin", vietqr_args.bin, "6-digit BIN of the bank (970436: Vietcombank)")
      ->required();
  vietqr_encode
      ->add_option("--account", vietqr_args.account, "Account number, or card number with --card")
      ->required();
  vietqr_encode->add_flag("--card", vietqr_args.card, "--account is a card number (QRIBFTTC)");
  auto* vietqr_amount_opt = vietqr_encode->add_option(
      "--amount", vietqr_amount, "Amount in whole VND; makes the QR dynamic (single payment)");
  auto* vietqr_bill_opt =
      vietqr_encode->add_option("--bill", vietqr_bill, "Bill number, up to 25 characters");
  auto* vietqr_purpose_opt = vietqr_encode->add_option(
      "--purpose", vietqr_purpose,
      "Transfer message, up to 25 characters once diacritics are removed");
  vietqr_encode->add_flag("--truncate-purpose", vietqr_args.truncate_purpose,
                          "Cut a longer purpose to 25 characters instead of failing");
  vietqr_encode->add_option("--svg", vietqr_args.svg, "Also write the QR code as SVG to this file");
  vietqr_encode->add_option("--png", vietqr_args.png, "Also write the QR code as PNG to this file");
  auto* vietqr_decode = vietqr->add_subcommand(
      "decode", "Check a VietQR payload (CRC, structure) and print its fields as one JSON object");
  vietqr_decode->add_option("payload", vietqr_payload, "The payload string")->required();

  std::string hl7_file;
  auto* hl7 = app.add_subcommand("hl7", "HL7 v2 messages (laboratory, registration) by hand");
  hl7->require_subcommand(1);
  auto* hl7_parse = hl7->add_subcommand(
      "parse", "Print the messages of FILE as JSON; exit 1 with the reason when it is not valid");
  hl7_parse->add_option("file", hl7_file, "HL7 v2 file, or - for stdin")->required();
  auto* hl7_ack = hl7->add_subcommand(
      "ack", "Print the ACK healthbook would return for FILE; exit 1 unless every one is AA");
  hl7_ack->add_option("file", hl7_file, "HL7 v2 file, or - for stdin")->required();

  app.add_subcommand("version", "Print the version");

  std::string help_topic;
  auto* help = app.add_subcommand("help", "Describe healthbook or one of its subcommands");
  help->add_option("command", help_topic, "a command: serve, demo, user, client, token, audit, ...");

  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const auto* sub : app.get_subcommands({})) known |= sub->get_name() == argv[1];
    if (!known) {
      std::fprintf(stderr, "healthbook: unknown command '%s'; try 'healthbook help'\n", argv[1]);
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (*help) {
    if (help_topic.empty()) {
      // app.help() would describe the selected subcommand ("help") itself.
      std::cout << app.get_formatter()->make_help(&app, "healthbook", CLI::AppFormatMode::Normal);
      std::cout << "\nRun 'healthbook help <command>' for a command's flags.\n";
      return 0;
    }
    try {
      std::cout << app.get_subcommand(help_topic)->help();
      return 0;
    } catch (const CLI::OptionNotFound&) {
      std::fprintf(stderr, "healthbook: no command '%s'; try 'healthbook help'\n",
                   help_topic.c_str());
      return 2;
    }
  }
  if (app.got_subcommand("version")) {
    std::printf("healthbook %s (FHIR R4 4.0.1)\n", hb::app::kVersion);
    return 0;
  }
  hb::InitLogging(cfg.log_level);
  int rc = 0;
  if (*serve) rc = hb::app::RunServe(cfg);
  if (*demo) rc = hb::app::RunDemo(cfg, demo_args);
  if (*synth) rc = hb::app::RunSynth(cfg, synth_args);
  if (*import) rc = hb::app::RunImport(cfg, import_inputs);
  if (admin_action) rc = admin_action();
  if (claims_action) rc = claims_action();
  if (*fhirpath_eval) rc = hb::app::RunFhirpathEval(fhirpath_input, fhirpath_expression,
                                                 fhirpath_terminology);
  if (*vietqr_encode) {
    if (vietqr_amount_opt->count() > 0) vietqr_args.amount = vietqr_amount;
    if (vietqr_bill_opt->count() > 0) vietqr_args.bill = vietqr_bill;
    if (vietqr_purpose_opt->count() > 0) vietqr_args.purpose = vietqr_purpose;
    rc = hb::app::RunVietQrEncode(vietqr_args);
  }
  if (*vietqr_decode) rc = hb::app::RunVietQrDecode(vietqr_payload);
  if (*id_parse) rc = hb::app::RunIdParse(id_text);
  if (*hl7_parse) rc = hb::app::RunHl7Parse(hl7_file);
  if (*hl7_ack) rc = hb::app::RunHl7Ack(hl7_file);
  spdlog::shutdown();  // flushes the log
  return rc;
}
