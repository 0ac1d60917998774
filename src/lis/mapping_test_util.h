// Test helpers for the HL7 v2 -> FHIR mapping tests (mapping_test.cpp,
// registration_mapping_test.cpp): the fixtures, the options a facility's interface uses, and
// a mapped fixture with lookups by JSON path ("code.coding[1].code").
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "fhir/validator.h"
#include "lis/mapping.h"
#include "lis/parser.h"

namespace hb::lis::mapping_testing {

namespace fs = std::filesystem;

inline std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline const LocalCodeMap& Codes() {
  static const LocalCodeMap map = *LocalCodeMap::FromCsv(Read(HB_LIS_LOCAL_LOINC_CSV));
  return map;
}

inline MappingOptions Options() {
  MappingOptions o;
  o.facility = "11001";
  o.facility_org = "org-bvdk";
  o.local_codes = &Codes();
  o.authorities = {{"TTYT_TUANGIAO", "11012"}};
  o.received_micros = 1710471000000000;  // 2024-03-15T02:50:00Z
  return o;
}

// "a.b[2].c" inside a JSON value; nullptr when absent.
inline const fhir::JsonValue* At(const fhir::JsonValue& root, std::string_view path) {
  const fhir::JsonValue* v = &root;
  while (!path.empty() && v != nullptr) {
    size_t end = path.find_first_of(".[");
    std::string_view name = path.substr(0, end);
    if (!name.empty()) v = fhir::Member(*v, name);
    path = end == std::string_view::npos ? std::string_view() : path.substr(end);
    if (!path.empty() && path.front() == '[') {
      size_t close = path.find(']');
      size_t i = std::stoul(std::string(path.substr(1, close - 1)));
      v = (v && v->IsArray() && i < v->Size()) ? &(*v)[static_cast<rapidjson::SizeType>(i)]
                                               : nullptr;
      path.remove_prefix(close + 1);
    }
    if (!path.empty() && path.front() == '.') path.remove_prefix(1);
  }
  return v;
}

inline std::string Text(const fhir::JsonValue& root, std::string_view path) {
  const fhir::JsonValue* v = At(root, path);
  if (v == nullptr) return "<absent>";
  if (fhir::IsNumber(*v)) return std::string(fhir::NumberText(*v));
  if (v->IsString()) return std::string(fhir::StringView(*v));
  if (v->IsBool()) return v->GetBool() ? "true" : "false";
  return fhir::Serialize(*v);
}

class Mapped {
 public:
  explicit Mapped(const std::string& fixture, MappingOptions options = Options()) {
    raw_ = Read(fs::path(HB_HL7_FIXTURES_DIR) / fixture);
    auto msg = ParseMessage(raw_);
    EXPECT_TRUE(msg.ok()) << msg.status().ToString();
    message_ = *msg;
    MapOutcome out = MapMessage(message_, raw_, options);
    for (const AckError& e : out.errors) ADD_FAILURE() << fixture << ": " << e.user_message;
    if (out.mapped) m_ = std::move(*out.mapped);
  }
  const fhir::JsonValue& bundle() const { return m_.bundle; }
  const MappedMessage& mapped() const { return m_; }
  size_t size() const { return At(m_.bundle, "entry")->Size(); }
  const fhir::JsonValue& entry(size_t i) const {
    return (*At(m_.bundle, "entry"))[static_cast<rapidjson::SizeType>(i)];
  }
  // The n-th resource of a type (0-based).
  const fhir::JsonValue& Resource(std::string_view type, int n = 0) const {
    for (size_t i = 0; i < size(); ++i) {
      const fhir::JsonValue& r = *At(entry(i), "resource");
      if (fhir::MemberString(r, "resourceType") == type && n-- == 0) return r;
    }
    static const fhir::JsonValue kNull;
    ADD_FAILURE() << "no " << type;
    return kNull;
  }
  std::string FullUrl(std::string_view type, int n = 0) const {
    for (size_t i = 0; i < size(); ++i) {
      const fhir::JsonValue& r = *At(entry(i), "resource");
      if (fhir::MemberString(r, "resourceType") == type && n-- == 0)
        return Text(entry(i), "fullUrl");
    }
    return "<absent>";
  }
  // The Bundle entry whose resource is the n-th of `type`.
  const fhir::JsonValue& EntryOf(std::string_view type, int n = 0) const {
    for (size_t i = 0; i < size(); ++i) {
      const fhir::JsonValue& r = *At(entry(i), "resource");
      if (fhir::MemberString(r, "resourceType") == type && n-- == 0) return entry(i);
    }
    static const fhir::JsonValue kNull;
    return kNull;
  }
  int Count(std::string_view type) const {
    int n = 0;
    for (size_t i = 0; i < size(); ++i) {
      n += fhir::MemberString(*At(entry(i), "resource"), "resourceType") == type;
    }
    return n;
  }
  // Every resource is valid FHIR R4.
  void ExpectValid() const {
    for (size_t i = 0; i < size(); ++i) {
      fhir::JsonDoc copy;
      copy.CopyFrom(*At(entry(i), "resource"), copy.GetAllocator());
      fhir::ResourceFacts facts;
      Status st = fhir::ValidateResource(copy, &facts);
      EXPECT_TRUE(st.ok()) << "entry " << i << ": " << st.ToString() << "\n"
                           << fhir::Serialize(copy);
    }
  }

 private:
  std::string raw_;
  Message message_;
  MappedMessage m_;
};

}  // namespace hb::lis::mapping_testing
