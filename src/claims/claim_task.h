// The record of a claim's journey to one portal, kept as a FHIR Task linked to the
// Encounter: queued, being retried, accepted (with the portal's maGiaoDich), rejected
// (with its maLoi) or invalid (our validator's errors). One Task per encounter and portal,
// id "claim-nat-<Encounter id>" or "claim-prov-<Encounter id>", updated in place. The
// check-in (XML0) sent at the start of a visit has its own Task, "claim-in-<Encounter id>",
// portal "checkin", code claim-checkin.
//
// The claims work list is a plain search: GET /fhir/Task?code=claim-submission&status=failed
// (rejected and invalid claims), ...&status=completed (accepted), ...&status=requested,
// in-progress (queued, retrying).
//
// Shape: status requested | in-progress | completed | failed; businessStatus.text queued |
// retrying | accepted | rejected | invalid; code claim-submission (system
// <identifier base>task-code); focus Encounter; for Patient; statusReason.text the portal's
// message or the errors; input MA_LK, portal, schema, outbox-seq; output maGiaoDich, answer.
//
// Contract: pure functions over JSON text; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hb::claims {

struct ClaimTask {
  std::string encounter_id, patient_id;
  std::string portal;  // "national" | "provincial" | "checkin" (XML0 to the national portal)
  std::string ma_lk, schema;
  int64_t outbox_seq = 0;
  std::string status = "requested";
  std::string business = "queued";
  std::string reason;
  std::string transaction;
  std::string answer;
  std::string authored;  // instant of the first queueing
};

std::string ClaimTaskId(std::string_view portal, std::string_view encounter_id);
std::string ClaimTaskJson(const ClaimTask& t, std::string_view now_instant);
Result<ClaimTask> ReadClaimTask(std::string_view json);

}  // namespace hb::claims
