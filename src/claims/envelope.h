// The GIAMDINHHS file (shared/reference §1): the facility, the date, and one HOSO per
// episode holding one FILEHOSO per table, each the base64 of the table's own UTF-8 XML
// document; the facility's signature goes in CHUKYDONVI (signer.h).
//
//   <GIAMDINHHS xmlns:xsd=... xmlns:xsi=...>
//     <THONGTINDONVI><MACSKCB/></THONGTINDONVI>
//     <THONGTINHOSO><NGAYLAP/><SOLUONGHOSO/><DANHSACHHOSO><HOSO><FILEHOSO>
//       <LOAIHOSO>XML1</LOAIHOSO><NOIDUNGFILE>base64</NOIDUNGFILE></FILEHOSO>...
//     </HOSO></DANHSACHHOSO></THONGTINHOSO>
//     <CHUKYDONVI/>
//   </GIAMDINHHS>
//
// Inner tables are written in the schema's field order, every element present (empty when
// there is no value), free text in CDATA, the rest escaped.
//
// Contract: pure; thread-safe. ParseEnvelope never throws: what it cannot read becomes
// ClaimErrors (table "GIAMDINHHS" for the envelope, the LOAIHOSO for an inner file).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "claims/claim_error.h"
#include "claims/claim_record.h"

namespace hb::claims {

// One table as its own XML document.
std::string TableXml(const TableRows& table);
// The unsigned envelope (an empty CHUKYDONVI) of `records`, all from `facility`; `ngaylap`
// is yyyyMMdd.
std::string EnvelopeXml(const std::vector<const ClaimRecord*>& records, std::string_view facility,
                        std::string_view ngaylap);

struct ParsedFile {
  std::string facility;  // MACSKCB
  std::string ngaylap;
  std::vector<ClaimRecord> records;
  bool has_signature = false;  // a ds:Signature in CHUKYDONVI
};

// Reads an envelope back into records, checking the envelope's own structure and each
// inner file's elements against `version` (order, unknown and missing elements).
// `version` may be detected with DetectVersion.
ParsedFile ParseEnvelope(std::string_view xml, SchemaVersion version, ClaimErrors* errors);
// 3176 when an XML13 inside uses the 3176 names, else 4750.
SchemaVersion DetectVersion(std::string_view xml);

}  // namespace hb::claims
