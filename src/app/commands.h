// The healthbook subcommands. Each returns the process exit code and prints
// its own errors (to stderr) so that main stays a dispatcher.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/config.h"

namespace hb::app {

int RunServe(const Config& cfg);

struct DemoArgs {
  int patients = 2000;
  uint64_t seed = 1;
};
int RunDemo(const Config& cfg, const DemoArgs& args);

// `healthbook synth`: a lifelong synthetic population as NDJSON files, one per type.
struct SynthArgs {
  int people = 1000;
  uint64_t seed = 1;
  std::string out;
};
int RunSynth(const Config& cfg, const SynthArgs& args);

// `healthbook import`: NDJSON or Bundle files (or folders of them) into the data folder;
// 1 when a line was bad or a reference dangles, 2 when the import could not run.
int RunImport(const Config& cfg, const std::vector<std::string>& inputs);

// Prints the FHIRPath `expression` evaluated over the FHIR JSON file as a JSON array of
// {"type", "value"}; 1 with a message on stderr for an unreadable input or a bad expression.
// memberOf()/subsumes() use the CodeSystems/ValueSets in the JSON files of `terminology_dir`
// (none when empty) and the built-in code systems.
int RunFhirpathEval(const std::string& input_path, const std::string& expression,
                    const std::string& terminology_dir = {});
// Registers the code systems the server always knows (ICD-10 of QĐ 4469) with
// search/terminology.h; idempotent.
void RegisterBuiltinCodeSystems();

// Prints the HL7 v2 messages of the file (- for stdin) as one JSON object on one line
// ({"messages": [...], "envelope": [...]}); 1 with the reason and position on stderr when the
// input is not valid HL7 v2.
int RunHl7Parse(const std::string& path);
// Prints the ACK healthbook would return for each message of the file (- for stdin), segments
// one per line; 1, with the reason on stderr, when one is not AA (an unparseable input gets AR).
int RunHl7Ack(const std::string& path);

// Prints the scanned CCCD or BHYT card QR payload `text` as one JSON object on one line;
// 1 with the reason on stderr when it cannot be read.
int RunIdParse(const std::string& text);

struct VietQrEncodeArgs {
  std::string bin;
  std::string account;
  bool card = false;                   // the number is a card (QRIBFTTC), not an account
  std::optional<std::string> amount;   // whole VND as typed; present makes the QR dynamic
  std::optional<std::string> bill;     // bill number (62.01)
  std::optional<std::string> purpose;  // transfer message (62.08), diacritics removed
  bool truncate_purpose = false;       // cut a purpose over 25 characters instead of failing
  std::string svg;                     // when set, also write the QR code as SVG here
  std::string png;                     // when set, also write the QR code as PNG here
};
// Prints the VietQR payload on one line (and writes the pictures asked for); 1 with the reason
// on stderr for an invalid field or a file that cannot be written.
int RunVietQrEncode(const VietQrEncodeArgs& args);
// Prints the fields of a VietQR payload as one JSON object on one line; 1 naming the reason
// for a CRC or structure error.
int RunVietQrDecode(const std::string& payload);

}  // namespace hb::app
