// The province's health facilities: the payer, the Department of Health, the
// provincial general hospital, a health centre per district and a health
// station per commune, as Organization (and Location) resources.
//
// Facility codes are MA_CSKCB-style (province code + 3 digits) but invented:
// hospital 11001, district centres 11011.. in district-code order, commune
// stations 11101.. in district then catalogue order. Do not submit them to the
// insurance portal.
//
// Contract: PlanFacilities fills ctx.facilities and the lookup maps without
// emitting; EmitFacilities emits every Organization (parents first), then a
// Location per facility with a code.
#pragma once

#include "common/status.h"
#include "demo/context.h"

namespace hb::demo {

void PlanFacilities(DemoContext& ctx);
Status EmitFacilities(DemoContext& ctx);

// The index in ctx.facilities of the station of a commune, the centre of a district.
const Facility& StationOf(const DemoContext& ctx, int district, int commune);
const Facility& CentreOf(const DemoContext& ctx, int district);

}  // namespace hb::demo
