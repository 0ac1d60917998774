// JsonWriter: compact FHIR JSON text for the demo generator.
//
// A thin layer over rapidjson::Writer with FHIR-shaped helpers (Coding,
// CodeableConcept, Reference, Quantity). Decimals are written from their text
// ("36.8") so that no binary floating point is involved. Keys and values are
// UTF-8 and written as they are.
//
// Contract: a value type; not thread-safe. The caller balances Start*/End*
// calls; Take() returns the text and resets the writer.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

namespace hb::demo {

class JsonWriter {
 public:
  JsonWriter() : writer_(buffer_) {}

  void StartObject() { writer_.StartObject(); }
  void EndObject() { writer_.EndObject(); }
  void StartArray() { writer_.StartArray(); }
  void EndArray() { writer_.EndArray(); }
  void Key(std::string_view k) { writer_.Key(k.data(), Size(k)); }
  void String(std::string_view v) { writer_.String(v.data(), Size(v)); }
  void Int(int64_t v) { writer_.Int64(v); }
  void Bool(bool v) { writer_.Bool(v); }
  // A JSON number from its text; the caller guarantees the syntax.
  void Decimal(std::string_view text) {
    writer_.RawValue(text.data(), text.size(), rapidjson::kNumberType);
  }

  void Field(std::string_view k, std::string_view v) {
    Key(k);
    String(v);
  }
  void FieldInt(std::string_view k, int64_t v) {
    Key(k);
    Int(v);
  }
  void FieldBool(std::string_view k, bool v) {
    Key(k);
    Bool(v);
  }
  void FieldDecimal(std::string_view k, std::string_view v) {
    Key(k);
    Decimal(v);
  }
  void ObjectField(std::string_view k) {
    Key(k);
    StartObject();
  }
  void ArrayField(std::string_view k) {
    Key(k);
    StartArray();
  }

  // Starts a resource: {"resourceType":..,"id":..  (caller ends it).
  void BeginResource(std::string_view type, std::string_view id) {
    StartObject();
    Field("resourceType", type);
    Field("id", id);
  }
  // {"system":..,"code":..,"display":..} (display omitted when empty).
  void Coding(std::string_view system, std::string_view code, std::string_view display = {}) {
    StartObject();
    Field("system", system);
    Field("code", code);
    if (!display.empty()) Field("display", display);
    EndObject();
  }
  // "key": {"coding":[one coding],"text":..} (text omitted when empty).
  void CodeableConcept(std::string_view k, std::string_view system, std::string_view code,
                       std::string_view display, std::string_view text = {}) {
    ObjectField(k);
    ArrayField("coding");
    Coding(system, code, display);
    EndArray();
    if (!text.empty()) Field("text", text);
    EndObject();
  }
  // "key": {"reference":"Type/id","display":..}.
  void Reference(std::string_view k, std::string_view type, std::string_view id,
                 std::string_view display = {}) {
    ObjectField(k);
    ReferenceBody(type, id, display);
  }
  // {"reference":..} as an array element.
  void ReferenceItem(std::string_view type, std::string_view id, std::string_view display = {}) {
    StartObject();
    ReferenceBody(type, id, display);
  }
  // "key": {"value":..,"unit":..,"system":UCUM,"code":..}.
  void UcumQuantity(std::string_view k, std::string_view value, std::string_view unit,
                    std::string_view code) {
    ObjectField(k);
    FieldDecimal("value", value);
    Field("unit", unit);
    Field("system", "http://unitsofmeasure.org");
    Field("code", code);
    EndObject();
  }

  std::string Take() {
    std::string out(buffer_.GetString(), buffer_.GetSize());
    buffer_.Clear();
    writer_.Reset(buffer_);
    return out;
  }

 private:
  static rapidjson::SizeType Size(std::string_view s) {
    return static_cast<rapidjson::SizeType>(s.size());
  }
  void ReferenceBody(std::string_view type, std::string_view id, std::string_view display) {
    std::string ref;
    ref.reserve(type.size() + 1 + id.size());
    ref.append(type).append("/").append(id);
    Field("reference", ref);
    if (!display.empty()) Field("display", display);
    EndObject();
  }

  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace hb::demo
