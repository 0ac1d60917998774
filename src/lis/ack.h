// ACK generation: the original-mode acknowledgement a receiver returns for each message.
//
// BuildAck() answers a parsed message: MSH with sender and receiver swapped (MSH-3/4 become the
// original MSH-5/6 and the other way round), MSH-9 "ACK^<trigger>^ACK", a fresh MSH-10, the
// original's MSH-11 and MSH-12; MSA-1 AA/AE/AR and MSA-2 the original MSH-10; then one ERR per
// error in v2.5 form (ERR-2 location, ERR-3 HL7 table 0357 code, ERR-4 severity, ERR-8 user
// message). For a v2.3/v2.4 original, whose receivers know only ERR-1, ERR-1 (ELD) and MSA-3
// are filled as well. BuildRejectAck() answers input that did not parse at all: AR with a
// minimal MSH, reusing what can still be read from the garbage (MSH-3..6, MSH-10, MSH-12).
// AA: accepted. AE: the content has errors (data, internal failure). AR: rejected for the
// envelope: unsupported message type, event, processing id or version, or unparseable.
// The ACK keeps the original's delimiters and character set (when readable); its user
// messages should be ASCII when the original declares 8859/1. Contract: pure but for the
// clock and id generator (both overridable in AckOptions); thread-safe.
// Spec: HL7 v2.5.1 section 2.9 (acknowledgment), 2.15.5 (ERR), 2.15.8 (MSA), table 0357.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lis/message.h"
#include "lis/parser.h"

namespace hb::lis {

enum class AckCode { kAccept, kError, kReject };  // AA, AE, AR
std::string_view AckCodeText(AckCode code);

// HL7 table 0357, message error condition codes.
enum class Hl7Error {
  kSegmentSequence = 100,
  kRequiredFieldMissing = 101,
  kDataType = 102,
  kTableValueNotFound = 103,
  kUnsupportedMessageType = 200,
  kUnsupportedEvent = 201,
  kUnsupportedProcessingId = 202,
  kUnsupportedVersion = 203,
  kUnknownKey = 204,
  kDuplicateKey = 205,
  kRecordLocked = 206,
  kInternal = 207,
};
std::string_view Hl7ErrorText(Hl7Error code);  // "Required field missing"

// ERR-2 (ERL). Zero or empty parts are left out.
struct ErrorLocation {
  std::string segment;  // "PID"
  int sequence = 0;     // which PID (1 for the first)
  int field = 0;
  int field_repetition = 0;
  int component = 0;
  int subcomponent = 0;
};

struct AckError {
  Hl7Error code = Hl7Error::kInternal;
  ErrorLocation location;
  char severity = 'E';       // E error, W warning, I information (table 0516)
  std::string user_message;  // ERR-8
};

// AA when there is no error ('E'), AR when one is 200-203 (an envelope problem), else AE.
AckCode AckCodeFor(const std::vector<AckError>& errors);

struct AckOptions {
  std::string sending_application = "HEALTHBOOK";  // when the original names no receiver
  std::string sending_facility;
  std::string control_id;           // MSH-10; empty: a fresh unique id
  int64_t now_micros = 0;           // MSH-7; 0: the clock
  int utc_offset_minutes = 7 * 60;  // MSH-7 is written in local time of the province
  std::string version = "2.5.1";    // MSH-12 when the original has none
};

Message BuildAck(const Message& original, AckCode code, const std::vector<AckError>& errors,
                 const AckOptions& options = {});

// The ERR entry that describes a parse failure (code chosen per kind, e.g. 100 for no MSH,
// 102 for a bad escape), used by BuildRejectAck.
AckError ErrorForParseFailure(const ParseError& error);
Message BuildRejectAck(std::string_view raw_input, const ParseError& error,
                       const AckOptions& options = {});

// "20240115083000+0700" for `micros` since the epoch at the given UTC offset.
std::string FormatHl7Timestamp(int64_t micros, int utc_offset_minutes);

}  // namespace hb::lis
