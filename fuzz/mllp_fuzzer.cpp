// Fuzzes the MLLP framing of a TCP stream (lis::MllpDecoder): arbitrary bytes fed in
// arbitrary chunks. Properties beyond "no crash": every byte is accounted for (the events
// never claim more bytes than were fed), and feeding the same bytes in one piece or byte by
// byte gives the same events.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "lis/mllp.h"

namespace {

std::vector<std::string> Run(std::string_view bytes, size_t chunk) {
  hb::lis::MllpDecoderOptions o;
  o.max_frame_bytes = 4096;  // small, so that oversize frames are reached
  hb::lis::MllpDecoder d(o);
  for (size_t i = 0; i < bytes.size(); i += chunk) d.Feed(bytes.substr(i, chunk));
  d.Finish();
  std::vector<std::string> out;
  hb::lis::MllpEvent e;
  while (d.Next(&e)) {
    if (e.offset > bytes.size()) std::abort();
    out.push_back(std::to_string(static_cast<int>(e.kind)) + ":" + std::to_string(e.offset) +
                  ":" + e.payload);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (Run(bytes, bytes.size() + 1) != Run(bytes, 1)) std::abort();
  return 0;
}
