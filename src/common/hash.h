// FNV-1a, 64 bits: a stable, fast, non-cryptographic digest for ids and codes derived from
// keys (the same key gives the same id on every machine and every run). Never for secrets,
// nor where someone could choose colliding inputs to their advantage.
#pragma once

#include <cstdint>
#include <string_view>

namespace hb {

inline constexpr uint64_t kFnv1a64Offset = 14695981039346656037ull;
inline constexpr uint64_t kFnv1a64Prime = 1099511628211ull;

// The digest of `data`, continuing from `h` (chain calls to digest several parts).
constexpr uint64_t Fnv1a64(std::string_view data, uint64_t h = kFnv1a64Offset) {
  for (char c : data) h = (h ^ static_cast<uint8_t>(c)) * kFnv1a64Prime;
  return h;
}

}  // namespace hb
