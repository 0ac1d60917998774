#include "reception/repoint.h"

namespace hb::reception {

namespace {

using fhir::JsonValue;
using fhir::Member;
using fhir::MemberString;

// The position of "Patient/<id>" in `ref` when it names that patient, else npos.
size_t PatientSegment(std::string_view ref, std::string_view id) {
  const std::string seg = "Patient/" + std::string(id);
  size_t at = ref.rfind(seg);
  if (at == std::string_view::npos) return at;
  if (at != 0 && ref[at - 1] != '/') return std::string_view::npos;
  std::string_view rest = ref.substr(at + seg.size());
  if (!rest.empty() && !rest.starts_with("/_history/")) return std::string_view::npos;
  return at;
}

std::string Retarget(std::string_view ref, std::string_view id, std::string_view to) {
  size_t at = PatientSegment(ref, id);
  return std::string(ref.substr(0, at)) + "Patient/" + std::string(to);
}

JsonValue LinkValue(std::string_view other_id, std::string_view type, fhir::JsonAlloc& a) {
  JsonValue link(rapidjson::kObjectType);
  JsonValue other(rapidjson::kObjectType);
  std::string ref = "Patient/" + std::string(other_id);
  other.AddMember("reference",
                  JsonValue(ref.c_str(), static_cast<rapidjson::SizeType>(ref.size()), a), a);
  link.AddMember("other", other, a);
  link.AddMember("type", JsonValue(type.data(), static_cast<rapidjson::SizeType>(type.size()), a),
                 a);
  return link;
}

Status AddLink(fhir::JsonDoc& doc, std::string_view other_id, std::string_view type) {
  auto& a = doc.GetAllocator();
  JsonValue* links = Member(doc, "link");
  if (!links) {
    doc.AddMember("link", JsonValue(rapidjson::kArrayType), a);
    links = Member(doc, "link");
  }
  if (!links->IsArray()) return Status(ErrorCode::kInvalidResource, "Patient.link is not a list");
  links->PushBack(LinkValue(other_id, type, a), a);
  return Status::Ok();
}

Result<fhir::JsonDoc> ParsePatient(std::string_view json) {
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(json));
  if (!doc.IsObject() || MemberString(doc, "resourceType") != "Patient") {
    return Status(ErrorCode::kInvalidResource, "not a Patient");
  }
  return doc;
}

}  // namespace

bool RefersToPatient(std::string_view ref, std::string_view id) {
  return PatientSegment(ref, id) != std::string_view::npos;
}

std::vector<RepointedSite> Repoint(const fhir::ResourceFacts& facts, fhir::JsonAlloc& alloc,
                                   std::string_view from, std::string_view to) {
  std::vector<RepointedSite> out;
  for (const auto& site : facts.references) {
    if (!fhir::IsString(*site.reference)) continue;
    std::string_view ref = fhir::StringView(*site.reference);
    if (!RefersToPatient(ref, from)) continue;
    RepointedSite r{site.location, std::string(ref)};
    fhir::SetString(*site.reference, Retarget(ref, from, to), alloc);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<RepointedSite> Restore(const fhir::ResourceFacts& facts, fhir::JsonAlloc& alloc,
                                   std::string_view to, const std::vector<RepointedSite>& sites) {
  std::vector<RepointedSite> changed;
  for (const auto& s : sites) {
    bool restored = false;
    for (const auto& site : facts.references) {
      if (site.location != s.location || !fhir::IsString(*site.reference)) continue;
      if (RefersToPatient(fhir::StringView(*site.reference), to)) {
        fhir::SetString(*site.reference, s.original, alloc);
        restored = true;
      }
      break;
    }
    if (!restored) changed.push_back(s);
  }
  return changed;
}

Result<std::string> RetireSource(std::string_view source_json, std::string_view target_id,
                                 std::optional<bool>* previous_active) {
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, ParsePatient(source_json));
  auto& a = doc.GetAllocator();
  JsonValue* active = Member(doc, "active");
  *previous_active = std::nullopt;
  if (active && active->IsBool()) {
    *previous_active = active->GetBool();
    active->SetBool(false);
  } else {
    doc.AddMember("active", false, a);
  }
  HB_RETURN_IF_ERROR(AddLink(doc, target_id, "replaced-by"));
  return fhir::Serialize(doc);
}

Result<std::string> LinkTarget(std::string_view target_json, std::string_view source_id) {
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, ParsePatient(target_json));
  HB_RETURN_IF_ERROR(AddLink(doc, source_id, "replaces"));
  return fhir::Serialize(doc);
}

Result<std::string> Unlink(std::string_view patient_json, std::string_view other_id,
                           std::string_view type, bool restore_active, std::optional<bool> active) {
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, ParsePatient(patient_json));
  auto& a = doc.GetAllocator();
  if (JsonValue* links = Member(doc, "link"); links && links->IsArray()) {
    const std::string ref = "Patient/" + std::string(other_id);
    for (auto it = links->Begin(); it != links->End(); ++it) {
      const JsonValue* other = it->IsObject() ? Member(*it, "other") : nullptr;
      if (other && other->IsObject() && MemberString(*other, "reference") == ref &&
          MemberString(*it, "type") == type) {
        links->Erase(it);
        break;
      }
    }
    if (links->Empty()) doc.RemoveMember("link");
  }
  if (restore_active) {
    // In place when it was there before, so the restored record reads as it did.
    JsonValue* current = Member(doc, "active");
    if (!active) {
      doc.RemoveMember("active");
    } else if (current) {
      current->SetBool(*active);
    } else {
      doc.AddMember("active", *active, a);
    }
  }
  return fhir::Serialize(doc);
}

}  // namespace hb::reception
