#include "clinical/icd_catalog.h"

#include <algorithm>
#include <cctype>

#include "common/ascii.h"
#include "common/csv.h"
#include "search/text_fold.h"

namespace hb::clinical {

namespace {

constexpr std::string_view kDaggerUtf8 = "\xE2\x80\xA0";  // †

// Splits a trailing † or * off a catalogue code.
std::pair<std::string, IcdMark> SplitMark(std::string_view code) {
  while (!code.empty() && code.back() == ' ') code.remove_suffix(1);
  if (code.ends_with(kDaggerUtf8)) {
    return {std::string(code.substr(0, code.size() - kDaggerUtf8.size())), IcdMark::kDagger};
  }
  if (code.ends_with('*')) return {std::string(code.substr(0, code.size() - 1)), IcdMark::kAsterisk};
  return {std::string(code), IcdMark::kNone};
}

// The asterisk codes a name points at: "Tuberculous meningitis (G01*)" -> {"g01"}.
std::vector<std::string> AsteriskRefs(std::string_view name) {
  std::vector<std::string> out;
  for (size_t star = name.find('*'); star != std::string_view::npos;
       star = name.find('*', star + 1)) {
    size_t b = star;
    while (b > 0 && (std::isalnum(static_cast<unsigned char>(name[b - 1])) || name[b - 1] == '.')) {
      --b;
    }
    if (star - b >= 3) out.push_back(IcdKey(name.substr(b, star - b)));
  }
  return out;
}

bool InRange(std::string_view key, std::string_view lo, std::string_view hi) {
  std::string_view k3 = key.substr(0, 3);
  return k3 >= lo && k3 <= hi;
}

// Every word of `words` starts a word of `text` (both folded).
bool AllWords(std::string_view text, const std::vector<std::string>& words) {
  for (const auto& w : words) {
    bool found = false;
    for (size_t at = text.find(w); at != std::string_view::npos; at = text.find(w, at + 1)) {
      if (at == 0 || !std::isalnum(static_cast<unsigned char>(text[at - 1]))) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return !words.empty();
}

std::vector<std::string> Words(std::string_view folded) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < folded.size()) {
    size_t j = folded.find(' ', i);
    if (j == std::string_view::npos) j = folded.size();
    if (j > i) out.emplace_back(folded.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

std::string IcdKey(std::string_view code) {
  std::string out;
  for (char c : SplitMark(code).first) {
    if (c == '.' || c == ' ') continue;
    out.push_back(AsciiLower(c));
  }
  return out;
}

Result<IcdCatalog> IcdCatalog::Load(std::string_view csv) {
  HB_ASSIGN_OR_RETURN(CsvTable t, CsvTable::Parse(csv, "icd10-vn-qd4469.csv"));
  HB_RETURN_IF_ERROR(t.Require({"MÃ BỆNH", "TÊN BỆNH", "DISEASE NAME"}));
  const int code = t.Column("MÃ BỆNH"), vi = t.Column("TÊN BỆNH"), en = t.Column("DISEASE NAME");
  IcdCatalog out;
  out.terms_.reserve(t.rows());
  for (size_t i = 0; i < t.rows(); ++i) {
    auto [plain, mark] = SplitMark(t.Get(i, code));
    if (plain.empty()) continue;
    IcdTerm term;
    term.key = IcdKey(plain);
    if (auto seen = out.by_key_.find(term.key); seen != out.by_key_.end()) {
      // The catalogue repeats some codes, once plain and once with the mark: keep the mark.
      if (mark != IcdMark::kNone) out.terms_[seen->second].mark = mark;
      continue;
    }
    term.code = std::move(plain);
    term.mark = mark;
    term.vi = std::string(t.Get(i, vi));
    term.en = std::string(t.Get(i, en));
    term.fold_vi = search::FoldText(term.vi);
    term.fold_en = search::FoldText(term.en);
    out.by_key_[term.key] = out.terms_.size();
    out.terms_.push_back(std::move(term));
  }
  if (out.terms_.empty()) {
    return Status(ErrorCode::kInvalidArgument, "icd10-vn-qd4469.csv holds no codes");
  }
  for (IcdTerm& term : out.terms_) {
    if (term.key.size() > 3) {
      auto parent = out.by_key_.find(term.key.substr(0, 3));
      if (parent != out.by_key_.end()) out.terms_[parent->second].has_children = true;
    }
  }
  return out;
}

const IcdTerm* IcdCatalog::Find(std::string_view code) const {
  auto it = by_key_.find(IcdKey(code));
  return it == by_key_.end() ? nullptr : &terms_[it->second];
}

std::vector<const IcdTerm*> IcdCatalog::Search(std::string_view text, size_t count) const {
  const std::string folded = search::FoldText(text);
  const std::string key = IcdKey(folded);
  const std::vector<std::string> words = Words(folded);
  std::vector<std::pair<int, size_t>> hits;  // (rank, index)
  for (size_t i = 0; i < terms_.size(); ++i) {
    const IcdTerm& t = terms_[i];
    int rank = -1;
    if (!key.empty() && t.key == key) {
      rank = 0;
    } else if (!key.empty() && t.key.starts_with(key)) {
      rank = 1 + static_cast<int>(t.key.size() - key.size());  // 2..: shorter codes first
    } else if (!folded.empty() && t.fold_vi.starts_with(folded)) {
      rank = 10;
    } else if (AllWords(t.fold_vi, words)) {
      rank = 11;
    } else if (!folded.empty() && t.fold_en.starts_with(folded)) {
      rank = 12;
    } else if (AllWords(t.fold_en, words)) {
      rank = 13;
    }
    if (rank >= 0) hits.emplace_back(rank, i);
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const IcdTerm*> out;
  for (size_t i = 0; i < hits.size() && out.size() < count; ++i) {
    out.push_back(&terms_[hits[i].second]);
  }
  return out;
}

std::vector<DiagnosisFinding> CheckDiagnoses(const IcdCatalog& icd, std::string_view main,
                                             const std::vector<std::string>& secondary) {
  std::vector<DiagnosisFinding> out;
  auto add = [&](bool error, std::string rule, std::string message, std::string expression) {
    out.push_back({error, std::move(rule), std::move(message), std::move(expression)});
  };
  if (main.empty()) {
    add(true, "main-missing", "Chưa có chẩn đoán chính (bệnh chính)", "main");
    return out;
  }
  const IcdTerm* m = icd.Find(main);
  if (!m) {
    add(true, "unknown-code",
        "Mã " + std::string(main) + " không có trong danh mục ICD-10 (QĐ 4469/QĐ-BYT)", "main");
  }
  std::vector<const IcdTerm*> sec;
  for (size_t i = 0; i < secondary.size(); ++i) {
    const IcdTerm* s = icd.Find(secondary[i]);
    if (!s) {
      add(true, "unknown-code",
          "Mã " + secondary[i] + " không có trong danh mục ICD-10 (QĐ 4469/QĐ-BYT)",
          "secondary[" + std::to_string(i) + "]");
    } else if ((m && s->key == m->key) ||
               std::any_of(sec.begin(), sec.end(), [&](const IcdTerm* o) { return o->key == s->key; })) {
      add(false, "duplicate-code", "Mã " + s->code + " được ghi hai lần",
          "secondary[" + std::to_string(i) + "]");
    }
    sec.push_back(s);
  }
  if (m) {
    const std::string label = m->code + " (" + m->vi + ")";
    if (m->mark == IcdMark::kAsterisk) {
      add(true, "asterisk-main",
          "Mã dấu sao " + m->code + "* chỉ biểu hiện bệnh tại một cơ quan, không được dùng làm "
          "bệnh chính; ghi mã dấu thập (†) của nguyên nhân làm bệnh chính và " + m->code +
              "* làm bệnh kèm theo",
          "main");
    }
    if (InRange(m->key, "v01", "y98")) {
      add(true, "external-cause-main",
          "Mã nguyên nhân bên ngoài " + label + " (chương XX, V01-Y98) chỉ ghi kèm mã tổn "
          "thương, không được dùng làm bệnh chính",
          "main");
    }
    if (m->has_children && m->key.size() == 3) {
      add(false, "not-specific",
          "Mã " + m->code + " có các mã chi tiết (4 ký tự); bảng kê BHYT yêu cầu mã chi tiết nhất",
          "main");
    }
    if (m->mark == IcdMark::kDagger) {
      for (const std::string& ref : AsteriskRefs(m->en)) {
        bool present = std::any_of(sec.begin(), sec.end(), [&](const IcdTerm* s) {
          return s && s->key.starts_with(ref);
        });
        if (!present) {
          const IcdTerm* a = icd.Find(ref);
          add(false, "dagger-without-asterisk",
              "Mã dấu thập " + m->code + "† thường đi cùng mã dấu sao " +
                  (a ? a->code : ref) + "*; cân nhắc ghi thêm làm bệnh kèm theo",
              "main");
        }
      }
    }
    if (InRange(m->key, "s00", "t98")) {
      bool external = std::any_of(sec.begin(), sec.end(), [](const IcdTerm* s) {
        return s && InRange(s->key, "v01", "y98");
      });
      if (!external) {
        add(false, "injury-without-cause",
            "Chẩn đoán tổn thương " + label + " nên ghi kèm mã nguyên nhân bên ngoài (V01-Y98)",
            "main");
      }
    }
  }
  for (size_t i = 0; i < sec.size(); ++i) {
    if (!sec[i] || sec[i]->mark != IcdMark::kAsterisk) continue;
    bool dagger = (m && m->mark == IcdMark::kDagger) ||
                  std::any_of(sec.begin(), sec.end(), [](const IcdTerm* s) {
                    return s && s->mark == IcdMark::kDagger;
                  });
    if (!dagger) {
      add(false, "asterisk-without-dagger",
          "Mã dấu sao " + sec[i]->code + "* cần đi cùng một mã dấu thập (†) chỉ nguyên nhân",
          "secondary[" + std::to_string(i) + "]");
    }
  }
  return out;
}

}  // namespace hb::clinical
