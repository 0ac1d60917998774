// Health workers of the demo province: a Practitioner and a PractitionerRole
// for each post. The hospital has 14 posts (doctors of several specialties,
// nurses, midwives, a pharmacist), each district centre 6, each commune
// station 1-2 (a doctor or an assistant physician, sometimes a nurse or a
// midwife). Every facility therefore has at least one prescriber.
//
// Licence numbers (Systems().practitioner_licence) look like "000123/ĐB-CCHN";
// the issuer of each qualification is the Department of Health.
//
// Contract: EmitStaff needs PlanFacilities' result; it fills ctx.staff and emits
// each Practitioner followed by its PractitionerRole.
#pragma once

#include "common/status.h"
#include "demo/context.h"

namespace hb::demo {

Status EmitStaff(DemoContext& ctx, uint64_t seed);

}  // namespace hb::demo
