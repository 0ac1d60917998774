// Internal to the ORU mapping: one OBX as an Observation, and the pieces of it that other
// resources reuse (an ED value as an Attachment). docs/implementation/hl7v2-mapping.md,
// "Observation".
//
// Contract: as mapping_context.h (one message, one thread; data problems become AckErrors).
#pragma once

#include <string>

#include "lis/groups.h"
#include "lis/mapping_context.h"

namespace hb::lis {

struct ResultInput {
  const Observation* obx = nullptr;  // the OBX with its NTEs
  PatientRefs patient;
  std::string service_request;  // fullUrl, "" when the order has no number
  std::string identifier;       // Observation.identifier value (LabResultSystem)
  std::string effective;        // OBR-7, used when OBX-14 is empty
  std::string issued;           // OBR-22 as an instant, or ""
  std::string specimen;         // fullUrl of the order's (first) Specimen, or ""
};

// The Observation for an OBX (any value type but ED).
fhir::JsonValue MapResult(MapContext& ctx, BundleBuilder& bundle, const ResultInput& in);

// An ED value (OBX-5: source^type^subtype^encoding^data) as an Attachment: content type from
// type/subtype ("AP^PDF" and "application^pdf" are both application/pdf), data in Base64
// whatever the encoding (A, Hex, Base64), the title from OBX-3.
void MapAttachment(MapContext& ctx, JsonNode attachment, const Segment& obx);

// OBX-7 ("3.9-6.4", ">=90", "<5", "Âm tính") into referenceRange[0], quantities in `unit`.
void MapReferenceRange(JsonNode observation, std::string_view range, const Segment& obx);

}  // namespace hb::lis
