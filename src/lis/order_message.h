// Laboratory orders out: a FHIR ServiceRequest (with its Patient and, when known, Encounter)
// as an HL7 v2 order for the LIS: OML^O21 (v2.4 and later, with TQ1 for the priority), or
// ORM^O01 for the older systems that speak v2.3/v2.3.1 (priority in ORC-7/OBR-27).
// docs/implementation/hl7v2-mapping.md, "Orders out".
//
//   MSH  us -> the LIS; MSH-10 given by the caller (stable per order, so a resend after a
//        crash carries the same control id and the LIS can recognise it)
//   PID  identifiers (CCCD as NI, MRN as MR, BHYT card as HC), name, birth date, sex,
//        address, phone
//   PV1  patient class, visit number (when the order names an encounter)
//   ORC  NW (new) or CA (cancel), placer order number ^HEALTHBOOK, time, ordering provider
//   TQ1  priority (OML)
//   OBR  placer order number, the test: the facility's local lab code when the order has one
//        (the LIS knows its own codes), else LOINC; ordering provider
//   NTE  the order's notes
//
// Contract: pure (but for the clock when now_micros is 0), thread-safe. Fails with
// kInvalidResource naming the element when the order has no code or no subject.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "fhir/json.h"
#include "lis/message.h"

namespace hb::lis {

struct OrderMessageOptions {
  std::string version = "2.5.1";
  std::string facility;  // MA_CSKCB: MSH-4, the local lab code system, MRN authority
  std::string sending_application = "HEALTHBOOK";
  std::string receiving_application = "LIS";
  std::string receiving_facility;    // MSH-6; empty: the facility
  std::string control_id;            // MSH-10
  std::string order_control = "NW";  // NW new order, CA cancel
  std::string placer_order;          // ORC-2.1 / OBR-2.1
  int64_t now_micros = 0;
};

// "OML^O21" for v2.4 and later, "ORM^O01" for v2.3 and v2.3.1.
std::string OrderMessageType(std::string_view version);

Result<Message> BuildOrderMessage(const fhir::JsonValue& service_request,
                                  const fhir::JsonValue* patient, const fhir::JsonValue* encounter,
                                  const OrderMessageOptions& options);

}  // namespace hb::lis
