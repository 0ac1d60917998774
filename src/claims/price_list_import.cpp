#include "claims/price_list_import.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/csv.h"
#include "common/utf8.h"

namespace hb::claims {

namespace {

namespace fs = std::filesystem;

Status Bad(std::string_view source, const std::string& why) {
  return Status(ErrorCode::kInvalidArgument, std::string(source) + ": " + why);
}

// UTF-16 (with its byte-order mark, as Excel's "Unicode Text" writes it) to UTF-8.
Result<std::string> FromUtf16(std::string_view b, bool little, std::string_view source) {
  std::string out;
  auto unit = [&](size_t i) {
    const auto lo = static_cast<unsigned char>(b[i]), hi = static_cast<unsigned char>(b[i + 1]);
    return static_cast<char32_t>(little ? (hi << 8 | lo) : (lo << 8 | hi));
  };
  for (size_t i = 2; i + 1 < b.size(); i += 2) {
    char32_t cp = unit(i);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (i + 3 >= b.size()) return Bad(source, "UTF-16 text ends inside a character");
      const char32_t low = unit(i + 2);
      if (low < 0xDC00 || low > 0xDFFF) return Bad(source, "malformed UTF-16 text");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      i += 2;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return Bad(source, "malformed UTF-16 text");
    }
    AppendUtf8(out, cp);
  }
  return out;
}

// The delimiter of the header line: the most frequent of tab, semicolon and comma.
char Delimiter(std::string_view text) {
  const std::string_view line = text.substr(0, text.find_first_of("\r\n"));
  char best = ',';
  size_t most = 0;
  for (char d : {'\t', ';', ','}) {
    size_t n = 0;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      n += !quoted && c == d;
    }
    if (n > most) most = n, best = d;
  }
  return best;
}

// "Ma thuoc", " ma_thuoc " -> "MA_THUOC" (the QĐ 130 names are ASCII).
std::string ColumnName(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string out;
  for (char c : s) out.push_back(c == ' ' ? '_' : (c >= 'a' && c <= 'z') ? char(c - 32) : c);
  return out;
}

// yyyyMMdd from yyyyMMdd, dd/MM/yyyy or yyyy-MM-dd; other text is left for the loader to
// refuse with its row and column.
std::string DateCell(std::string_view s) {
  if (s.size() == 10 && s[2] == '/' && s[5] == '/')
    return std::string(s.substr(6, 4)) + std::string(s.substr(3, 2)) + std::string(s.substr(0, 2));
  if (s.size() == 10 && s[4] == '-' && s[7] == '-')
    return std::string(s.substr(0, 4)) + std::string(s.substr(5, 2)) + std::string(s.substr(8, 2));
  return std::string(s);
}

void CsvCell(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Result<PriceTable> NormalizePriceTable(std::string_view bytes, std::string_view source) {
  std::string text;
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    HB_ASSIGN_OR_RETURN(text, FromUtf16(bytes, bytes[0] == '\xFF', source));
  } else {
    text = std::string(bytes);
    if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
    if (size_t at = FindInvalidUtf8(text); at != std::string::npos)
      return Bad(source, "not UTF-8 text (byte " + std::to_string(at) +
                             "): export it as CSV UTF-8 or as Unicode Text");
  }
  HB_ASSIGN_OR_RETURN(auto rows, ParseCsv(text, source, Delimiter(text)));
  if (rows.empty()) return Bad(source, "empty file");
  std::vector<std::string> header;
  for (const std::string& h : rows[0]) header.push_back(ColumnName(h));
  auto has = [&](std::string_view n) {
    for (const auto& h : header)
      if (h == n) return true;
    return false;
  };
  PriceTable t;
  if (has("MA_THUOC")) {
    t.kind = ItemKind::kDrug, t.file_name = "thuoc.csv";
  } else if (has("MA_DICH_VU")) {
    t.kind = ItemKind::kService, t.file_name = "dvkt.csv";
  } else if (has("MA_VAT_TU")) {
    t.kind = ItemKind::kSupply, t.file_name = "vtyt.csv";
  } else {
    return Bad(source,
               "no MA_THUOC, MA_DICH_VU or MA_VAT_TU column: not a drug, service or supply list "
               "in the QĐ 130/4750 layout");
  }
  for (size_t c = 0; c < header.size(); ++c) {
    if (c) t.csv += ',';
    CsvCell(t.csv, header[c]);
  }
  t.csv += '\n';
  for (size_t r = 1; r < rows.size(); ++r) {
    bool blank = true;
    for (const auto& v : rows[r]) blank = blank && v.find_first_not_of(" \t") == std::string::npos;
    if (blank) continue;  // spreadsheets end with empty rows of delimiters
    for (size_t c = 0; c < header.size(); ++c) {
      std::string v = c < rows[r].size() ? rows[r][c] : std::string();
      if (header[c] == "TU_NGAY" || header[c] == "DEN_NGAY") v = DateCell(v);
      if (c) t.csv += ',';
      CsvCell(t.csv, v);
    }
    t.csv += '\n';
    ++t.rows;
  }
  return t;
}

Result<std::vector<PriceTable>> ImportPriceList(const std::string& dir,
                                                const std::vector<std::string>& files) {
  if (files.empty()) return Status(ErrorCode::kInvalidArgument, "no file to import");
  std::vector<PriceTable> tables;
  for (const std::string& f : files) {
    if (!fs::is_regular_file(f)) return Status(ErrorCode::kNotFound, f + ": no such file");
    HB_ASSIGN_OR_RETURN(PriceTable t, NormalizePriceTable(ReadAll(f), f));
    for (const PriceTable& other : tables) {
      if (other.kind == t.kind)
        return Status(ErrorCode::kInvalidArgument,
                      f + ": a second " + t.file_name + " in one import; put its rows in one file");
    }
    tables.push_back(std::move(t));
  }
  // The list as it will be: the imported tables and the facility's others.
  std::string text[3];
  for (const char* name : {"thuoc.csv", "dvkt.csv", "vtyt.csv"}) {
    const int k = name[0] == 't' ? 0 : name[0] == 'd' ? 1 : 2;
    if (fs::exists(dir + "/" + name)) text[k] = ReadAll(dir + "/" + name);
  }
  for (const PriceTable& t : tables) {
    text[t.kind == ItemKind::kDrug ? 0 : t.kind == ItemKind::kService ? 1 : 2] = t.csv;
  }
  if (auto checked = PriceList::Load(text[0], text[1], text[2]); !checked.ok()) {
    return Status(ErrorCode::kInvalidArgument,
                  "the price list would not load after this import, nothing was changed: " +
                      checked.status().message());
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status(ErrorCode::kUnavailable, "cannot create " + dir + ": " + ec.message());
  for (const PriceTable& t : tables) {
    const std::string path = dir + "/" + t.file_name;
    {
      std::ofstream out(path + ".new", std::ios::binary | std::ios::trunc);
      out << t.csv;
      if (!out.flush()) return Status(ErrorCode::kUnavailable, "cannot write " + path + ".new");
    }
    if (fs::exists(path)) fs::rename(path, path + ".previous", ec);
    if (!ec) fs::rename(path + ".new", path, ec);
    if (ec) return Status(ErrorCode::kUnavailable, "cannot replace " + path + ": " + ec.message());
  }
  return tables;
}

}  // namespace hb::claims
