#include "storage/json_codec.h"

#include <zstd.h>

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "common/embedded.h"

HB_EMBEDDED(hb_json_dictionary_1)

namespace hb::storage {

namespace {

// zstd's default level: with the dictionary, level 1 stores 7 % more bytes and level 6 5 %
// fewer at a lower speed (measured on 5,000 resources of the synthetic province).
constexpr int kLevel = 3;
// Below this, the frame header (magic, descriptor, dictionary id, size: 8 bytes) rarely pays.
constexpr size_t kMinCompressed = 48;
// No stored resource is larger (the server takes bodies of a few MB): a damaged header must
// not make a reader allocate gigabytes before the frame is found bad.
constexpr unsigned long long kMaxJson = 256ull << 20;

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};
struct DDictFree {
  void operator()(ZSTD_DDict* d) const { ZSTD_freeDDict(d); }
};

struct Known {
  std::string bytes;
  std::unique_ptr<ZSTD_DDict, DDictFree> ddict;
};

class Registry {
 public:
  static Registry& Get() {
    static Registry* r = new Registry();  // lives to the end: threads may decode at exit
    return *r;
  }
  Status Add(uint32_t id, std::string_view bytes) {
    std::unique_lock lock(mu_);
    auto it = known_.find(id);
    if (it != known_.end()) {
      if (it->second.bytes == bytes) return Status::Ok();
      return Status(ErrorCode::kStorageError,
                    "JSON dictionary " + std::to_string(id) +
                        " of this store differs from the one this build knows by that id");
    }
    if (ZSTD_getDictID_fromDict(bytes.data(), bytes.size()) != id) {
      return Status(ErrorCode::kStorageError,
                    "JSON dictionary " + std::to_string(id) + " is not a zstd dictionary of that id");
    }
    Known k;
    k.bytes = std::string(bytes);
    k.ddict.reset(ZSTD_createDDict(k.bytes.data(), k.bytes.size()));
    if (!k.ddict) return Status(ErrorCode::kStorageError, "cannot load JSON dictionary");
    known_.emplace(id, std::move(k));
    return Status::Ok();
  }
  const ZSTD_DDict* Find(uint32_t id) {
    // Nearly every frame names the built-in dictionary: no lock for it (entries are never
    // removed, so its pointer stays valid).
    if (id == built_in_id_) return built_in_;
    std::shared_lock lock(mu_);
    auto it = known_.find(id);
    return it == known_.end() ? nullptr : it->second.ddict.get();
  }

 private:
  Registry() {
    JsonDictionary d = BuiltInJsonDictionary();
    Status st = Add(d.id, d.bytes);
    if (!st.ok()) std::abort();  // the build embedded a broken dictionary: a build fault
    built_in_ = known_.at(d.id).ddict.get();
    built_in_id_ = d.id;
  }
  uint32_t built_in_id_ = 0;  // 0 (no dictionary) until the constructor has registered it
  const ZSTD_DDict* built_in_ = nullptr;
  std::shared_mutex mu_;
  std::unordered_map<uint32_t, Known> known_;
};

const ZSTD_CDict* BuiltInCDict() {
  static const ZSTD_CDict* cdict = [] {
    JsonDictionary d = BuiltInJsonDictionary();
    return ZSTD_createCDict(d.bytes.data(), d.bytes.size(), kLevel);
  }();
  return cdict;
}

// Every frame carries its content size (DecodeJson sizes its output from it), the dictionary
// id, and a checksum of the content (4 bytes): neither SQLite nor PostgreSQL as Debian
// initialises it checksums its pages, and damage inside a compressed block could otherwise
// decompress to other bytes of the right length. zstd verifies it when decoding.
ZSTD_CCtx* ThreadCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> ctx = [] {
    std::unique_ptr<ZSTD_CCtx, CCtxFree> c(ZSTD_createCCtx());
    ZSTD_CCtx_setParameter(c.get(), ZSTD_c_contentSizeFlag, 1);
    ZSTD_CCtx_setParameter(c.get(), ZSTD_c_checksumFlag, 1);
    ZSTD_CCtx_setParameter(c.get(), ZSTD_c_dictIDFlag, 1);
    ZSTD_CCtx_refCDict(c.get(), BuiltInCDict());  // kept across frames (sticky parameter)
    return c;
  }();
  return ctx.get();
}

ZSTD_DCtx* ThreadDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> ctx(ZSTD_createDCtx());
  return ctx.get();
}

Status Corrupt(const std::string& why) {
  return Status(ErrorCode::kStorageError, "a stored resource cannot be decompressed: " + why);
}

}  // namespace

JsonDictionary BuiltInJsonDictionary() {
  std::string_view bytes = hb_json_dictionary_1_view();
  return JsonDictionary{ZSTD_getDictID_fromDict(bytes.data(), bytes.size()), bytes};
}

Status RegisterJsonDictionary(uint32_t id, std::string_view bytes) {
  return Registry::Get().Add(id, bytes);
}

bool IsCompressedJson(std::string_view stored) {
  return stored.size() >= 4 && static_cast<unsigned char>(stored[0]) == 0x28 &&
         static_cast<unsigned char>(stored[1]) == 0xB5 &&
         static_cast<unsigned char>(stored[2]) == 0x2F &&
         static_cast<unsigned char>(stored[3]) == 0xFD;
}

std::string_view EncodeJson(std::string_view json, std::string& buffer) {
  if (json.size() < kMinCompressed) return json;
  buffer.resize(ZSTD_compressBound(json.size()));
  size_t n = ZSTD_compress2(ThreadCCtx(), buffer.data(), buffer.size(), json.data(), json.size());
  if (ZSTD_isError(n) || n >= json.size()) return json;
  buffer.resize(n);
  return buffer;
}

Result<std::string> DecodeJson(std::string_view stored) {
  if (!IsCompressedJson(stored)) return std::string(stored);
  unsigned long long size = ZSTD_getFrameContentSize(stored.data(), stored.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    return Corrupt("no frame header");
  }
  if (size > kMaxJson) return Corrupt("frame claims " + std::to_string(size) + " bytes");
  uint32_t id = ZSTD_getDictID_fromFrame(stored.data(), stored.size());
  const ZSTD_DDict* ddict = Registry::Get().Find(id);
  if (ddict == nullptr) {
    return Corrupt("it was written with JSON dictionary " + std::to_string(id) +
                   ", which this store does not carry");
  }
  std::string out;
  out.resize(static_cast<size_t>(size));
  size_t n = ZSTD_decompress_usingDDict(ThreadDCtx(), out.data(), out.size(), stored.data(),
                                        stored.size(), ddict);
  if (ZSTD_isError(n)) return Corrupt(ZSTD_getErrorName(n));
  if (n != out.size()) return Corrupt("short frame");
  return out;
}

}  // namespace hb::storage
