// Fuzzes what a laboratory analyzer or LIS sends: lis::ParseMessage and lis::ParseBatch
// (delimiters from MSH, escapes, repetitions, batches, character sets). Property checked
// beyond "no crash": a message that parses encodes, in its declared character set
// (EncodeForWire: what we send), to text that parses again to the same UTF-8 encoding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lis/encoder.h"
#include "lis/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hb::lis;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)ParseBatch(text);
  auto msg = ParseMessage(text);
  if (!msg.ok()) return 0;
  auto wire = EncodeForWire(*msg);
  if (!wire.ok()) return 0;
  auto again = ParseMessage(*wire);
  if (!again.ok()) std::abort();  // what we write we must read
  if (Encode(*again) != Encode(*msg)) std::abort();
  return 0;
}
