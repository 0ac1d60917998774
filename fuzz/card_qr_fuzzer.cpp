// Fuzzes what a reception scanner types: identity::ParseCardQr (CCCD and health-insurance
// card QR payloads, NFC normalisation, hex-decoded text). Property beyond "no crash": an
// accepted card's text fields are valid UTF-8 (they go into FHIR resources as they are).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "common/utf8.h"
#include "identity/card_qr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto card = hb::identity::ParseCardQr(text);
  if (!card.ok()) return 0;
  std::visit(
      [](const auto& c) {
        if (!hb::IsValidUtf8(c.name) || !hb::IsValidUtf8(c.address)) std::abort();
      },
      *card);
  return 0;
}
