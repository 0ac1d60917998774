#include "fhir/vn_systems.h"

#include <utility>

namespace hb::fhir::vn {

namespace {

IdentifierSystems& Mutable() {
  static IdentifierSystems systems = MakeSystems(std::string(kDefaultSystemsBase));
  return systems;
}

}  // namespace

IdentifierSystems MakeSystems(std::string base) {
  if (base.empty() || base.back() != '/') base.push_back('/');
  IdentifierSystems s;
  s.base = std::move(base);
  s.cccd = s.base + "cccd";
  s.cmnd = s.base + "cmnd";
  s.bhyt_card = s.base + "bhyt-card";
  s.bhxh = s.base + "bhxh";
  s.facility = s.base + "facility";
  s.admin_unit = s.base + "admin-unit";
  s.practitioner_licence = s.base + "practitioner-licence";
  s.icd10_vn = s.base + "icd-10-vn";
  s.ethnic_group = s.base + "ethnic-group";
  s.charge_code = s.base + "charge-code";
  s.ext_ethnicity = s.base + "extension/ethnicity";
  s.ext_address_admin_units = s.base + "extension/address-admin-units";
  return s;
}

const IdentifierSystems& Systems() { return Mutable(); }

void ConfigureSystemsBase(std::string base) { Mutable() = MakeSystems(std::move(base)); }

std::string RebaseSystems(std::string_view text) {
  const std::string& base = Systems().base;
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (true) {
    size_t hit = text.find(kDefaultSystemsBase, pos);
    if (hit == std::string_view::npos) break;
    out.append(text.substr(pos, hit - pos));
    out.append(base);
    pos = hit + kDefaultSystemsBase.size();
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace hb::fhir::vn
