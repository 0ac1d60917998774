// MLLP (Minimal Lower Layer Protocol) framing: how HL7 v2 messages travel over TCP.
// A frame is <VT 0x0B> message bytes <FS 0x1C><CR 0x0D>.
//
// MllpDecoder is a push parser for a byte stream: feed it whatever a read returned (one byte,
// half a frame, three frames and a bit), then take events until Next() is empty. It never
// blocks and never drops data silently:
//   kMessage    a complete frame's payload;
//   kJunk       bytes outside any frame other than CR/LF/space/tab, reported when the next
//               frame starts, at Finish, and in pieces of 256 bytes (so that a peer speaking
//               another protocol is noticed without waiting for the end of the stream);
//   kOversize   a frame grew past max_frame_bytes: reported once (size: the bytes read when
//               the limit was passed), the rest of the frame is skipped up to its end byte,
//               and decoding resumes after it;
//   kTruncated  a frame that never ended: a new start byte arrived inside it, or the stream
//               ended (Finish) inside it. Its bytes are in the payload.
// Tolerated: a missing CR after FS (some senders omit it). A Boost.Asio session calls Feed()
// from its read handler, drains Next(), and calls Finish() on EOF or error.
// Contract: one decoder per connection; not thread-safe (one strand). Memory is bounded by
// max_frame_bytes plus the events not yet taken.
// Spec: HL7 v2.5.1 Appendix C (lower layer protocols), C.4 MLLP.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>

#include "common/status.h"

namespace hb::lis {

inline constexpr char kMllpStart = '\x0B';
inline constexpr char kMllpEnd = '\x1C';
inline constexpr char kMllpCarriageReturn = '\x0D';

// <VT> message <FS><CR>.
std::string MllpFrame(std::string_view message);

struct MllpDecoderOptions {
  size_t max_frame_bytes = 16 * 1024 * 1024;  // the payload, start and end bytes excluded
};

struct MllpEvent {
  enum class Kind { kMessage, kJunk, kOversize, kTruncated };
  Kind kind = Kind::kMessage;
  std::string payload;  // the message; for kJunk its first bytes; for kTruncated what came
  size_t offset = 0;    // stream offset of the frame's start byte (of the junk's first byte)
  size_t size = 0;      // bytes the event covers (junk, frame so far, payload length)

  // OK for kMessage; otherwise a MalformedHl7 (TooLarge for kOversize) Status that says what
  // happened and where, for logs and for the listener's reply.
  Status ToStatus() const;
};

class MllpDecoder {
 public:
  explicit MllpDecoder(MllpDecoderOptions options = {});

  void Feed(std::string_view bytes);
  // The end of the stream: reports a frame in progress as kTruncated and pending junk.
  void Finish();
  // Takes the oldest event; false when there is none.
  bool Next(MllpEvent* event);

  bool InFrame() const { return state_ != State::kOutside; }
  size_t pending_events() const { return events_.size(); }
  size_t bytes_seen() const { return offset_; }

 private:
  enum class State { kOutside, kInFrame, kSkipping };
  void StartFrame();
  void FlushJunk();
  void Emit(MllpEvent::Kind kind, std::string payload, size_t offset, size_t size);

  MllpDecoderOptions options_;
  State state_ = State::kOutside;
  bool after_end_ = false;  // the last byte was FS: a CR now belongs to it
  std::string frame_;
  size_t frame_offset_ = 0;
  size_t frame_size_ = 0;  // counts skipped bytes of an oversize frame too
  std::string junk_;
  size_t junk_offset_ = 0;
  size_t junk_size_ = 0;
  size_t offset_ = 0;
  std::deque<MllpEvent> events_;
};

}  // namespace hb::lis
