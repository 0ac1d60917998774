// Message: one HL7 v2 message (MSH and the segments up to the next MSH or batch segment),
// and BatchFile: what one input holds (FHS/BHS envelopes around any number of messages).
//
// Contract: value types; thread-compatible. Segments keep their raw text (see segment.h), so
// reading never fails: an absent value is "". Get() takes a terser path (terser_path.h) and
// returns decoded UTF-8; Lookup() is the same but refuses a malformed path. The header
// accessors read MSH fields by their standard meaning. Z-segments are ordinary segments.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "lis/segment.h"
#include "lis/terser_path.h"

namespace hb::lis {

class Message {
 public:
  Message() = default;
  Message(Delimiters delimiters, Charset charset, std::vector<Segment> segments);
  // A message with only an MSH, for building (ACKs, tests).
  static Message WithHeader(Delimiters delimiters = {}, Charset charset = Charset::kUtf8);

  const Delimiters& delimiters() const { return delimiters_; }
  Charset charset() const { return charset_; }
  const std::vector<Segment>& segments() const { return segments_; }
  std::vector<Segment>& mutable_segments() { return segments_; }
  // The first segment (MSH); nullptr only for a default-constructed message.
  const Segment* header() const { return segments_.empty() ? nullptr : &segments_.front(); }

  // The n-th (1-based) segment named `name`, or nullptr.
  const Segment* Find(std::string_view name, int n = 1) const;
  Segment* FindMutable(std::string_view name, int n = 1);
  std::vector<const Segment*> FindAll(std::string_view name) const;
  // Which occurrence of its name `segment` is (1 for the first OBX), 0 if not in this message.
  int OccurrenceOf(const Segment* segment) const;
  // Appends a segment that uses this message's delimiters and charset.
  Segment& AddSegment(std::string name);

  std::string Get(std::string_view path) const;
  Result<std::string> Lookup(std::string_view path) const;
  std::string Get(const TerserPath& path) const;
  // The raw text at the path's level (a whole field when no repetition is given).
  std::string_view GetRaw(const TerserPath& path) const;
  // Writes one decoded value at a path; the segment must exist.
  Status Set(std::string_view path, std::string_view value);

  // MSH fields by meaning (decoded; first component unless said otherwise).
  std::string SendingApplication() const { return Get("MSH-3"); }    // MSH-3.1
  std::string SendingFacility() const { return Get("MSH-4"); }       // MSH-4.1
  std::string ReceivingApplication() const { return Get("MSH-5"); }  // MSH-5.1
  std::string ReceivingFacility() const { return Get("MSH-6"); }     // MSH-6.1
  std::string DateTimeOfMessage() const { return Get("MSH-7"); }     // MSH-7.1
  std::string MessageCode() const { return Get("MSH-9.1"); }         // "ORU"
  std::string TriggerEvent() const { return Get("MSH-9.2"); }        // "R01"
  std::string MessageStructure() const { return Get("MSH-9.3"); }    // "ORU_R01"
  std::string ControlId() const { return Get("MSH-10"); }
  std::string ProcessingId() const { return Get("MSH-11"); }  // P, D or T
  std::string Version() const { return Get("MSH-12"); }       // "2.5.1"
  std::string CharacterSet() const { return Get("MSH-18"); }  // as declared
  // "ORU^R01" (code and trigger joined with '^', whatever the delimiters).
  std::string Type() const;

 private:
  Delimiters delimiters_;
  Charset charset_ = Charset::kUtf8;
  std::vector<Segment> segments_;
};

// One batch: an optional BHS/BTS pair around messages. Messages not inside a BHS form a
// batch without header.
struct Batch {
  std::optional<Segment> header;  // BHS
  std::vector<Message> messages;
  std::optional<Segment> trailer;  // BTS
};

// Everything one input holds: an optional FHS/FTS pair around batches. A plain message is a
// file with one header-less batch holding one message.
struct BatchFile {
  std::optional<Segment> header;  // FHS
  std::vector<Batch> batches;
  std::optional<Segment> trailer;  // FTS

  size_t MessageCount() const;
  // The messages of every batch, in order.
  std::vector<const Message*> Messages() const;
};

}  // namespace hb::lis
