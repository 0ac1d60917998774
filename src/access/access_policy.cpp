#include "access/access_policy.h"

#include "common/clock.h"
#include "fhir/model.h"

namespace hb::access {

namespace {

auth::Interaction ToInteraction(Op op) {
  switch (op) {
    case Op::kRead: return auth::Interaction::kRead;
    case Op::kSearch: return auth::Interaction::kSearch;
    case Op::kCreate: return auth::Interaction::kCreate;
    case Op::kUpdate: return auth::Interaction::kUpdate;
    case Op::kDelete: return auth::Interaction::kDelete;
  }
  return auth::Interaction::kRead;
}

std::string_view OpName(Op op) {
  switch (op) {
    case Op::kRead: return "read";
    case Op::kSearch: return "search";
    case Op::kCreate: return "create";
    case Op::kUpdate: return "update";
    case Op::kDelete: return "delete";
  }
  return "use";
}

Status Deny(std::string msg) { return Status(ErrorCode::kForbidden, std::move(msg)); }

}  // namespace

bool IsPatientData(std::string_view type) {
  return type == "Patient" || !fhir::Model::R4().PatientCompartmentPaths(type).empty();
}

Status AccessPolicy::CheckInteraction(const Principal& p, std::string_view type, Op op,
                                      bool count_only) const {
  if (!auth::Allows(p.scopes, "", type, ToInteraction(op))) {
    return Deny("the token's scopes do not allow " + std::string(OpName(op)) + " on " +
                std::string(type));
  }
  const bool patient_data = IsPatientData(type);
  const bool write = op == Op::kCreate || op == Op::kUpdate || op == Op::kDelete;
  switch (p.role) {
    case Role::kSystem:
      return Status::Ok();
    case Role::kDohOfficial:
      if (write) return Deny("Department of Health officials do not change records");
      if (patient_data && !count_only) {
        return Deny("Department of Health officials see aggregates only (use _summary=count)");
      }
      return Status::Ok();
    case Role::kSystemAdmin:
      if (patient_data) return Deny("system administrators do not read or write patient data");
      return Status::Ok();
    case Role::kCitizen:
      if (write && type != "Consent") {
        return Deny("citizens read their record; they change only their consents");
      }
      if (!patient_data && write) return Deny("citizens do not change shared records");
      return Status::Ok();
    default:
      break;
  }
  if (write && !MayWriteClinical(p.role) && patient_data) {
    return Deny(std::string(RoleName(p.role)) + " may not change patient records");
  }
  if (write && !patient_data && p.role != Role::kFacilityAdmin) {
    return Deny("shared records (facilities, staff, catalogues) are changed by administrators");
  }
  return Status::Ok();
}

Result<bool> AccessPolicy::CheckPatientConsent(const Principal& p, std::string_view type,
                                               std::string_view patient, storage::ReadTxn& txn,
                                               AccessNote* note) const {
  HB_ASSIGN_OR_RETURN(bool denied, txn.ConsentDenies(patient, p.facility_org, type));
  if (!denied) return false;
  if (p.break_glass_reason.empty()) {
    return Deny("Patient/" + std::string(patient) +
                " has withheld this record from your facility (Consent); a break-the-glass "
                "reason is needed");
  }
  note->break_glass = true;
  return true;
}

Status AccessPolicy::CheckConsent(const Principal& p, std::string_view type,
                                  const storage::RecordFacts& facts, storage::ReadTxn& txn,
                                  AccessNote* note) const {
  if (p.role == Role::kSystem || p.facility_org.empty()) return Status::Ok();
  if (!facts.owner.empty() && facts.owner == p.facility_org) return Status::Ok();
  for (const auto& patient : facts.patients) {
    HB_RETURN_IF_ERROR(CheckPatientConsent(p, type, patient, txn, note).status());
  }
  return Status::Ok();
}

Status AccessPolicy::CheckPatient(const Principal& p, std::string_view type,
                                  std::string_view patient, std::string_view owner,
                                  storage::ReadTxn& txn, AccessNote* note) const {
  const bool own_record = !owner.empty() && owner == p.facility_org;
  if (!own_record && !p.facility_org.empty()) {
    HB_ASSIGN_OR_RETURN(bool overridden, CheckPatientConsent(p, type, patient, txn, note));
    if (overridden) return Status::Ok();  // a Consent, broken through with a reason
  }
  if (own_record) return Status::Ok();
  if (type == "Patient" && MayFindPatients(p.role)) return Status::Ok();
  if (!p.facility_org.empty()) {
    HB_ASSIGN_OR_RETURN(bool care, txn.HasCare(patient, p.facility_org,
                                               NowMicros() - options_.recent_encounter_micros));
    if (care) return Status::Ok();
  }
  if (!p.break_glass_reason.empty()) {
    note->break_glass = true;
    return Status::Ok();
  }
  return Deny("no care relationship between your facility and Patient/" + std::string(patient) +
              " (an open or recent encounter, a referral or an order is needed; in an "
              "emergency send X-Break-Glass-Reason)");
}

Status AccessPolicy::CheckRecord(const Principal& p, std::string_view type, Op op,
                                 const storage::RecordFacts& facts, storage::ReadTxn& txn,
                                 AccessNote* note) const {
  if (p.role == Role::kSystem) return Status::Ok();
  const bool write = op == Op::kUpdate || op == Op::kDelete;
  if (facts.patients.empty()) {
    if (p.role == Role::kCitizen && write && type == "Consent") {
      return Deny("this Consent is not yours");
    }
    // A shared record (a ward, a store, a facility's price list) written by one facility is
    // changed by that facility only; records of no facility (the province's catalogues,
    // loaded by operators) by any facility administrator (CheckInteraction).
    if (write && !facts.owner.empty() && facts.owner != p.facility_org) {
      return Deny("this record belongs to another facility; staff change only their own "
                  "facility's records");
    }
    // A Provenance that names no patient (who entered an order on behalf of whom: it targets
    // the order) is read where it was written: it speaks of that facility's patients' records.
    if (type == "Provenance" && !facts.owner.empty() && facts.owner != p.facility_org) {
      return Deny("this Provenance belongs to another facility's records");
    }
    return Status::Ok();
  }
  switch (p.role) {
    case Role::kCitizen:
      for (const auto& patient : facts.patients) {
        if (patient != p.patient) return Deny("citizens see only their own record");
      }
      return Status::Ok();
    case Role::kDohOfficial:
    case Role::kSystemAdmin:
      return Deny(std::string(RoleName(p.role)) + " may not read patient records");
    default:
      break;
  }
  if (write && type != "Patient" && facts.owner != p.facility_org) {
    return Deny("this record belongs to another facility; staff change only their own "
                "facility's records");
  }
  for (const auto& patient : facts.patients) {
    HB_RETURN_IF_ERROR(CheckPatient(p, type, patient, facts.owner, txn, note));
  }
  return Status::Ok();
}

Status AccessPolicy::CheckCreate(const Principal& p, std::string_view type,
                                 const std::vector<std::string>& patients,
                                 const std::vector<storage::CareLink>& links,
                                 storage::ReadTxn& txn, AccessNote* note) const {
  if (p.role == Role::kSystem) return Status::Ok();
  if (patients.empty()) return Status::Ok();
  if (p.role == Role::kCitizen) {
    for (const auto& patient : patients) {
      if (patient != p.patient) return Deny("citizens write only their own consents");
    }
    return Status::Ok();
  }
  for (const auto& patient : patients) {
    if (type == "Patient") continue;  // registering a new patient
    bool establishes = false;
    for (const auto& link : links) {
      establishes |= link.patient == patient && link.org == p.facility_org;
    }
    if (establishes) continue;  // e.g. the encounter that starts the care
    HB_RETURN_IF_ERROR(CheckPatient(p, type, patient, "", txn, note));
  }
  return Status::Ok();
}

}  // namespace hb::access
