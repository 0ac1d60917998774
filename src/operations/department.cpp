#include "operations/department.h"

#include "operations/op_support.h"

namespace hb::operations {

namespace {

Status BadDepartment(std::string_view why) {
  return Status(ErrorCode::kInvalidArgument, "parameter 'department' " + std::string(why),
                "Parameters.parameter");
}

bool IsCode(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<Department> ReadDepartment(storage::ReadTxn& txn, const ParametersIn& in) {
  std::string value;
  auto text = in.Text("department");
  if (text.ok() && text->has_value()) {
    value = **text;
  } else {
    HB_ASSIGN_OR_RETURN(auto ref, in.Reference("department"));
    if (!ref) return BadDepartment("is required (a code, or a Location or Organization)");
    value = *ref;
  }
  Department d;
  for (std::string_view type : {"Location", "Organization"}) {
    if (value.find(std::string(type) + "/") == std::string::npos) continue;
    HB_ASSIGN_OR_RETURN(std::string id, IdFromReference(value, type, "department"));
    auto v = txn.Read(type, id);
    if (!v.ok() || v->deleted) {
      return BadDepartment("names " + std::string(type) + "/" + id + ", which does not exist");
    }
    auto doc = fhir::ParseJson(v->json);
    d.key = std::string(type) + "/" + id;
    d.display = doc.ok() ? std::string(fhir::MemberString(*doc, "name")) : std::string();
    if (type == "Location") d.location_id = id;
    return d;
  }
  if (!IsCode(value)) {
    return BadDepartment(
        "must be a code of letters, digits, '-', '_' or '.' (at most 64), or a "
        "Location/Organization reference; got '" +
        value + "'");
  }
  d.key = value;
  d.display = value;
  return d;
}

}  // namespace hb::operations
