// Segment: one HL7 v2 segment, its fields kept raw (escaped, as received).
//
// Contract: a value type; thread-compatible. Field n (1-based, as in "PID-3") is RawField(n).
// For header segments (MSH, FHS, BHS) field 1 is the field separator itself and field 2 the
// encoding characters, exactly as the standard numbers them; they are never split or
// unescaped. Each segment carries a copy of its message's delimiters and character set so
// that it can be read on its own (groups hand out segments). Absent fields, repetitions,
// components and subcomponents read as empty, never as errors. Numbers below 1 read as
// absent. Keeping the raw text is what makes encoding give back the received bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lis/charset.h"
#include "lis/delimiters.h"

namespace hb::lis {

// `s` cut at every `sep`; always at least one (possibly empty) piece.
std::vector<std::string_view> SplitView(std::string_view s, char sep);

class Segment {
 public:
  Segment() = default;
  // `fields[0]` is the name; `fields[n]` the raw text of field n.
  Segment(std::vector<std::string> fields, Delimiters delimiters, Charset charset, int line = 0);
  // A new segment with no fields, for building messages.
  Segment(std::string name, Delimiters delimiters, Charset charset = Charset::kUtf8);

  const std::string& name() const { return fields_.front(); }
  // 1-based line of the input it was read from; 0 for a segment built in code.
  int line() const { return line_; }
  const Delimiters& delimiters() const { return delimiters_; }
  Charset charset() const { return charset_; }
  bool IsHeader() const;  // MSH, FHS or BHS: fields 1 and 2 are the delimiters

  // The highest field number present, trailing empty fields included ("PID|1||" has 3).
  int FieldCount() const { return static_cast<int>(fields_.size()) - 1; }
  std::string_view RawField(int field) const;
  // The raw text at a level: rep 0 means the whole field, comp 0 the whole repetition,
  // sub 0 the whole component.
  std::string_view Raw(int field, int rep = 0, int comp = 0, int sub = 0) const;
  // Decoded (unescaped, UTF-8) leaf value; rep, comp and sub default to the first.
  std::string Get(int field, int rep = 1, int comp = 1, int sub = 1) const;

  // Counts at each level; an empty field has 0 repetitions, a present one at least 1.
  int RepetitionCount(int field) const;
  int ComponentCount(int field, int rep) const;
  int SubcomponentCount(int field, int rep, int comp) const;

  // Writes a raw (already escaped) field, adding empty fields up to it.
  void SetRawField(int field, std::string raw);
  // Escapes `value` and writes it as the whole field.
  void SetField(int field, std::string_view value);
  // Writes one leaf, escaping it and adding empty repetitions/components as needed.
  void Set(int field, int rep, int comp, int sub, std::string_view value);

  const std::vector<std::string>& raw_fields() const { return fields_; }

 private:
  std::vector<std::string> fields_{std::string()};
  Delimiters delimiters_;
  Charset charset_ = Charset::kUtf8;
  int line_ = 0;
};

}  // namespace hb::lis
