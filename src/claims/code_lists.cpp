#include "claims/code_lists.h"

#include <cstdlib>
#include <mutex>

#include "common/csv.h"
#include "claims/resources.h"

namespace hb::claims {

int ParseDay(std::string_view s) {
  if (s.empty()) return 0;
  if (s.size() != 8) return -1;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  const int year = v / 10000, month = v / 100 % 100, day = v % 100;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return -1;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDays[month - 1] + (month == 2 && leap ? 1 : 0)) return -1;
  return v;
}

Result<CodeLists> CodeLists::Load(std::string_view csv) {
  HB_ASSIGN_OR_RETURN(CsvTable t, CsvTable::Parse(csv, "code-lists.csv"));
  HB_RETURN_IF_ERROR(
      t.Require({"LIST", "CODE", "DISPLAY_VI", "DISPLAY_EN", "VALID_FROM", "VALID_TO"}));
  CodeLists out;
  for (size_t i = 0; i < t.rows(); ++i) {
    CodeEntry e;
    e.display_vi = std::string(t.Get(i, "DISPLAY_VI"));
    e.display_en = std::string(t.Get(i, "DISPLAY_EN"));
    e.valid_from = ParseDay(t.Get(i, "VALID_FROM"));
    e.valid_to = ParseDay(t.Get(i, "VALID_TO"));
    if (e.valid_from < 0 || e.valid_to < 0) {
      return Status(ErrorCode::kInvalidArgument,
                    "code-lists.csv row " + std::to_string(i + 2) + ": a date is not yyyyMMdd");
    }
    out.lists_[std::string(t.Get(i, "LIST"))][std::string(t.Get(i, "CODE"))] = std::move(e);
  }
  return out;
}

const CodeLists& CodeLists::Embedded() {
  static const CodeLists lists = [] {
    auto l = Load(EmbeddedResource("code-lists.csv"));
    if (!l.ok()) std::abort();  // embedded at build time; the unit tests load it
    return std::move(l).value();
  }();
  return lists;
}

bool CodeLists::HasList(std::string_view list) const { return lists_.find(list) != lists_.end(); }

const CodeEntry* CodeLists::Find(std::string_view list, std::string_view code) const {
  auto l = lists_.find(list);
  if (l == lists_.end()) return nullptr;
  auto c = l->second.find(code);
  return c == l->second.end() ? nullptr : &c->second;
}

std::string_view CodeLists::ValidOn(std::string_view list, int day) const {
  auto l = lists_.find(list);
  if (l == lists_.end()) return {};
  for (const auto& [code, e] : l->second) {
    if ((e.valid_from == 0 || day >= e.valid_from) && (e.valid_to == 0 || day <= e.valid_to))
      return code;
  }
  return {};
}

bool CodeLists::Contains(std::string_view list, std::string_view code, int day) const {
  const CodeEntry* e = Find(list, code);
  if (!e) return false;
  if (day > 0 && e->valid_from > 0 && day < e->valid_from) return false;
  if (day > 0 && e->valid_to > 0 && day > e->valid_to) return false;
  return true;
}

}  // namespace hb::claims
