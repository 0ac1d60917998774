// Fuzzes what a facility or a portal hands back as a claim file: claims::ValidateFile (the
// GIAMDINHHS envelope, base64 inner tables, every table's XML and the rules over them), as
// `healthbook claims validate` runs it on any file. Property beyond "no crash": a file
// judged valid reports at least one record (an empty envelope is not a valid claim).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "claims/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hb::claims;
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  static const Catalogs catalogs{&CodeLists::Embedded(), nullptr, nullptr};
  FileCheck check = ValidateFile(xml, catalogs);
  if (check.ok() && check.records == 0) std::abort();
  return 0;
}
