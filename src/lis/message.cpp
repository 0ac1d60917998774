#include "lis/message.h"

namespace hb::lis {

Message::Message(Delimiters delimiters, Charset charset, std::vector<Segment> segments)
    : delimiters_(delimiters), charset_(charset), segments_(std::move(segments)) {}

Message Message::WithHeader(Delimiters delimiters, Charset charset) {
  Message m(delimiters, charset, {});
  m.AddSegment("MSH");
  return m;
}

const Segment* Message::Find(std::string_view name, int n) const {
  for (const Segment& s : segments_) {
    if (s.name() == name && --n == 0) return &s;
  }
  return nullptr;
}

Segment* Message::FindMutable(std::string_view name, int n) {
  return const_cast<Segment*>(static_cast<const Message*>(this)->Find(name, n));
}

std::vector<const Segment*> Message::FindAll(std::string_view name) const {
  std::vector<const Segment*> out;
  for (const Segment& s : segments_) {
    if (s.name() == name) out.push_back(&s);
  }
  return out;
}

int Message::OccurrenceOf(const Segment* segment) const {
  int n = 0;
  for (const Segment& s : segments_) {
    if (s.name() == segment->name()) ++n;
    if (&s == segment) return n;
  }
  return 0;
}

Segment& Message::AddSegment(std::string name) {
  segments_.emplace_back(std::move(name), delimiters_, charset_);
  return segments_.back();
}

std::string Message::Get(std::string_view path) const {
  auto p = TerserPath::Parse(path);
  return p.ok() ? Get(*p) : std::string();
}

Result<std::string> Message::Lookup(std::string_view path) const {
  HB_ASSIGN_OR_RETURN(TerserPath p, TerserPath::Parse(path));
  return Get(p);
}

std::string Message::Get(const TerserPath& p) const {
  const Segment* s = Find(p.segment, p.segment_rep);
  if (s == nullptr) return {};
  auto one = [](int n) { return n > 0 ? n : 1; };
  return s->Get(p.field, one(p.field_rep), one(p.component), one(p.subcomponent));
}

std::string_view Message::GetRaw(const TerserPath& p) const {
  const Segment* s = Find(p.segment, p.segment_rep);
  if (s == nullptr) return {};
  // A component without a repetition means the first repetition's component.
  int rep = p.field_rep == 0 && p.component > 0 ? 1 : p.field_rep;
  return s->Raw(p.field, rep, p.component, p.subcomponent);
}

Status Message::Set(std::string_view path, std::string_view value) {
  HB_ASSIGN_OR_RETURN(TerserPath p, TerserPath::Parse(path));
  Segment* s = FindMutable(p.segment, p.segment_rep);
  if (s == nullptr) {
    return Status(
        ErrorCode::kInvalidArgument,
        "no segment " + p.segment + "(" + std::to_string(p.segment_rep) + ") in the message");
  }
  auto one = [](int n) { return n > 0 ? n : 1; };
  if (p.field_rep == 0 && p.component == 0) {
    s->SetField(p.field, value);
  } else {
    s->Set(p.field, one(p.field_rep), one(p.component), one(p.subcomponent), value);
  }
  return Status::Ok();
}

std::string Message::Type() const {
  std::string trigger = TriggerEvent();
  return trigger.empty() ? MessageCode() : MessageCode() + "^" + trigger;
}

size_t BatchFile::MessageCount() const {
  size_t n = 0;
  for (const Batch& b : batches) n += b.messages.size();
  return n;
}

std::vector<const Message*> BatchFile::Messages() const {
  std::vector<const Message*> out;
  for (const Batch& b : batches) {
    for (const Message& m : b.messages) out.push_back(&m);
  }
  return out;
}

}  // namespace hb::lis
