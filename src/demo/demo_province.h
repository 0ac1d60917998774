// The demo province: a deterministic, realistic Điện Biên for demos and tests.
//
// BuildDemoProvince writes, through `sink`, complete FHIR R4 JSON resources:
//   Organization  the payer (Bảo hiểm xã hội Việt Nam, org-bhxh-vn), the
//                 Department of Health (org-soyte-11), the provincial general
//                 hospital (org-11001), one district health centre per district
//                 (org-11011...) and one commune health station per commune
//                 (org-11101...), with MA_CSKCB-style facility codes, real
//                 administrative-unit codes and a partOf hierarchy;
//   Location      one per facility (loc-<code>);
//   Practitioner, PractitionerRole   staff of every facility (prac-0001, role-0001);
//   Patient       options.patients people (pat-000001...), by ethnic group, with
//                 CCCD, insurance card and social-insurance numbers;
//   Coverage      one per insured patient (cov-000001), payor org-bhxh-vn;
//   Encounter, Condition, Observation (vital signs), MedicationRequest
//                 0-4 visits per patient (enc-000001-1, cond-000001-1-1, ...).
//
// Two scopes, one generator. The demo (lifelong = false) records the two years
// before kReferenceDay, as above. A synthetic population (lifelong = true,
// `healthbook synth`, docs/implementation/synth.md) records each life from
// birth: visits at a rate by age, the birth, the national immunisation schedule
// (Immunization), pregnancies with antenatal care and delivery, chronic
// conditions with their follow-up visits and lab panels, deaths (deceasedDateTime
// and a cause-of-death Observation) and yearly insurance cards (Coverage) with
// their expiry. The lifelong parts draw from their own streams, so the patients,
// facilities and staff are the same in both scopes.
// Identifier systems come from fhir::vn::Systems(), so configure the base first.
//
// Determinism: the same options and catalogues give byte-identical output, on any
// platform: all randomness is the module's own Rng and every date derives from
// kReferenceDay (2026-01-01), never the clock. Patient i depends only on (seed, i),
// so a smaller run is a prefix of a larger one.
//
// Order: each resource comes after every resource it references.
//
// Contract: reentrant (no shared state); the sink is called on the caller's
// thread. Failure modes: kInvalidArgument for a malformed catalogue, a province
// missing from it, or patients < 0; a non-OK Status from the sink stops the run
// and is returned as is.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace hb::demo {

struct DemoOptions {
  int patients = 2000;
  uint64_t seed = 1;
  bool lifelong = false;  // the whole life of each patient (synth) instead of two years (demo)
};

// Raw contents of resources/catalogs/administrative-units-2024-06-11.csv and
// resources/catalogs/icd10-vn-qd4469.csv.
struct Catalogs {
  std::string_view admin_units_csv;
  std::string_view icd10_csv;
};

using Sink =
    std::function<Status(std::string_view resource_type, std::string_view id, std::string json)>;

struct DemoSummary {
  std::map<std::string, size_t, std::less<>> counts;  // resource type -> resources emitted
  size_t Count(std::string_view resource_type) const;
  size_t Total() const;
};

// `summary`, when given, receives the counts (also on failure: what was emitted).
Status BuildDemoProvince(const DemoOptions& options, const Catalogs& catalogs, const Sink& sink,
                         DemoSummary* summary = nullptr);

}  // namespace hb::demo
