// AccessPolicy: who may do what to which record (need-to-know).
//
// The rules (issue "Who may see what"; docs/implementation/access.md):
//  - scopes first: the token's SMART scopes must allow the interaction on the type;
//  - records outside every Patient compartment (facilities, staff, catalogues)
//    are readable by every signed-in principal;
//  - patient data:
//      * a citizen reads only their own compartment;
//      * a Department of Health official and a system administrator never read it
//        (the official may count: searches with _summary=count);
//      * facility staff and integration clients read a patient's data only with a
//        care relationship between the patient and their facility (an open or
//        recent encounter there, a referral or order addressed to it, registration
//        with it), or for the records their facility wrote; a reception desk may
//        read patients' demographics to find them; a break-the-glass reason lets
//        the read through and marks it for review;
//      * an active Consent that withholds the record (or its type) from a facility
//        is honoured on every read, except for the records that facility wrote;
//        break-the-glass overrides it and is flagged;
//      * staff change only the records their own facility wrote (a Patient
//        resource: any facility caring for the patient); what they create belongs
//        to their facility;
//  - operator tokens (role system) are limited by their scopes only.
// Thread-safety: const methods, thread-safe. Failure: kForbidden with the reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "access/principal.h"
#include "common/status.h"
#include "storage/resource_store.h"

namespace hb::access {

enum class Op { kRead, kSearch, kCreate, kUpdate, kDelete };

struct PolicyOptions {
  int64_t recent_encounter_micros = 90ll * 24 * 3600 * 1000000;  // "recent" = 90 days
};

// Whether a granted access needs review (break-the-glass).
struct AccessNote {
  bool break_glass = false;
};

class AccessPolicy {
 public:
  explicit AccessPolicy(PolicyOptions options = {}) : options_(options) {}

  // Before the store is touched: does the principal's role and scope allow `op`
  // on `type` at all? `count_only`: a search that returns only a total.
  Status CheckInteraction(const Principal& p, std::string_view type, Op op,
                          bool count_only = false) const;
  // A stored record about to be returned or changed.
  Status CheckRecord(const Principal& p, std::string_view type, Op op,
                     const storage::RecordFacts& facts, storage::ReadTxn& txn,
                     AccessNote* note) const;
  // A new record about to be created: `patients` are its compartments and
  // `links` the care relationships the record itself establishes.
  Status CheckCreate(const Principal& p, std::string_view type,
                     const std::vector<std::string>& patients,
                     const std::vector<storage::CareLink>& links, storage::ReadTxn& txn,
                     AccessNote* note) const;

  // Only the patients' Consents, for resources of `type` carried inside a record the
  // principal may otherwise see (a report's contained Observation): refused when a Consent of
  // one of `facts.patients` withholds `type` from the principal's facility, unless the
  // facility wrote the record or the request breaks the glass (flagged in `note`).
  Status CheckConsent(const Principal& p, std::string_view type,
                      const storage::RecordFacts& facts, storage::ReadTxn& txn,
                      AccessNote* note) const;

  const PolicyOptions& options() const { return options_; }

 private:
  // The Consent part of CheckPatient and CheckConsent, for a record not written by the
  // principal's facility: refused, or true when a Consent withholds it and the request
  // breaks the glass (flagged in `note`), false when no Consent withholds it.
  Result<bool> CheckPatientConsent(const Principal& p, std::string_view type,
                                   std::string_view patient, storage::ReadTxn& txn,
                                   AccessNote* note) const;
  Status CheckPatient(const Principal& p, std::string_view type, std::string_view patient,
                      std::string_view owner, storage::ReadTxn& txn, AccessNote* note) const;
  PolicyOptions options_;
};

// True when resources of `type` can hold patient data (they have a Patient compartment).
bool IsPatientData(std::string_view type);

}  // namespace hb::access
