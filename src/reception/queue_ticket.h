// Queue tickets: the number a patient waits with, per facility, department and local day,
// carried by the visit's Encounter.
//
// An Encounter holds its ticket three times: as a meta.tag naming its queue (system
// QueueTagSystem(), code "<facility Organization id>:<yyyymmdd>:<department>": the
// workflow label a queue is read by, through the _tag index), as an identifier (system
// QueueNumberSystem(), value "<that code>:<number>", unique, so a number is looked up in
// the token index) and as the complex extension QueueTicketExtension() with `department`
// (valueString), `date` (valueDate, the local day), `number` (valueInteger) and, once
// called, `called` (valueDateTime). The department key is a code ("KHAMNOI") or a
// reference ("Location/abc"); Encounter.serviceType carries it too, with its name.
//
// The local day is the facility's calendar day: UTC plus `utc_offset_minutes`
// (reception.utc_offset_minutes, Vietnam: +420, no daylight saving).
//
// Contract: pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"
#include "fhir/json.h"

namespace hb::reception {

struct QueueKey {
  std::string facility_org;  // Organization id of the facility
  std::string department;    // department key
  std::string day;           // local day, yyyymmdd
  std::string Text() const { return facility_org + ":" + day + ":" + department; }
  friend bool operator==(const QueueKey&, const QueueKey&) = default;
};

// "20260115" for the local day of `micros`.
std::string LocalDay(int64_t micros, int utc_offset_minutes);
// "20260115" -> "2026-01-15".
std::string DayIso(std::string_view day);
// The identifier value of ticket `number`.
std::string TicketValue(const QueueKey& key, int number);

// 0 for stat/emergency (S, EM), 1 for urgent (UR, A, T), 2 for routine and unset.
int PriorityRank(std::string_view act_priority_code);

struct QueueTicket {
  QueueKey key;
  int number = 0;
  std::string encounter_id;
  int64_t version = 0;
  std::string status;    // Encounter.status
  std::string priority;  // v3-ActPriority code, "" when routine/unset
  std::string patient_ref, patient_display;
  std::string arrived;  // period.start
  std::string called;   // when called, else ""
  bool Waiting() const { return status == "arrived" || status == "triaged"; }
};

// The ticket of an Encounter; nullopt when it has none.
std::optional<QueueTicket> TicketOf(const fhir::JsonValue& encounter);

// What a new visit records.
struct VisitRequest {
  std::string patient_id, patient_display;
  std::string department, department_display;
  std::string location_id;  // when the department is a Location
  std::string facility_org;
  std::string priority;     // v3-ActPriority code; "" for routine
  std::string coverage_id;  // the Coverage checked for this visit; "" when none
};

// The arrived ambulatory Encounter of a visit holding ticket `number`, started at `now`.
std::string EncounterJson(const VisitRequest& visit, const QueueKey& key, int number, int64_t now);
// `encounter` (stored JSON) called at `now`: status in-progress, the arrived period in
// statusHistory, `called` in the ticket. Fails (kConflict) when it is not waiting.
Result<std::string> CalledEncounterJson(std::string_view encounter, int64_t now);

}  // namespace hb::reception
