#include "reception/json_out.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace hb::reception {

void JsonOut::ReferenceObject(std::string_view ref, std::string_view display) {
  BeginObject();
  if (!ref.empty()) Put("reference", ref);
  if (!display.empty()) Put("display", display);
  EndObject();
}

void JsonOut::PutReference(std::string_view k, std::string_view ref, std::string_view display) {
  Key(k);
  ReferenceObject(ref, display);
}

void JsonOut::PutReferenceArray(std::string_view k, std::string_view ref,
                                std::string_view display) {
  Key(k);
  BeginArray();
  ReferenceObject(ref, display);
  EndArray();
}

void JsonOut::Coding(std::string_view system, std::string_view code, std::string_view display) {
  BeginObject();
  Put("system", system);
  Put("code", code);
  if (!display.empty()) Put("display", display);
  EndObject();
}

void JsonOut::PutConcept(std::string_view k, std::string_view system, std::string_view code,
                         std::string_view display, std::string_view text) {
  Key(k);
  BeginObject();
  Key("coding");
  BeginArray();
  Coding(system, code, display);
  EndArray();
  if (!text.empty()) Put("text", text);
  EndObject();
}

std::string ScoreText(double score) {
  // Whole hundredths, so that the text is exact and two equal scores print equally.
  int hundredths = static_cast<int>(std::lround(std::clamp(score, 0.0, 1.0) * 100));
  char buf[24];  // "1.00" at most; room for any int the compiler cannot rule out
  std::snprintf(buf, sizeof buf, "%d.%02d", hundredths / 100, hundredths % 100);
  return buf;
}

}  // namespace hb::reception
