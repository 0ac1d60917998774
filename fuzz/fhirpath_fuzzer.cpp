// Fuzzes FHIRPath expressions (search parameters, invariants, the fhirpath command):
// fhirpath::Expression::Compile, then the static Check against the R4 model.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fhirpath/fhirpath.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto expr = hb::fhirpath::Expression::Compile(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!expr.ok()) return 0;
  (void)expr->Check("Patient");
  return 0;
}
