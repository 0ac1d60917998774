// Fuzzes JSON Patch (PATCH bodies): fhir::ApplyJsonPatch over a target document.
// Input: the patch document, a newline, the target document (fuzz/corpus/json_patch/ has
// examples). Property beyond "no crash": a patch that fails leaves the target unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fhir/json.h"
#include "fhir/json_patch.h"
#include "fhir/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hb::fhir;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t newline = text.find('\n');
  if (newline == std::string_view::npos) return 0;
  auto patch = ParseJson(text.substr(0, newline));
  auto target = ParseJson(text.substr(newline + 1));
  if (!patch.ok() || !target.ok()) return 0;
  std::string before = Serialize(*target);
  if (!ApplyJsonPatch(*target, *patch).ok()) {
    if (Serialize(*target) != before) std::abort();  // atomic: unchanged on failure
    return 0;
  }
  std::string after = Serialize(*target);
  if (!ParseJson(after).ok()) std::abort();
  (void)ValidateResource(*target, nullptr);  // as the server does with the patched resource
  return 0;
}
