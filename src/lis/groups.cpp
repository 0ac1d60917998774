#include "lis/groups.h"

namespace hb::lis {

std::vector<SegmentGroup> Groups(const Message& message, std::string_view leader,
                                 std::initializer_list<std::string_view> members) {
  std::vector<SegmentGroup> out;
  bool open = false;
  for (const Segment& s : message.segments()) {
    if (s.name() == leader) {
      out.push_back({{&s}});
      open = true;
      continue;
    }
    bool member = false;
    for (std::string_view m : members) member |= s.name() == m;
    if (open && member) {
      out.back().segments.push_back(&s);
    } else {
      open = false;
    }
  }
  return out;
}

std::vector<OrderObservation> OrderObservations(const Message& message) {
  std::vector<OrderObservation> out;
  // Patient-level segments end an order: in ORU^R01 a new PID starts a new PATIENT_RESULT.
  auto ends_order = [](const std::string& n) {
    return n == "MSH" || n == "PID" || n == "PD1" || n == "PV1" || n == "PV2" || n == "IN1";
  };
  OrderObservation* order = nullptr;
  for (const Segment& s : message.segments()) {
    const std::string& n = s.name();
    if (n == "ORC") {
      out.emplace_back();
      order = &out.back();
      order->orc = &s;
    } else if (n == "OBR") {
      // An OBR joins the ORC before it (TQ1 timing may sit between); otherwise it starts its
      // own order.
      if (order == nullptr || order->obr != nullptr || !order->observations.empty()) {
        out.emplace_back();
        order = &out.back();
      }
      order->obr = &s;
    } else if (order == nullptr) {
      continue;
    } else if (ends_order(n)) {
      order = nullptr;
    } else if (n == "OBX") {
      order->observations.push_back(Observation{&s, {}, {}});
    } else if (n == "NTE") {
      if (!order->observations.empty()) {
        order->observations.back().notes.push_back(&s);
      } else {
        order->notes.push_back(&s);
      }
    } else if (!order->observations.empty() && n.front() == 'Z') {
      order->observations.back().others.push_back(&s);
    } else {
      order->others.push_back(&s);
    }
  }
  return out;
}

}  // namespace hb::lis
