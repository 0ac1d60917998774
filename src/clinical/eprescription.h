// National e-prescriptions (đơn thuốc điện tử, Thông tư 04/2022/TT-BYT; the national system
// donthuocquocgia.vn): the prescription code, the message sent to the national system, and
// the printable prescription.
//
// The code (mã đơn thuốc) has 14 characters: the facility code (5, MA_CSKCB), 7 characters
// the facility assigns, unique among its prescriptions, a '-', and the kind of prescription
// (1: c thường/cơ bản, n gây nghiện, h hướng thần và tiền chất, y y học cổ truyền). This
// server derives the 7 characters from the prescription's group (the encounter id), so the
// same prescription always gets the same code (docs/implementation/clinical.md).
//
// Contract: pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hb::clinical {

// `facility_code` is the 5-character MA_CSKCB; `group` the prescription's group key.
std::string NationalPrescriptionCode(std::string_view facility_code, std::string_view group,
                                     char kind = 'c');

struct PrescriptionLine {
  std::string drug_code, name, ingredient, strength, unit;
  std::string quantity;  // dispensed quantity as text
  std::string instruction;  // cách dùng
  std::string route;
};

struct PrescriptionDoc {
  std::string code;        // national code
  std::string facility_code, facility_name;
  std::string patient_name, patient_birth, patient_gender, patient_address, insurance_number;
  std::string patient_id;
  std::vector<std::pair<std::string, std::string>> diagnoses;  // (ICD code, name)
  std::vector<PrescriptionLine> lines;
  std::string doctor_name, doctor_licence;
  std::string issued;  // FHIR dateTime
  std::string advice;  // lời dặn
  std::string follow_up;  // ngày tái khám (YYYY-MM-DD)
};

// Text made safe for HTML element content and attribute values: common/xml_escape.h's
// XmlEscaped under the name operations/clinical_inpatient.cpp calls.
std::string HtmlEscape(std::string_view text);

// The JSON message for the national system (field names of the national interface, in
// snake case Vietnamese without diacritics; docs/implementation/clinical.md).
std::string PrescriptionMessageJson(const PrescriptionDoc& doc);
// The printable page (HTML, Vietnamese) with the code as text and QR (`qr_svg`: an <svg>).
std::string PrescriptionHtml(const PrescriptionDoc& doc, std::string_view qr_svg);

}  // namespace hb::clinical
