// JsonOut: builds the JSON text of the resources and Parameters reception writes, over
// rapidjson::Writer. Stored resource bytes are embedded as they are (Raw), numbers
// from their text, so nothing passes through binary floating point.
//
// Contract: single use, not thread-safe; the caller balances Begin*/End*.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace hb::reception {

class JsonOut {
 public:
  JsonOut() : w_(buf_) {}

  void BeginObject() { w_.StartObject(); }
  void EndObject() { w_.EndObject(); }
  void BeginArray() { w_.StartArray(); }
  void EndArray() { w_.EndArray(); }
  void Key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void Str(std::string_view v) { w_.String(v.data(), static_cast<rapidjson::SizeType>(v.size())); }
  void Int(int64_t v) { w_.Int64(v); }
  void Bool(bool v) { w_.Bool(v); }
  // A JSON number written from its text ("0.85"); the caller guarantees the syntax.
  void Number(std::string_view text) {
    w_.RawValue(text.data(), text.size(), rapidjson::kNumberType);
  }
  // A JSON object given as text (a stored resource).
  void Raw(std::string_view json) { w_.RawValue(json.data(), json.size(), rapidjson::kObjectType); }

  void Put(std::string_view k, std::string_view v) { Key(k), Str(v); }
  void PutBool(std::string_view k, bool v) { Key(k), Bool(v); }
  void PutInt(std::string_view k, int64_t v) { Key(k), Int(v); }
  // {"reference": ref, "display": display} under `k` (display left out when empty).
  void PutReference(std::string_view k, std::string_view ref, std::string_view display = {});
  // The same reference as the one element of an array under `k` (Provenance.target,
  // ChargeItem.service, Coverage.payor...).
  void PutReferenceArray(std::string_view k, std::string_view ref, std::string_view display = {});
  // {"system", "code", "display"} as an object in the current array.
  void Coding(std::string_view system, std::string_view code, std::string_view display = {});
  // {"coding": [one coding], "text"} under `k` (text left out when empty).
  void PutConcept(std::string_view k, std::string_view system, std::string_view code,
                  std::string_view display = {}, std::string_view text = {});

  // {"url": url, <value_key>: value} as an object in the current array (an extension with a
  // string-typed value: valueString, valueDate, valueCode...).
  void Extension(std::string_view url, std::string_view value_key, std::string_view value) {
    BeginObject();
    Put("url", url);
    Put(value_key, value);
    EndObject();
  }

  std::string Take() { return std::string(buf_.GetString(), buf_.GetSize()); }

 private:
  void ReferenceObject(std::string_view ref, std::string_view display);

  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

// "0.85": a score in [0, 1] with two decimals, as FHIR decimal text.
std::string ScoreText(double score);

}  // namespace hb::reception
