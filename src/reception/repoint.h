// The edits of a patient merge, as pure JSON transformations: re-pointing the references
// of a resource from one Patient to another (and back), and the Patient links that retire
// a duplicate (source: active false, link replaced-by target; target: link replaces
// source) and undo that.
//
// References are found by the validator (fhir::ResourceFacts::references: every
// Reference.reference, contained resources included). A reference to Patient/<id> may be
// relative, versioned ("Patient/a/_history/2") or absolute ("https://x/fhir/Patient/a");
// re-pointing keeps its form, drops a version (the target's versions are other ones), and
// records where it was and what it said, so that unmerge restores exactly that.
//
// Contract: pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "fhir/json.h"
#include "fhir/validator.h"

namespace hb::reception {

struct RepointedSite {
  std::string location;  // the validator's path: "Observation.subject.reference"
  std::string original;  // the reference text before re-pointing
};

// Whether `ref` points at Patient/<id>.
bool RefersToPatient(std::string_view ref, std::string_view id);
// Rewrites the references to Patient/<from> so they point at Patient/<to>.
std::vector<RepointedSite> Repoint(const fhir::ResourceFacts& facts, fhir::JsonAlloc& alloc,
                                   std::string_view from, std::string_view to);
// Puts back the recorded originals where the reference still points at Patient/<to>;
// returns the sites that had changed since (and were left alone).
std::vector<RepointedSite> Restore(const fhir::ResourceFacts& facts, fhir::JsonAlloc& alloc,
                                   std::string_view to, const std::vector<RepointedSite>& sites);

// The source Patient retired into `target_id` (active false, link replaced-by).
// `previous_active` receives its `active` before (nullopt when absent).
Result<std::string> RetireSource(std::string_view source_json, std::string_view target_id,
                                 std::optional<bool>* previous_active);
// The target Patient with a link `replaces` to `source_id`.
Result<std::string> LinkTarget(std::string_view target_json, std::string_view source_id);
// Undo: the link to `other_id` of `type` removed, and `active` set back (removed when
// `active` is nullopt and `restore_active`).
Result<std::string> Unlink(std::string_view patient_json, std::string_view other_id,
                           std::string_view type, bool restore_active, std::optional<bool> active);

}  // namespace hb::reception
