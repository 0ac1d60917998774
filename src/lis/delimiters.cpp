#include "lis/delimiters.h"

#include <cctype>

namespace hb::lis {

namespace {

std::string Show(char c) {
  if (c == '\r') return "CR";
  if (c == '\n') return "LF";
  if (c == ' ') return "space";
  if (c == '\t') return "tab";
  return std::string("'") + c + "'";
}

// Letters, digits and whitespace would make ordinary values ambiguous; a NUL cannot be told
// apart from "not declared".
bool Usable(char c) {
  auto u = static_cast<unsigned char>(c);
  return u > ' ' && u < 0x7F && !std::isalnum(u);
}

}  // namespace

std::string Delimiters::EncodingCharacters() const {
  std::string out{component, repetition, escape, subcomponent};
  if (truncation != '\0') out += truncation;
  return out;
}

size_t HeaderPrefixLength(const Delimiters& d) { return 4 + d.EncodingCharacters().size(); }

Result<Delimiters> ReadDelimiters(std::string_view segment, DelimiterError* why) {
  DelimiterError ignored;
  if (why == nullptr) why = &ignored;
  *why = DelimiterError::kNone;
  auto Bad = [why](DelimiterError reason, std::string message) {
    *why = reason;
    return Status(ErrorCode::kMalformedHl7, std::move(message));
  };
  std::string name(segment.substr(0, 3));
  if (segment.size() < 4) {
    return Bad(DelimiterError::kTooShort, name +
                                              " segment is too short to declare its delimiters (" +
                                              std::to_string(segment.size()) + " characters)");
  }
  Delimiters d;
  d.field = segment[3];
  if (!Usable(d.field)) {
    return Bad(DelimiterError::kUnusable,
               name + "-1 field separator " + Show(d.field) +
                   " is not usable (a letter, digit, space or control character)");
  }
  size_t end = segment.find(d.field, 4);
  std::string_view enc = segment.substr(4, end == std::string_view::npos ? end : end - 4);
  if (enc.size() < 4) {
    return Bad(DelimiterError::kMissingEncodingCharacters,
               name + "-2 declares " + std::to_string(enc.size()) +
                   " encoding characters; 4 are required (component, repetition, escape, "
                   "subcomponent)");
  }
  if (enc.size() > 5) {
    return Bad(DelimiterError::kTooManyEncodingCharacters,
               name + "-2 declares " + std::to_string(enc.size()) +
                   " encoding characters; at most 5 are allowed (the fifth is the truncation "
                   "character)");
  }
  d.component = enc[0];
  d.repetition = enc[1];
  d.escape = enc[2];
  d.subcomponent = enc[3];
  if (enc.size() == 5) d.truncation = enc[4];
  std::string all = std::string(1, d.field) + std::string(enc);
  for (size_t i = 0; i < all.size(); ++i) {
    if (!Usable(all[i])) {
      return Bad(DelimiterError::kUnusable,
                 name + "-2 encoding character " + Show(all[i]) +
                     " is not usable (a letter, digit, space or control character)");
    }
    for (size_t j = 0; j < i; ++j) {
      if (all[i] == all[j]) {
        return Bad(DelimiterError::kDuplicate, name + "-1/" + name + "-2 declare the delimiter " +
                                                   Show(all[i]) +
                                                   " twice; each delimiter must be distinct");
      }
    }
  }
  return d;
}

}  // namespace hb::lis
