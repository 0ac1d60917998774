#include "claims/envelope.h"

#include <openssl/evp.h>

#include "claims/xml_text.h"

namespace hb::claims {

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool Base64Decode(std::string_view text, std::string* out) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') clean.push_back(c);
  }
  if (clean.size() % 4 != 0) return false;
  out->assign(clean.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out->data()),
                                reinterpret_cast<const unsigned char*>(clean.data()),
                                static_cast<int>(clean.size()));
  if (n < 0) return false;
  size_t len = static_cast<size_t>(n);
  // EVP_DecodeBlock counts the padding as zero bytes.
  if (!clean.empty() && clean.back() == '=') --len;
  if (clean.size() > 1 && clean[clean.size() - 2] == '=') --len;
  out->resize(len);
  return true;
}

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
        AppendEscaped(x, row[i]);
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
  AppendEscaped(x, facility);
  x += "</MACSKCB></THONGTINDONVI>\n<THONGTINHOSO><NGAYLAP>";
  AppendEscaped(x, ngaylap);
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
