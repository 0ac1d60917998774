// Validator: the checks a receiver makes before accepting a parsed message, reported as the
// ERR entries of its ACK (HL7 table 0357 codes with locations).
//
// Checked: MSH-9, MSH-10, MSH-11 and MSH-12 present (101); processing id P/D/T (202); version
// 2.3 to 2.5.1 (203); message type and event among `supported_types` (200, 201). Then per type:
// ADT needs EVN, PID (with PID-3 and PID-5) and PV1 (A40: MRG with MRG-1 instead of PV1);
// ORU/OUL need an OBR before any OBX (100); OML/ORM need ORC with ORC-1 from table 0119 and
// OBR-4; every OBX needs OBX-3 and OBX-11 (101), OBX-2 and OBX-11 from tables 0125 and 0085
// (103), and OBX-5 that fits OBX-2 (NM, SN, DT, TS/DTM, ED; 102). Envelope problems stop the
// checks: a message of an unknown type is not read further.
// At most 100 errors are reported (the first ones), so a hostile message cannot make a huge ACK.
// Contract: pure, thread-safe; linear in the message size; an empty result means accept (AA).
#pragma once

#include <string>
#include <vector>

#include "lis/ack.h"
#include "lis/message.h"

namespace hb::lis {

struct ValidatorOptions {
  // "CODE^TRIGGER" pairs accepted; the lab and registration flows healthbook maps.
  std::vector<std::string> supported_types = {"ADT^A01", "ADT^A02", "ADT^A03", "ADT^A04",
                                              "ADT^A08", "ADT^A40", "ORU^R01", "OUL^R22",
                                              "OML^O21", "ORM^O01"};
  std::vector<std::string> supported_versions = {"2.3", "2.3.1", "2.4", "2.5", "2.5.1"};
};

std::vector<AckError> ValidateMessage(const Message& message, const ValidatorOptions& options = {});

}  // namespace hb::lis
