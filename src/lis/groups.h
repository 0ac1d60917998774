// Segment groups: the nesting HL7 v2 expresses only by segment order.
//
// Contract: pure functions; the returned pointers point into the message and live as long
// as it does and is not changed. Thread-compatible.
// Groups() is the generic cut: a group starts at each `leader` segment and takes the segments
// after it while their names are in `members`. OrderObservations() knows the ORDER_OBSERVATION
// shape shared by ORU^R01, OUL^R22, OML^O21 and ORM^O01: an optional ORC, the OBR with its
// NTEs, then OBX segments each with its own NTEs; anything else inside the order (TQ1, SPM,
// DG1, FT1, Z-segments, ...) is kept in `others` in order, never lost.
// Spec: HL7 v2.5.1 chapter 7 (ORU^R01 message structure), chapter 4 (OML^O21, ORM^O01).
#pragma once

#include <initializer_list>
#include <string_view>
#include <vector>

#include "lis/message.h"

namespace hb::lis {

struct SegmentGroup {
  std::vector<const Segment*> segments;  // the leader first
  const Segment& leader() const { return *segments.front(); }
};

std::vector<SegmentGroup> Groups(const Message& message, std::string_view leader,
                                 std::initializer_list<std::string_view> members);

struct Observation {
  const Segment* obx = nullptr;
  std::vector<const Segment*> notes;   // NTE right after the OBX
  std::vector<const Segment*> others;  // Z-segments and the like right after it
};

struct OrderObservation {
  const Segment* orc = nullptr;       // may be absent (ORU often has none)
  const Segment* obr = nullptr;       // may be absent in OML/ORM orders without OBR
  std::vector<const Segment*> notes;  // NTE after the OBR (or after the ORC when no OBR)
  std::vector<Observation> observations;
  std::vector<const Segment*> others;
};

// The orders of the message in order. Segments before the first ORC/OBR (MSH, PID, PV1, ...)
// are not part of any order. An OBX or NTE that comes before any OBR/ORC is not returned here;
// the validator reports it as a segment sequence error.
std::vector<OrderObservation> OrderObservations(const Message& message);

}  // namespace hb::lis
