#include "lis/segment.h"

#include "lis/escape.h"

namespace hb::lis {

namespace {

// The 1-based `index`-th piece of `s` cut at `sep`; empty when absent.
std::string_view Piece(std::string_view s, char sep, int index) {
  if (index < 1) return {};
  size_t start = 0;
  for (int i = 1; i < index; ++i) {
    size_t next = s.find(sep, start);
    if (next == std::string_view::npos) return {};
    start = next + 1;
  }
  size_t end = s.find(sep, start);
  return s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

int PieceCount(std::string_view s, char sep) {
  if (s.empty()) return 0;
  int n = 1;
  for (char c : s) n += c == sep;
  return n;
}

// Replaces the 1-based `index`-th piece of `s`, adding empty pieces up to it.
std::string Replace(std::string_view s, char sep, int index, std::string_view piece) {
  std::vector<std::string_view> parts = SplitView(s, sep);
  std::vector<std::string> out(parts.begin(), parts.end());
  if (static_cast<int>(out.size()) < index) out.resize(static_cast<size_t>(index));
  out[static_cast<size_t>(index - 1)] = std::string(piece);
  std::string joined;
  for (size_t i = 0; i < out.size(); ++i) {
    if (i > 0) joined += sep;
    joined += out[i];
  }
  return joined;
}

}  // namespace

std::vector<std::string_view> SplitView(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t next = s.find(sep, start);
    if (next == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, next - start));
    start = next + 1;
  }
}

Segment::Segment(std::vector<std::string> fields, Delimiters delimiters, Charset charset, int line)
    : fields_(std::move(fields)), delimiters_(delimiters), charset_(charset), line_(line) {
  if (fields_.empty()) fields_.emplace_back();
}

Segment::Segment(std::string name, Delimiters delimiters, Charset charset)
    : fields_{std::move(name)}, delimiters_(delimiters), charset_(charset) {
  if (IsHeader()) {
    fields_.emplace_back(1, delimiters_.field);
    fields_.push_back(delimiters_.EncodingCharacters());
  }
}

bool Segment::IsHeader() const {
  const std::string& n = name();
  return n == "MSH" || n == "FHS" || n == "BHS";
}

std::string_view Segment::RawField(int field) const {
  if (field < 1 || field > FieldCount()) return {};
  return fields_[static_cast<size_t>(field)];
}

std::string_view Segment::Raw(int field, int rep, int comp, int sub) const {
  std::string_view v = RawField(field);
  if (IsHeader() && field <= 2) return (rep <= 1 && comp <= 1 && sub <= 1) ? v : std::string_view();
  if (rep == 0) return v;
  v = Piece(v, delimiters_.repetition, rep);
  if (comp == 0) return v;
  v = Piece(v, delimiters_.component, comp);
  if (sub == 0) return v;
  return Piece(v, delimiters_.subcomponent, sub);
}

std::string Segment::Get(int field, int rep, int comp, int sub) const {
  std::string_view raw = Raw(field, rep, comp, sub);
  if (IsHeader() && field <= 2) return std::string(raw);
  return Unescape(raw, delimiters_, charset_);
}

int Segment::RepetitionCount(int field) const {
  if (IsHeader() && field <= 2) return RawField(field).empty() ? 0 : 1;
  return PieceCount(RawField(field), delimiters_.repetition);
}

int Segment::ComponentCount(int field, int rep) const {
  if (IsHeader() && field <= 2) return RawField(field).empty() ? 0 : 1;
  return PieceCount(Raw(field, rep), delimiters_.component);
}

int Segment::SubcomponentCount(int field, int rep, int comp) const {
  if (IsHeader() && field <= 2) return RawField(field).empty() ? 0 : 1;
  return PieceCount(Raw(field, rep, comp), delimiters_.subcomponent);
}

void Segment::SetRawField(int field, std::string raw) {
  if (field < 1 || (IsHeader() && field <= 2)) return;  // the delimiters are fixed at birth
  if (FieldCount() < field) fields_.resize(static_cast<size_t>(field) + 1);
  fields_[static_cast<size_t>(field)] = std::move(raw);
}

void Segment::SetField(int field, std::string_view value) {
  SetRawField(field, Escape(value, delimiters_));
}

void Segment::Set(int field, int rep, int comp, int sub, std::string_view value) {
  if (field < 1 || rep < 1 || comp < 1 || sub < 1) return;
  if (IsHeader() && field <= 2) return;  // the delimiters are set by the constructor
  const Delimiters& d = delimiters_;
  std::string leaf = Escape(value, d);
  std::string c = Replace(Raw(field, rep, comp), d.subcomponent, sub, leaf);
  std::string r = Replace(Raw(field, rep), d.component, comp, c);
  SetRawField(field, Replace(RawField(field), d.repetition, rep, r));
}

}  // namespace hb::lis
