#include "clinical/prescription_checks.h"

#include <map>

#include "search/text_fold.h"

namespace hb::clinical {

namespace {

std::optional<double> Number(const fhir::JsonValue* v) {
  if (!v || !fhir::IsNumber(*v)) return std::nullopt;
  try {
    return std::stod(std::string(fhir::NumberText(*v)));
  } catch (...) {
    return std::nullopt;
  }
}

// Administrations per day of a Timing.repeat, when it says.
std::optional<double> PerDay(const fhir::JsonValue& repeat) {
  auto freq = Number(fhir::Member(repeat, "frequency"));
  auto period = Number(fhir::Member(repeat, "period"));
  std::string_view unit = fhir::MemberString(repeat, "periodUnit");
  if (!freq) {
    const fhir::JsonValue* when = fhir::Member(repeat, "when");
    if (when && when->IsArray() && when->Size() > 0) return static_cast<double>(when->Size());
    return std::nullopt;
  }
  if (!period || *period <= 0) return std::nullopt;
  double days = 0;
  if (unit == "s") days = *period / 86400;
  else if (unit == "min") days = *period / 1440;
  else if (unit == "h") days = *period / 24;
  else if (unit == "d") days = *period;
  else if (unit == "wk") days = *period * 7;
  else if (unit == "mo") days = *period * 30;
  else return std::nullopt;
  return *freq / days;
}

std::string Show(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

bool Contains(const std::string& hay, const std::string& needle) {
  return !needle.empty() && hay.find(needle) != std::string::npos;
}

}  // namespace

PrescribedItem ItemFromMedicationRequest(const fhir::JsonValue& mr, const Formulary& formulary,
                                         std::string label) {
  PrescribedItem item;
  item.label = std::move(label);
  if (const fhir::JsonValue* med = fhir::Member(mr, "medicationCodeableConcept")) {
    item.display = std::string(fhir::MemberString(*med, "text"));
    if (const fhir::JsonValue* codings = fhir::Member(*med, "coding"); codings && codings->IsArray()) {
      for (const auto& c : codings->GetArray()) {
        std::string_view code = fhir::MemberString(c, "code");
        if (item.display.empty()) item.display = std::string(fhir::MemberString(c, "display"));
        if (item.drug_code.empty() && formulary.Find(code)) item.drug_code = std::string(code);
      }
    }
  }
  if (const fhir::JsonValue* exts = fhir::Member(mr, "extension"); exts && exts->IsArray()) {
    for (const auto& e : exts->GetArray()) {
      if (fhir::MemberString(e, "url") == kOverrideReasonUrl) {
        item.override_reason = std::string(fhir::MemberString(e, "valueString"));
      }
    }
  }
  const fhir::JsonValue* dosages = fhir::Member(mr, "dosageInstruction");
  if (dosages && dosages->IsArray()) {
    double total = 0;
    bool known = dosages->Size() > 0;
    for (const auto& d : dosages->GetArray()) {
      std::optional<double> dose;
      if (const fhir::JsonValue* dr = fhir::Member(d, "doseAndRate"); dr && dr->IsArray() && dr->Size() > 0) {
        if (const fhir::JsonValue* q = fhir::Member((*dr)[0], "doseQuantity")) {
          dose = Number(fhir::Member(*q, "value"));
        }
      }
      std::optional<double> per_day;
      if (const fhir::JsonValue* t = fhir::Member(d, "timing")) {
        if (const fhir::JsonValue* r = fhir::Member(*t, "repeat")) per_day = PerDay(*r);
      }
      if (!dose || !per_day) {
        known = false;
        break;
      }
      total += *dose * *per_day;
    }
    if (known) item.units_per_day = total;
  }
  return item;
}

AllergyFact AllergyFromResource(const fhir::JsonValue& allergy) {
  AllergyFact f;
  f.criticality = std::string(fhir::MemberString(allergy, "criticality"));
  if (const fhir::JsonValue* code = fhir::Member(allergy, "code")) {
    f.text = std::string(fhir::MemberString(*code, "text"));
    if (const fhir::JsonValue* codings = fhir::Member(*code, "coding"); codings && codings->IsArray()) {
      for (const auto& c : codings->GetArray()) {
        f.codes.emplace_back(fhir::MemberString(c, "code"));
        if (f.text.empty()) f.text = std::string(fhir::MemberString(c, "display"));
      }
    }
  }
  return f;
}

std::vector<PrescriptionFinding> CheckPrescription(const Formulary& formulary,
                                                   const std::vector<PrescribedItem>& items,
                                                   const std::vector<PrescribedItem>& others,
                                                   const std::vector<AllergyFact>& allergies) {
  std::vector<PrescriptionFinding> out;
  auto name_of = [&](const PrescribedItem& it) {
    const Drug* d = formulary.Find(it.drug_code);
    return d ? d->name : (it.display.empty() ? it.drug_code : it.display);
  };
  // Allergies.
  for (size_t i = 0; i < items.size(); ++i) {
    const Drug* d = formulary.Find(items[i].drug_code);
    for (const AllergyFact& a : allergies) {
      const std::string folded_allergy = search::FoldText(a.text);
      for (const Ingredient* ing = d ? d->ingredients.data() : nullptr;
           d && ing != d->ingredients.data() + d->ingredients.size(); ++ing) {
        bool hit = false;
        for (const std::string& c : a.codes) {
          hit |= !c.empty() && (ing->atc.starts_with(c) || c == d->code);
        }
        const std::string folded_ing = search::FoldText(ing->name);
        // By name: the allergy names the ingredient, or (a name of 4+ letters) the other way.
        hit |= Contains(folded_allergy, folded_ing) ||
               (folded_allergy.size() >= 4 && Contains(folded_ing, folded_allergy));
        if (!hit) continue;
        out.push_back({"allergy",
                       "Dị ứng: bệnh nhân có ghi nhận dị ứng/không dung nạp \"" + a.text + "\"" +
                           (a.criticality == "high" ? " (mức độ nguy hiểm cao)" : "") +
                           "; thuốc " + d->name + " chứa " + ing->name + " (" + ing->atc + ")",
                       i});
        break;
      }
    }
  }
  // Duplicate ingredients, within the new lines and against the other active ones.
  for (size_t i = 0; i < items.size(); ++i) {
    const Drug* d = formulary.Find(items[i].drug_code);
    if (!d) continue;
    for (const Ingredient& ing : d->ingredients) {
      auto report = [&](const PrescribedItem& other) {
        out.push_back({"duplicate-ingredient",
                       "Trùng hoạt chất: " + ing.name + " (" + ing.atc + ") có trong cả " + d->name +
                           " và " + name_of(other),
                       i});
      };
      for (size_t j = i + 1; j < items.size(); ++j) {
        const Drug* o = formulary.Find(items[j].drug_code);
        for (const Ingredient* x = o ? o->ingredients.data() : nullptr;
             o && x != o->ingredients.data() + o->ingredients.size(); ++x) {
          if (x->atc == ing.atc) report(items[j]);
        }
      }
      for (const PrescribedItem& other : others) {
        const Drug* o = formulary.Find(other.drug_code);
        for (const Ingredient* x = o ? o->ingredients.data() : nullptr;
             o && x != o->ingredients.data() + o->ingredients.size(); ++x) {
          if (x->atc == ing.atc) report(other);
        }
      }
    }
  }
  // Maximum daily dose per ingredient, summed over every line that holds it.
  std::map<std::string, double> daily;  // atc -> amount per day
  std::map<std::string, std::pair<const Ingredient*, size_t>> first_item;  // atc -> (ing, item)
  auto accumulate = [&](const PrescribedItem& it, std::optional<size_t> index) {
    const Drug* d = formulary.Find(it.drug_code);
    if (!d || !it.units_per_day) return;
    for (const Ingredient& ing : d->ingredients) {
      daily[ing.atc] += ing.strength * *it.units_per_day;
      if (index && !first_item.count(ing.atc)) first_item[ing.atc] = {&ing, *index};
    }
  };
  for (size_t i = 0; i < items.size(); ++i) accumulate(items[i], i);
  for (const auto& o : others) accumulate(o, std::nullopt);
  for (const auto& [atc, where] : first_item) {
    const Ingredient& ing = *where.first;
    if (!ing.max_daily || daily[atc] <= *ing.max_daily + 1e-9) continue;
    out.push_back({"max-daily-dose",
                   "Quá liều tối đa: " + ing.name + " " + Show(daily[atc]) + " " + ing.unit +
                       "/ngày vượt liều tối đa " + Show(*ing.max_daily) + " " + ing.unit +
                       "/ngày (người lớn)",
                   where.second});
  }
  // Interactions between a new line and any other line.
  auto interact = [&](size_t i, const PrescribedItem& other) {
    const Drug* a = formulary.Find(items[i].drug_code);
    const Drug* b = formulary.Find(other.drug_code);
    if (!a || !b) return;
    for (const Ingredient& x : a->ingredients) {
      for (const Ingredient& y : b->ingredients) {
        const Interaction* hit = formulary.FindInteraction(x.atc, y.atc);
        if (!hit) continue;
        out.push_back({"interaction",
                       "Tương tác thuốc (" + hit->severity + "): " + a->name + " + " + b->name +
                           ": " + hit->warning,
                       i});
      }
    }
  };
  for (size_t i = 0; i < items.size(); ++i) {
    for (size_t j = i + 1; j < items.size(); ++j) interact(i, items[j]);
    for (const auto& o : others) interact(i, o);
  }
  return out;
}

}  // namespace hb::clinical
