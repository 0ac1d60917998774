// Plausibility of vital signs (FHIR R4 vital-signs profile, LOINC codes): a vital-signs
// Observation whose value is physically impossible, or in a unit the measurement does not
// take, is refused before it reaches the chart. The limits are deliberately wide (the
// extremes ever recorded in living patients, newborns included): they catch typing
// errors (37 typed as 373, kg typed as g), not abnormal values, which are the doctor's to judge.
//
// Contract: pure functions, thread-safe. Failure: kUnprocessable naming the element.
#pragma once

#include <string_view>

#include "common/status.h"
#include "fhir/json.h"

namespace hb::clinical {

// Whether `observation` is a vital sign (category vital-signs, or one of the codes below).
bool IsVitalSign(const fhir::JsonValue& observation);
// Checks each value[x]/component against the code's units and limits:
// 8867-4 pulse /min, 8480-6/8462-4 blood pressure mm[Hg] (also in panel 85354-9, where the
// diastolic must stay below the systolic), 8310-5 temperature Cel or [degF], 9279-1
// respiratory rate /min, 29463-7 weight kg, g or [lb_av], 8302-2 height cm, m or [in_i], 39156-5 BMI kg/m2,
// 59408-5 / 2708-6 SpO2 %.
Status CheckVitalSign(const fhir::JsonValue& observation);

}  // namespace hb::clinical
