#include "app/web_assets.h"

#include <cstdint>
#include <string>

// Written by cmake/gen_web_assets.cmake: a count, a flag, then 8 offsets/lengths per file,
// all relative to the symbol itself.
extern "C" const char hb_web_manifest[];

namespace hb::app {

namespace {

uint64_t Word(size_t index) {
  uint64_t v;
  __builtin_memcpy(&v, hb_web_manifest + index * sizeof(uint64_t), sizeof v);
  return v;
}

std::string_view Slice(uint64_t offset, uint64_t length) {
  return std::string_view(hb_web_manifest + offset, static_cast<size_t>(length));
}

}  // namespace

std::vector<http::SiteFile> EmbeddedWebFiles() {
  std::vector<http::SiteFile> files;
  const uint64_t count = Word(0);
  files.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    const size_t w = 2 + i * 8;
    http::SiteFile f;
    f.path = std::string(Slice(Word(w), Word(w + 1)));
    f.body = Slice(Word(w + 2), Word(w + 3));
    if (Word(w + 5) != 0) f.gzip_body = Slice(Word(w + 4), Word(w + 5));
    f.etag = std::string(Slice(Word(w + 6), Word(w + 7)));
    files.push_back(std::move(f));
  }
  return files;
}

bool EmbeddedWebAppBuilt() { return Word(1) == 1; }

}  // namespace hb::app
