// Typed readers for the HL7 v2 composite data types that the lab and ADT mappings use.
//
// Contract: pure functions over a Segment, thread-safe; absent parts read as "". Each reader
// takes the field number and the repetition (1-based) and returns decoded UTF-8 text.
//   CX  extended composite ID (PID-3): id, check digit, scheme, assigning authority, type
//   XPN person name (PID-5): family, given, further given names, suffix, prefix, type
//   CWE coded with exceptions (OBX-3, v2.5; CE in v2.3/2.4 is its first six components)
//   HD  hierarchic designator (MSH-3..6): namespace, universal id, universal id type
//   SN  structured numeric (OBX-5 when OBX-2 is SN): "<^10", "^1^:^128", "^2^-^5"
// TsToFhirDateTime converts TS/DTM ("20240115083000+0700") to a FHIR dateTime.
// Spec: HL7 v2.5.1 chapter 2A (data types).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "lis/segment.h"

namespace hb::lis {

struct Hd {
  std::string namespace_id, universal_id, universal_id_type;
};

struct Cx {
  std::string id, check_digit, check_digit_scheme;
  Hd assigning_authority;       // CX-4, its parts in subcomponents
  std::string identifier_type;  // CX-5: "MR", "NI", "PPN", "HC" (table 0203)
  Hd assigning_facility;        // CX-6
};

struct Xpn {
  std::string family, given, further_given, suffix, prefix, degree, name_type;
};

struct Cwe {
  std::string code, text, system, alternate_code, alternate_text, alternate_system;
};

struct Sn {
  std::string comparator;             // "", ">", "<", ">=", "<=", "=", "<>"
  std::string num1, separator, num2;  // separator: "-", "+", "/", ".", ":"
};

Hd ReadHd(const Segment& s, int field, int rep = 1);
Cx ReadCx(const Segment& s, int field, int rep = 1);
Xpn ReadXpn(const Segment& s, int field, int rep = 1);
Cwe ReadCwe(const Segment& s, int field, int rep = 1);
Sn ReadSn(const Segment& s, int field, int rep = 1);

// True for an HL7 NM value: optional sign, digits, optional decimal point ("-1.5", ".5").
bool IsHl7Numeric(std::string_view text);

// "YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]" as a FHIR date or dateTime
// ("2024-01-15T08:30:00+07:00"). A time without zone gets `default_offset` ("+07:00":
// Vietnam); FHIR needs seconds when there is a time, so they are added as 00. Fails on a
// value that is not a real moment (month 13, minute 61, letters).
Result<std::string> TsToFhirDateTime(std::string_view ts,
                                     std::string_view default_offset = "+07:00");

}  // namespace hb::lis
