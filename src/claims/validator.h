// Checks a claim the way the assessment portal would, before it is sent, and any
// GIAMDINHHS file handed to it (`healthbook claims validate FILE`):
//   structure  the envelope, each inner table's root/list/row, every element present in
//              the schema's order and nothing else (envelope.h);
//   fields     mandatory values, official types (Số = a number) and sizes (characters),
//              formats (dates, date-times, NGAY_SINH zeros, card numbers, facility codes,
//              ICD-10 codes that exist in QĐ 4469, decimals with at most 2 or 3 places),
//              code lists (code_lists.h);
//   lines      XML2/XML3 arithmetic: THANH_TIEN_BV, THANH_TIEN_BH, T_NGUONKHAC, and the
//              split into T_BHTT, T_BNCCT, T_BNTT by MUC_HUONG (case (a) of T_NGUONKHAC);
//   totals     every XML1 total against its table sums, T_BHTT = T_TONGCHI_BH - T_BNCCT;
//   links      MA_LK the same in every table, STT 1..n, tables that must or must not be
//              there (XML5 treatments, XML7/XML8 admissions, XML13 referrals), XML4
//              services billed in XML3, dates in order, the card valid on admission,
//              the repeated fields of XML7/8/13/14 equal to XML1's.
// Each error names table, row, field, rule and value, in Vietnamese and English.
//
// Contract: pure; thread-safe; never throws. `catalogs.icd` and `catalogs.codes` may be
// null (those checks are then skipped).
#pragma once

#include <string_view>

#include "claims/claim_error.h"
#include "claims/claim_record.h"
#include "claims/costing.h"

namespace hb::claims {

ClaimErrors ValidateRecord(const ClaimRecord& record, const Catalogs& catalogs);

// The whole file: envelope, each HOSO, and (optionally) that it carries a signature.
// `version` is detected from the file (DetectVersion) unless given.
struct FileCheck {
  ClaimErrors errors;
  size_t records = 0;
  bool signed_file = false;
  SchemaVersion version = SchemaVersion::k4750;
  bool ok() const { return errors.empty(); }
};
FileCheck ValidateFile(std::string_view xml, const Catalogs& catalogs,
                       const SchemaVersion* version = nullptr);

// Internal parts of ValidateRecord, one file each.
void CheckFields(const ClaimRecord& r, const Catalogs& catalogs, ClaimErrors& errors);
void CheckMoney(const ClaimRecord& r, ClaimErrors& errors);
void CheckLinks(const ClaimRecord& r, ClaimErrors& errors);

}  // namespace hb::claims
