// The record of a patient merge, kept as a FHIR Provenance so that it is versioned,
// searchable and audited like any resource, and so that $unmerge can undo exactly what
// $merge did (docs/implementation/reception.md, "Merge").
//
//   Provenance.activity   iso-21089-lifecycle "merge" (the undo: "unmerge")
//   Provenance.entity     role source, what Patient/<source>  (undo: role revision, what
//                         Provenance/<the merge>)
//   Provenance.target     Patient/<source>/_history/n and Patient/<target>/_history/m (the
//                         versions the merge wrote), then every re-pointed resource's new
//                         version, each with one MergeRepointedExtension() per reference
//                         changed: parts `path` (where) and `original` (what it said)
//   extension             MergeSourceActiveExtension(): the source's `active` before
//   agent                 who did it (Practitioner or Organization, else a display)
//
// Contract: pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "reception/repoint.h"

namespace hb::reception {

struct MergeChange {
  std::string type, id;
  int64_t version = 0;  // the version the merge (or unmerge) wrote
  std::vector<RepointedSite> sites;
};

struct MergeRecord {
  std::string source_id, target_id;
  int64_t source_version = 0, target_version = 0;
  std::optional<bool> source_active;
  std::vector<MergeChange> changes;
};

struct ProvenanceAgent {
  std::string reference;  // "Practitioner/x" or "Organization/y"; may be empty
  std::string display;    // "user:letan.bvdk"
};

// activity "merge" or "unmerge"; `undoes` is the merge Provenance id for an unmerge.
std::string MergeProvenanceJson(const MergeRecord& record, std::string_view activity,
                                std::string_view undoes, const ProvenanceAgent& agent, int64_t now);
// The merge recorded by a Provenance written by MergeProvenanceJson("merge"); kNotFound
// when `json` is not one.
Result<MergeRecord> ParseMergeProvenance(std::string_view json);
// "merge", "unmerge" or "" for another Provenance.
std::string ProvenanceActivity(std::string_view json);

}  // namespace hb::reception
