// ICD-10 (QĐ 4469/QĐ-BYT) as the clinical workspace searches and checks it: each code with
// its dagger/asterisk mark, Vietnamese and English names, and their folded forms (lower
// case, no diacritics: search/text_fold.h) for searching as clinicians type.
//
// Search ranks: the exact code, then codes starting with the text (shorter first), then
// Vietnamese names starting with it, then names holding every word of it (Vietnamese, then
// English); ties in code order. "viem phoi", "viêm phổi", "pneumonia" and "J18" all find
// J18.x.
//
// CheckDiagnoses applies the rules of a valid main diagnosis (docs/implementation/
// clinical.md, "Diagnosis rules", with their sources).
//
// Contract: immutable after Build; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace hb::clinical {

enum class IcdMark { kNone, kDagger, kAsterisk };

struct IcdTerm {
  std::string code;  // dotted, without the mark: "A17.0"
  IcdMark mark = IcdMark::kNone;
  std::string vi, en;
  std::string fold_vi, fold_en;
  std::string key;  // undotted lower case: "a170"
  bool has_children = false;  // a category whose subdivisions are listed too
};

class IcdCatalog {
 public:
  // The catalogue CSV (columns "MÃ BỆNH", "TÊN BỆNH", "DISEASE NAME").
  static Result<IcdCatalog> Load(std::string_view csv);

  // By dotted or undotted code, with or without a trailing †/*; nullptr when unknown.
  const IcdTerm* Find(std::string_view code) const;
  std::vector<const IcdTerm*> Search(std::string_view text, size_t count) const;
  const std::vector<IcdTerm>& terms() const { return terms_; }

 private:
  std::vector<IcdTerm> terms_;
  std::unordered_map<std::string, size_t> by_key_;
};

// "A17.0†" -> ("A17.0", kDagger); "a170" -> key form "a170".
std::string IcdKey(std::string_view code);

struct DiagnosisFinding {
  bool error = false;       // false: a warning
  std::string rule;         // unknown-code | asterisk-main | external-cause-main | ...
  std::string message;      // Vietnamese
  std::string expression;   // "main" or "secondary[i]"
};

// The main code and the secondary codes of one encounter.
std::vector<DiagnosisFinding> CheckDiagnoses(const IcdCatalog& icd, std::string_view main,
                                             const std::vector<std::string>& secondary);

}  // namespace hb::clinical
