// Reading a GIAMDINHHS file back: the envelope, then each inner table against its schema.
#include <pugixml.hpp>

#include "claims/envelope.h"
#include "common/base64.h"

namespace hb::claims {

namespace {

void Add(ClaimErrors* errors, std::string table, int row, std::string field, std::string rule,
         std::string value, std::string vi, std::string en) {
  errors->push_back(ClaimError{std::move(table), row, std::move(field), std::move(rule),
                               std::move(value), std::move(vi), std::move(en)});
}

// All the text of an element: a CDATA section split around "]]>" is several nodes.
std::string Text(const pugi::xml_node& n) {
  std::string out;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return out;
}

bool HasElementChild(const pugi::xml_node& n) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) return true;
  }
  return false;
}

// One record (a row) of a table: every field in order, nothing else.
void ReadRow(const pugi::xml_node& parent, const TableDef& d, int row_no,
             std::vector<std::string>& row, ClaimErrors* errors) {
  row.assign(d.fields.size(), std::string());
  pugi::xml_node child = parent.first_child();
  auto next_element = [](pugi::xml_node n) {
    while (n && n.type() != pugi::node_element) n = n.next_sibling();
    return n;
  };
  child = next_element(child);
  size_t i = 0;
  while (child && i < d.fields.size()) {
    const std::string name = child.name();
    if (name == d.fields[i].name) {
      if (HasElementChild(child)) {
        Add(errors, d.loaihoso, row_no, name, "structure", "", "Trường chứa phần tử con",
            "the field holds child elements");
      }
      row[i] = Text(child);
      child = next_element(child.next_sibling());
      ++i;
      continue;
    }
    const int at = d.IndexOf(name);
    if (at < 0) {
      Add(errors, d.loaihoso, row_no, name, "unknown-element", "",
          "Phần tử không có trong bảng " + d.loaihoso, "no such element in " + d.loaihoso);
      child = next_element(child.next_sibling());
    } else if (static_cast<size_t>(at) > i) {
      Add(errors, d.loaihoso, row_no, d.fields[i].name, "missing-element", "",
          "Thiếu phần tử (phải đứng trước " + name + ")",
          "the element is missing (it must come before " + name + ")");
      ++i;
    } else {
      Add(errors, d.loaihoso, row_no, name, "order", "", "Phần tử sai thứ tự hoặc lặp lại",
          "the element is out of order or repeated");
      child = next_element(child.next_sibling());
    }
  }
  for (; i < d.fields.size(); ++i) {
    Add(errors, d.loaihoso, row_no, d.fields[i].name, "missing-element", "", "Thiếu phần tử",
        "the element is missing");
  }
  for (; child; child = next_element(child.next_sibling())) {
    Add(errors, d.loaihoso, row_no, child.name(), "unknown-element", "",
        "Phần tử thừa sau trường cuối của bảng", "an extra element after the table's last field");
  }
}

void ReadTable(std::string_view xml, const TableDef& d, TableRows& out, ClaimErrors* errors) {
  pugi::xml_document doc;
  pugi::xml_parse_result ok =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!ok) {
    Add(errors, d.loaihoso, 0, "", "xml", ok.description(), "Tệp bảng không phải XML hợp lệ",
        std::string("the table is not well-formed XML: ") + ok.description());
    return;
  }
  pugi::xml_node root = doc.document_element();
  if (d.root != root.name()) {
    Add(errors, d.loaihoso, 0, "", "root", root.name(), "Phần tử gốc phải là " + d.root,
        "the root element must be " + d.root);
    return;
  }
  if (!d.repeated()) {
    out.rows.emplace_back();
    ReadRow(root, d, 1, out.rows.back(), errors);
    return;
  }
  pugi::xml_node list = root.child(d.list.c_str());
  if (!list) {
    Add(errors, d.loaihoso, 0, d.list, "structure", "", "Thiếu phần tử " + d.list,
        "the list element " + d.list + " is missing");
    return;
  }
  int n = 0;
  for (pugi::xml_node r = list.child(d.row.c_str()); r; r = r.next_sibling(d.row.c_str())) {
    out.rows.emplace_back();
    ReadRow(r, d, ++n, out.rows.back(), errors);
  }
  if (n == 0) {
    Add(errors, d.loaihoso, 0, d.row, "structure", "", "Bảng không có dòng nào",
        "the table has no rows");
  }
}

}  // namespace

