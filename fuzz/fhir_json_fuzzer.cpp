// Fuzzes what a client sends as a resource body: fhir::ParseJson, then fhir::ValidateResource,
// then the canonical serialisation the store keeps. Properties checked beyond "no crash":
// whatever parses serialises to JSON that parses again to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fhir/json.h"
#include "fhir/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hb::fhir;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = ParseJson(text);
  if (!doc.ok()) return 0;
  std::string once = Serialize(*doc);
  auto again = ParseJson(once);
  if (!again.ok() || Serialize(*again) != once) std::abort();  // the round trip must hold

  ResourceFacts facts;
  if (!ValidateResource(*doc, &facts).ok() || !doc->IsObject()) return 0;
  std::string stored = SerializeResource(*doc, "fuzz", "1", "2024-01-02T03:04:05.678Z");
  if (!ParseJson(stored).ok()) std::abort();  // the store's bytes must be served as JSON
  return 0;
}
