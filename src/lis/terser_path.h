// TerserPath: the textual address of one value in an HL7 v2 message, as engineers write it
// in interface specifications: "PID-3", "PID-3(2).1", "OBX(3)-5.1", "PID-3.4.2".
//
// Grammar (all numbers 1-based, as in the standard's "PID-3"):
//   path  = SEG ["(" n ")"] "-" FIELD ["(" n ")"] [sep COMP [sep SUB]]
//   sep   = "." | "-"
// SEG is three uppercase letters or digits; "(n)" after it picks the n-th segment of that name,
// after FIELD the n-th repetition. Left out, the segment and repetition are the first ones,
// and Get() reads the first component and subcomponent (so "PID-5" reads the family name).
// Contract: a value type; Parse is pure and thread-safe; errors say where the path breaks.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace hb::lis {

struct TerserPath {
  std::string segment;
  int segment_rep = 1;
  int field = 0;
  int field_rep = 0;  // 0: not given
  int component = 0;  // 0: not given
  int subcomponent = 0;

  static Result<TerserPath> Parse(std::string_view text);
  std::string ToString() const;
};

}  // namespace hb::lis
