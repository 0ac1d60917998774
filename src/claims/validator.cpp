#include "claims/validator.h"

#include <fmt/format.h>

#include "claims/envelope.h"

namespace hb::claims {

std::string FormatError(const ClaimError& e) {
  std::string where = e.table;
  if (e.row > 0) where += fmt::format(" dòng/row {}", e.row);
  if (!e.field.empty()) where += " " + e.field;
  return fmt::format("{} [{}] '{}': {} / {}", where, e.rule, e.value, e.message_vi, e.message_en);
}

ClaimErrors ValidateRecord(const ClaimRecord& r, const Catalogs& catalogs) {
  ClaimErrors errors;
  CheckFields(r, catalogs, errors);
  CheckMoney(r, errors);
  CheckLinks(r, errors);
  return errors;
}

FileCheck ValidateFile(std::string_view xml, const Catalogs& catalogs,
                       const SchemaVersion* version) {
  FileCheck out;
  out.version = version ? *version : DetectVersion(xml);
  ParsedFile f = ParseEnvelope(xml, out.version, &out.errors);
  out.records = f.records.size();
  out.signed_file = f.has_signature;
  if (f.ngaylap.size() != 8 || f.ngaylap.find_first_not_of("0123456789") != std::string::npos) {
    out.errors.push_back({"GIAMDINHHS", 0, "NGAYLAP", "format", f.ngaylap,
                          "NGAYLAP phải có dạng yyyyMMdd", "NGAYLAP must be yyyyMMdd"});
  }
  for (const ClaimRecord& r : f.records) {
    for (ClaimError& e : ValidateRecord(r, catalogs)) out.errors.push_back(std::move(e));
    const char* main = r.Find("XML1") || !r.Find("XML0") ? "XML1" : "XML0";  // XML0: a check-in
    std::string_view cskcb = r.Value(main, "MA_CSKCB");
    if (!cskcb.empty() && cskcb != f.facility) {
      out.errors.push_back({main, 1, "MA_CSKCB", "facility", std::string(cskcb),
                            "MA_CSKCB khác MACSKCB của tệp (" + f.facility + ")",
                            "MA_CSKCB differs from the file's MACSKCB (" + f.facility + ")"});
    }
  }
  return out;
}

}  // namespace hb::claims
