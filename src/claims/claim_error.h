// One problem with a claim, as the builder and the validator report it: where (table,
// 1-based row, field), which rule, the offending value, and what is wrong in Vietnamese
// and English, so that a records clerk can fix the source and a developer can find it.
#pragma once

#include <string>
#include <vector>

namespace hb::claims {

struct ClaimError {
  std::string table;  // "XML1", "GIAMDINHHS" for the envelope, "FHIR" for source data
  int row = 0;        // 1-based; 0 for the table or the file as a whole
  std::string field;
  std::string rule;  // required, max-size, number, format, code-list, order, sum, ...
  std::string value;
  std::string message_vi;
  std::string message_en;
};

using ClaimErrors = std::vector<ClaimError>;

// "XML2 row 3 THANH_TIEN_BV [sum] '1200.5': ... / ..." on one line.
std::string FormatError(const ClaimError& e);

}  // namespace hb::claims
