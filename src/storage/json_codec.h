// How a resource's JSON is kept in the `version` table of both stores: as a zstd frame
// compressed with a dictionary trained on FHIR JSON (docs/implementation/storage.md,
// "Compressed JSON"). FHIR JSON repeats the same keys, systems and codes in every resource,
// so a 64 KiB dictionary takes a ~900-byte resource to ~115 bytes (7.8x, measured on the
// synthetic province), where zstd without one manages under 2x on values this short.
//
// - Encoding always uses the dictionary built into the binary
//   (resources/storage/fhir-json-1.zdict, made by scripts/train-json-dictionary.sh). Its id is
//   written in every frame's header.
// - Decoding reads the dictionary id from the frame, so a store stays readable when a later
//   build ships another dictionary: every store keeps each dictionary it was written with in
//   its `json_dictionary` table and registers them here when it opens.
// - Bytes that are not a zstd frame are returned as they are: JSON always begins with `{`,
//   never with the frame magic (28 B5 2F FD), so rows written before compression (or ones too
//   short to gain from it) are read unchanged and need no migration of the data.
//
// Thread-safety: every function may be called from any thread. Encoding and decoding use a
// compression context per thread; the dictionary registry is read-mostly (a shared lock).
// Failure: DecodeJson returns kStorageError for a frame that cannot be decompressed (an unknown
// dictionary, a corrupt row, a content checksum that does not match); it never returns partial
// or altered JSON (every frame this code writes carries a content checksum; a frame without
// one decodes without the check).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hb::storage {

struct JsonDictionary {
  uint32_t id = 0;
  std::string_view bytes;
};

// The dictionary new writes use (embedded in the binary).
JsonDictionary BuiltInJsonDictionary();

// Makes a store's dictionary known to DecodeJson. Ok when `id` is new, or already known with
// the same bytes; kStorageError when `id` is known with other bytes or the bytes are no zstd
// dictionary.
Status RegisterJsonDictionary(uint32_t id, std::string_view bytes);

// The bytes to store for `json`: a zstd frame written into `buffer` (reused between calls),
// or `json` itself when compressing would not make it shorter. The view is valid while both
// `json` and `buffer` are.
std::string_view EncodeJson(std::string_view json, std::string& buffer);

// The JSON of stored bytes (see above).
Result<std::string> DecodeJson(std::string_view stored);

// True when `stored` begins with the zstd frame magic.
bool IsCompressedJson(std::string_view stored);

}  // namespace hb::storage
