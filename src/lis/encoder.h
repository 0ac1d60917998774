// Encoder: Message / BatchFile back into HL7 v2 text.
//
// Contract: pure functions, thread-safe. Every segment is written with its raw field text and
// its own delimiters and ends with CR (the standard's segment terminator), so a parsed input
// comes back byte for byte except that line endings are CR and blank lines and a byte order
// mark are gone. Encode() returns UTF-8, healthbook's internal encoding; EncodeForWire()
// converts to the character set MSH-18 declares, for sending to the peer.
#pragma once

#include <string>

#include "common/result.h"
#include "lis/message.h"

namespace hb::lis {

// "PID|1||..." without terminator.
std::string EncodeSegment(const Segment& segment);
std::string Encode(const Message& message);
std::string Encode(const BatchFile& file);
// Encode(message) in the message's declared character set; fails when a character has no
// code there (text written into an 8859/1 message that 8859/1 cannot hold).
Result<std::string> EncodeForWire(const Message& message);
// The same for a batch: each message in its own character set, the envelope in ASCII/UTF-8.
Result<std::string> EncodeForWire(const BatchFile& file);

}  // namespace hb::lis
