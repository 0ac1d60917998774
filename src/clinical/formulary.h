// The facility's drug catalogue as the prescribing checks need it (resources/catalogs/
// drug-formulary.csv, keyed by the price list's MA_NOI_BO): each drug's active ingredients
// (ATC code, strength per unit) and the adult maximum daily dose of each, and the table of
// interactions between ingredients (resources/catalogs/drug-interactions.csv, which a
// facility extends with <data>/drug-interactions.csv in the same layout).
//
// Contract: immutable after Load; thread-safe. Failure: kInvalidArgument naming the file,
// the row and the column for a malformed table.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hb::clinical {

struct Ingredient {
  std::string name;  // Vietnamese
  std::string atc;
  double strength = 0;           // per unit of the drug (viên, gói...)
  std::string unit;              // of strength and max_daily: "mg"
  std::optional<double> max_daily;  // adult maximum per day, same unit
};

struct Drug {
  std::string code;  // MA_NOI_BO
  std::string name;
  std::string unit, form;          // DON_VI_TINH (viên, gói, lọ), DANG_BAO_CHE
  std::string route, route_code;  // Vietnamese route and its MA_DUONG_DUNG (QĐ 4750)
  std::vector<Ingredient> ingredients;
  std::string source;  // where the maximum dose comes from
};

struct Interaction {
  std::string atc_a, atc_b;
  std::string severity;  // nhẹ | trung bình | nặng | chống chỉ định
  std::string warning;   // Vietnamese
  std::string source;
};

class Formulary {
 public:
  // `extra_interactions` may be empty (no facility table).
  static Result<Formulary> Load(std::string_view drugs_csv, std::string_view interactions_csv,
                                std::string_view extra_interactions_csv = {});
  const Drug* Find(std::string_view code) const;
  const std::vector<Drug>& drugs() const { return drugs_; }
  // The interaction between two ingredients (either order); nullptr when none is listed.
  const Interaction* FindInteraction(std::string_view atc_a, std::string_view atc_b) const;

 private:
  std::vector<Drug> drugs_;
  std::vector<Interaction> interactions_;
};

// The tables built into the binary (resources/catalogs/).
std::string_view EmbeddedFormularyCsv();
std::string_view EmbeddedInteractionsCsv();

}  // namespace hb::clinical
