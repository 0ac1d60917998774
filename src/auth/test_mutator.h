// TestMutator: seeded random edits of a valid input, the stand-in for a fuzzer in
// hb_auth's unit tests (every parser of outside input gets a mutation test).
//
// Contract: test-only and header-only. Deterministic for a given seed; one
// instance is not thread-safe (it owns its RNG). Each Mutate makes one to three
// edits: overwrite a byte, delete a short run, or insert a byte. New bytes come
// from `alphabet`, or are any byte when it is empty.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace hb::auth {

class TestMutator {
 public:
  TestMutator(uint32_t seed, std::string_view alphabet) : rng_(seed), alphabet_(alphabet) {}

  std::string Mutate(std::string_view input) {
    std::string m(input);
    for (int edits = 1 + int(rng_() % 3); edits > 0 && !m.empty(); --edits) {
      size_t at = rng_() % m.size();
      switch (rng_() % 3) {
        case 0:
          m[at] = Byte();
          break;
        case 1:
          m.erase(at, 1 + rng_() % 6);
          break;
        default:
          m.insert(at, 1, Byte());
          break;
      }
    }
    return m;
  }

 private:
  char Byte() {
    return alphabet_.empty() ? char(rng_() % 256) : alphabet_[rng_() % alphabet_.size()];
  }

  std::mt19937 rng_;
  std::string alphabet_;
};

}  // namespace hb::auth
