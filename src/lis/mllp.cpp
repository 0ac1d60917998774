#include "lis/mllp.h"

namespace hb::lis {

namespace {

constexpr size_t kJunkKept = 256;

bool Whitespace(char c) { return c == '\r' || c == '\n' || c == ' ' || c == '\t'; }

}  // namespace

std::string MllpFrame(std::string_view message) {
  std::string out;
  out.reserve(message.size() + 3);
  out += kMllpStart;
  out += message;
  out += kMllpEnd;
  out += kMllpCarriageReturn;
  return out;
}

Status MllpEvent::ToStatus() const {
  std::string at = " at stream offset " + std::to_string(offset);
  switch (kind) {
    case Kind::kMessage:
      return Status::Ok();
    case Kind::kJunk:
      return Status(ErrorCode::kMalformedHl7,
                    std::to_string(size) + " bytes outside any MLLP frame" + at);
    case Kind::kOversize:
      return Status(ErrorCode::kTooLarge,
                    "MLLP frame" + at + " exceeds the limit (" + std::to_string(size) + " bytes)");
    case Kind::kTruncated:
      return Status(ErrorCode::kMalformedHl7, "MLLP frame" + at + " ended after " +
                                                  std::to_string(size) +
                                                  " bytes without its end byte (0x1C)");
  }
  return Status::Ok();
}

MllpDecoder::MllpDecoder(MllpDecoderOptions options) : options_(options) {}

void MllpDecoder::Emit(MllpEvent::Kind kind, std::string payload, size_t offset, size_t size) {
  MllpEvent e;
  e.kind = kind;
  e.payload = std::move(payload);
  e.offset = offset;
  e.size = size;
  events_.push_back(std::move(e));
}

void MllpDecoder::FlushJunk() {
  if (junk_size_ > 0) Emit(MllpEvent::Kind::kJunk, std::move(junk_), junk_offset_, junk_size_);
  junk_.clear();
  junk_size_ = 0;
}

void MllpDecoder::StartFrame() {
  FlushJunk();
  state_ = State::kInFrame;
  frame_.clear();
  frame_offset_ = offset_;
  frame_size_ = 0;
}

void MllpDecoder::Feed(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    char c = bytes[i];
    if (state_ == State::kOutside) {
      if (after_end_ && c == kMllpCarriageReturn) {
        after_end_ = false;
      } else if (c == kMllpStart) {
        after_end_ = false;
        StartFrame();
      } else {
        after_end_ = false;
        // Whitespace between frames is what careless senders add; it carries nothing.
        if (!Whitespace(c)) {
          if (junk_size_ == 0) junk_offset_ = offset_;
          junk_ += c;
          // Reported in pieces so that a peer speaking another protocol is noticed early.
          if (++junk_size_ == kJunkKept) FlushJunk();
        }
      }
      ++i;
      ++offset_;
      continue;
    }
    if (c == kMllpStart) {
      // A new frame inside a frame: the sender gave up on the old one.
      if (state_ == State::kInFrame) {
        Emit(MllpEvent::Kind::kTruncated, std::move(frame_), frame_offset_, frame_size_);
      }
      StartFrame();
      ++i;
      ++offset_;
      continue;
    }
    if (c == kMllpEnd) {
      if (state_ == State::kInFrame) {
        Emit(MllpEvent::Kind::kMessage, std::move(frame_), frame_offset_, frame_size_);
      }
      frame_.clear();
      state_ = State::kOutside;
      after_end_ = true;
      ++i;
      ++offset_;
      continue;
    }
    // Copy the run of payload bytes up to the next control byte in one go.
    size_t end = bytes.find_first_of(std::string_view("\x0B\x1C", 2), i);
    if (end == std::string_view::npos) end = bytes.size();
    size_t run = end - i;
    if (state_ == State::kInFrame) {
      if (frame_size_ + run > options_.max_frame_bytes) {
        state_ = State::kSkipping;
        Emit(MllpEvent::Kind::kOversize, {}, frame_offset_, frame_size_ + run);
        frame_.clear();
        frame_.shrink_to_fit();
      } else {
        frame_.append(bytes.substr(i, run));
      }
    }
    frame_size_ += run;
    i = end;
    offset_ += run;
  }
}

void MllpDecoder::Finish() {
  if (state_ == State::kInFrame || state_ == State::kSkipping) {
    Emit(MllpEvent::Kind::kTruncated, std::move(frame_), frame_offset_, frame_size_);
  }
  frame_.clear();
  state_ = State::kOutside;
  after_end_ = false;
  FlushJunk();
}

bool MllpDecoder::Next(MllpEvent* event) {
  if (events_.empty()) return false;
  *event = std::move(events_.front());
  events_.pop_front();
  return true;
}

}  // namespace hb::lis