SchemaVersion DetectVersion(std::string_view xml) {
  // Only XML13 differs; its inner file is base64, so decode the XML13 files only.
  size_t at = 0;
  while ((at = xml.find("<LOAIHOSO>XML13</LOAIHOSO>", at)) != std::string_view::npos) {
    const size_t open = xml.find("<NOIDUNGFILE>", at);
    const size_t close = xml.find("</NOIDUNGFILE>", open);
    if (open == std::string_view::npos || close == std::string_view::npos) break;
    std::optional<std::string> inner =
        Base64Decode(xml.substr(open + 13, close - open - 13), kBase64Mime);
    if (inner && inner->find("<MA_CSKCB_DEN>") != std::string::npos) return SchemaVersion::k3176;
    at = close;
  }
  return SchemaVersion::k4750;
}

ParsedFile ParseEnvelope(std::string_view xml, SchemaVersion version, ClaimErrors* errors) {
  ParsedFile out;
  const std::string env = "GIAMDINHHS";
  pugi::xml_document doc;
  pugi::xml_parse_result ok =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!ok) {
    Add(errors, env, 0, "", "xml", ok.description(), "Tệp không phải XML hợp lệ",
        std::string("the file is not well-formed XML: ") + ok.description());
    return out;
  }
  pugi::xml_node root = doc.document_element();
  if (env != root.name()) {
    Add(errors, env, 0, "", "root", root.name(), "Phần tử gốc phải là GIAMDINHHS",
        "the root element must be GIAMDINHHS");
    return out;
  }
  out.facility = root.child("THONGTINDONVI").child("MACSKCB").text().get();
  if (out.facility.empty())
    Add(errors, env, 0, "MACSKCB", "required", "", "Thiếu mã cơ sở KBCB", "MACSKCB is missing");
  pugi::xml_node info = root.child("THONGTINHOSO");
  out.ngaylap = info.child("NGAYLAP").text().get();
  const std::string count = info.child("SOLUONGHOSO").text().get();
  pugi::xml_node sig = root.child("CHUKYDONVI");
  if (!sig)
    Add(errors, env, 0, "CHUKYDONVI", "required", "", "Thiếu CHUKYDONVI", "CHUKYDONVI is missing");
  for (pugi::xml_node c = sig.first_child(); c; c = c.next_sibling()) {
    std::string_view n = c.name();
    if (n == "Signature" || n.ends_with(":Signature")) out.has_signature = true;
  }
  const SchemaSet& schemas = Schemas(version);
  pugi::xml_node list = info.child("DANHSACHHOSO");
  for (pugi::xml_node hoso = list.child("HOSO"); hoso; hoso = hoso.next_sibling("HOSO")) {
    ClaimRecord r;
    r.version = version;
    r.facility = out.facility;
    for (pugi::xml_node f = hoso.child("FILEHOSO"); f; f = f.next_sibling("FILEHOSO")) {
      const std::string type = f.child("LOAIHOSO").text().get();
      const TableDef* d = schemas.Table(type);
      if (!d) {
        Add(errors, env, static_cast<int>(out.records.size() + 1), "LOAIHOSO", "code-list", type,
            "Loại hồ sơ không được hỗ trợ", "this table type is not supported");
        continue;
      }
      std::optional<std::string> inner =
          Base64Decode(f.child("NOIDUNGFILE").text().get(), kBase64Mime);
      if (!inner) {
        Add(errors, type, 0, "NOIDUNGFILE", "base64", "", "NOIDUNGFILE không phải base64",
            "NOIDUNGFILE is not base64");
        continue;
      }
      r.tables.push_back(TableRows{d, {}});
      ReadTable(*inner, *d, r.tables.back(), errors);
    }
    if (const TableRows* x1 = r.Find("XML1"); x1 && !x1->rows.empty())
      r.ma_lk = x1->rows[0][x1->def->IndexOf("MA_LK")];
    out.records.push_back(std::move(r));
  }
  if (out.records.empty())
    Add(errors, env, 0, "HOSO", "required", "", "Không có hồ sơ nào", "the file holds no HOSO");
  if (count != std::to_string(out.records.size()))
    Add(errors, env, 0, "SOLUONGHOSO", "count", count, "SOLUONGHOSO khác số HOSO trong tệp",
        "SOLUONGHOSO differs from the number of HOSO (" + std::to_string(out.records.size()) + ")");
  return out;
}

}  // namespace hb::claims
