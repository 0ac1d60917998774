// Which ServiceRequests go to the LIS, and what the order itself records about it.
//
// A ServiceRequest is sent when it is a laboratory order (category SNOMED 108252007
// "Laboratory procedure", observation-category laboratory or v2-0074 LAB; intent order,
// original-order or reflex-order) for this facility's laboratory (a performer is this
// facility's Organization, or there is no performer and the facility wrote it), and the LIS
// did not number it itself (no filler order number: orders that came from the LIS in a result
// are not sent back).
//   - active, not sent yet            -> NW (new order)
//   - revoked or entered-in-error, NW sent, CA not yet -> CA (cancel)
// Each message sent leaves one instance of the complex extension OrderExtension() on the
// order: control (NW/CA), controlId (MSH-10), queued (when), and, once the LIS answered,
// ack (AA/AE/AR), ackTime and detail (the ACK's error text). The order's placer number is
// its placer-order identifier (PlacerOrderSystem) when it has one, else its id, which is then
// written as that identifier, so that the results the LIS returns (OBR-2) find the order.
//
// Contract: pure functions on JSON; thread-compatible.
#pragma once

#include <string>
#include <string_view>

#include "fhir/json.h"

namespace hb::lis {

// <base>extension/lis-order
std::string OrderExtension();

struct OrderAction {
  std::string control;                 // "NW", "CA", or "" (nothing to send)
  std::string placer;                  // the placer order number to use
  bool add_placer_identifier = false;  // the order has no placer number yet
  std::string reason;                  // why nothing is sent (for debug logs)
};

// `owner`: the Organization id of the facility that wrote the order (storage facts).
OrderAction DecideOrderAction(const fhir::JsonValue& service_request, std::string_view facility,
                              std::string_view facility_org, std::string_view owner);

// The outbox key and MSH-10 of an order message: "<id>:NW"; the control id is short (HL7 v2.5
// gives MSH-10 20 characters) and the same on every try, so the LIS can tell a resend.
std::string OrderOutboxKey(std::string_view id, std::string_view control);
std::string OrderControlId(std::string_view outbox_key);

// Records on the order that `control` was queued (and the placer identifier when asked).
void RecordOrderQueued(fhir::JsonValue& service_request, fhir::JsonAlloc& alloc,
                       const OrderAction& action, std::string_view facility,
                       std::string_view control_id, std::string_view queued_at);
// Records the LIS's answer on the extension instance with `control_id`; false when the order
// has no such instance (it was changed meanwhile).
bool RecordOrderAck(fhir::JsonValue& service_request, fhir::JsonAlloc& alloc,
                    std::string_view control_id, std::string_view ack_code, std::string_view detail,
                    std::string_view at);

}  // namespace hb::lis
