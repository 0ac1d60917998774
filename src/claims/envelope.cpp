#include "claims/envelope.h"

#include "claims/xml_text.h"
#include "common/base64.h"
#include "common/xml_escape.h"

namespace hb::claims {

std::string TableXml(const TableRows& t) {
  const TableDef& d = *t.def;
  std::string x;
  x.reserve(256 + t.rows.size() * d.fields.size() * 32);
  x += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<";
  x += d.root;
  x += '>';
  if (d.repeated()) x += "<" + d.list + ">";
  for (const auto& row : t.rows) {
    if (d.repeated()) x += "<" + d.row + ">";
    for (size_t i = 0; i < d.fields.size(); ++i) {
      const FieldDef& f = d.fields[i];
      x += '<';
      x += f.name;
      x += '>';
      if (f.cdata && !row[i].empty()) {
        AppendCdata(x, row[i]);
      } else {
        AppendXmlEscaped(x, row[i]);
      }
      x += "</";
      x += f.name;
      x += '>';
    }
    if (d.repeated()) x += "</" + d.row + ">";
  }
  if (d.repeated()) x += "</" + d.list + ">";
  x += "</" + d.root + ">\n";
  return x;
}

std::string EnvelopeXml(const std::vector<const ClaimRecord*>& records, std::string_view facility,
                        std::string_view ngaylap) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<GIAMDINHHS xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n<THONGTINDONVI><MACSKCB>";
  AppendXmlEscaped(x, facility);
  x += "</MACSKCB></THONGTINDONVI>\n<THONGTINHOSO><NGAYLAP>";
  AppendXmlEscaped(x, ngaylap);
  x += "</NGAYLAP><SOLUONGHOSO>" + std::to_string(records.size()) +
       "</SOLUONGHOSO>\n<DANHSACHHOSO>\n";
  for (const ClaimRecord* r : records) {
    x += "<HOSO>\n";
    for (const TableRows& t : r->tables) {
      x += "<FILEHOSO><LOAIHOSO>" + t.def->loaihoso + "</LOAIHOSO><NOIDUNGFILE>";
      x += Base64Encode(TableXml(t));
      x += "</NOIDUNGFILE></FILEHOSO>\n";
    }
    x += "</HOSO>\n";
  }
  x += "</DANHSACHHOSO>\n</THONGTINHOSO>\n<CHUKYDONVI></CHUKYDONVI>\n</GIAMDINHHS>\n";
  return x;
}

}  // namespace hb::claims
