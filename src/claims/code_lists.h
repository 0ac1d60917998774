// The code lists the insurance tables use (GIOI_TINH, MA_LOAI_KCB, MA_DOITUONG_KCB,
// KET_QUA_DTRI, MA_LOAI_RV, MA_NHOM, PHAM_VI, MA_PTTT, DUONG_DUNG, MA_DANTOC, ...), from
// resources/catalogs/claims/code-lists.csv: LIST, CODE, DISPLAY_VI, DISPLAY_EN,
// VALID_FROM, VALID_TO (yyyyMMdd, empty = open), SOURCE. Lists are data so that a new
// decision of the Ministry is a data change, not a code change.
//
// Contract: immutable after Load; thread-safe. Failure modes: kInvalidArgument for a
// malformed file (missing column, bad date).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hb::claims {

struct CodeEntry {
  std::string display_vi, display_en;
  int valid_from = 0;  // yyyyMMdd; 0 = always
  int valid_to = 0;    // yyyyMMdd; 0 = open
};

class CodeLists {
 public:
  static Result<CodeLists> Load(std::string_view csv);
  // The embedded resources/catalogs/claims/code-lists.csv.
  static const CodeLists& Embedded();

  bool HasList(std::string_view list) const;
  // Whether `code` is in `list` and valid on `day` (yyyyMMdd; 0 = any day).
  bool Contains(std::string_view list, std::string_view code, int day = 0) const;
  // Nullptr when absent.
  const CodeEntry* Find(std::string_view list, std::string_view code) const;
  // The first code of `list` valid on `day` ("" when none): for lists that hold one value
  // per period, such as LUONG_CO_SO (the base salary).
  std::string_view ValidOn(std::string_view list, int day) const;

 private:
  std::map<std::string, std::map<std::string, CodeEntry, std::less<>>, std::less<>> lists_;
};

// yyyyMMdd as an int; 0 for an empty text; -1 when malformed.
int ParseDay(std::string_view yyyymmdd);

}  // namespace hb::claims
