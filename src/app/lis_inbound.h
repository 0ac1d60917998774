// LisInbound: what healthbook does with each HL7 v2 message that arrives over MLLP. It is the
// MllpServer's handler (lis/mllp_server.h), wired by `healthbook serve --mllp`.
//
//   frame -> parse (AR with the parse error when it does not parse)
//         -> validate (AR for an envelope the interface does not take, AE for bad content)
//         -> map to a FHIR transaction (lis/mapping.h; AE naming the field when the data is
//            not what it claims)
//         -> validate and index the resources (on the MLLP thread)
//         -> one store Write: the idempotency gate, then every resource (app/lis_transaction.h)
//         -> the ACK from the write's completion: AA when committed (or when the message had
//            been stored before), AE with ERR 207/204/205 and the reason when the store
//            refused it (access, several matching patients, the store unavailable).
// Messages are not waited for one by one: each is a store Write whose completion answers it,
// so the writer commits many messages per fsync (group commit).
//
// Writes act as the interface's machine identity: an integration client of the facility
// (access::Role::kIntegration, subject "client:<client>", the facility's Organization), with
// write scopes on exactly the types the mappings produce. So the need-to-know rules hold for
// the LIS as for anyone: a result may be written for a patient the facility cares for (the
// order, an encounter, or a provisional record it creates itself).
//
// Contract: Handle() is called concurrently from the MLLP threads; the store and policy
// outlive this object. The facility's Organization is looked up until it exists (a facility
// registered after start-up is picked up without a restart).
#pragma once

#include <atomic>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "access/access_policy.h"
#include "access/principal.h"
#include "app/lis_transaction.h"
#include "lis/local_codes.h"
#include "lis/mllp_server.h"
#include "lis/validator.h"
#include "storage/resource_store.h"

namespace hb::app {

struct LisInboundOptions {
  std::string facility;        // MA_CSKCB code of the facility whose LIS/HIS sends here
  std::string client = "lis";  // the machine identity's client id (audit trail: client:<id>)
  std::unordered_map<std::string, std::string> authorities;  // PID-3 CX-4 namespace -> MA_CSKCB
  lis::LocalCodeMap local_codes;
};

struct LisInboundStats {
  uint64_t accepted = 0;    // AA, stored
  uint64_t duplicates = 0;  // AA, a resend: nothing new
  uint64_t errors = 0;      // AE
  uint64_t rejected = 0;    // AR
};

class LisInbound {
 public:
  LisInbound(storage::ResourceStore& store, const access::AccessPolicy& policy,
             LisInboundOptions options);

  // One MLLP frame: a message, or a batch (FHS/BHS ... BTS/FTS) whose messages are each stored
  // (each its own transaction) and answered together by a batch of ACKs in the same order.
  void Handle(std::string message, const lis::MllpPeer& peer, lis::MllpReply reply);
  LisInboundStats Stats() const;

 private:
  void HandleBatch(std::string text, const lis::MllpPeer& peer, lis::MllpReply reply);
  void HandleMessage(lis::Message msg, std::string raw, const lis::MllpPeer& peer,
                     lis::MllpReply reply);

  storage::ResourceStore& store_;
  const access::AccessPolicy& policy_;
  const LisInboundOptions options_;
  lis::ValidatorOptions validator_;
  FacilityOrgLookup facility_org_;
  access::Principal principal_;  // facility_org filled in per message
  std::atomic<uint64_t> accepted_{0}, duplicates_{0}, errors_{0}, rejected_{0};
  // What an answered message leaves behind (its parsed message, mapped resources, index rows,
  // identity): handed over by the write's completion, which runs on the store's writer, and
  // freed by the next message's MLLP thread, so the writer (whose time bounds the message rate)
  // spends none of it on freeing memory. Holds at most the messages answered since the last
  // one arrived.
  void Retire(std::initializer_list<std::shared_ptr<const void>> leftovers);
  void FreeRetired();
  std::mutex retired_mu_;
  std::vector<std::shared_ptr<const void>> retired_;  // retired_mu_
};

// Reads the seed (resources/catalogs/lis-local-loinc.csv), stores it as the facility's
// ConceptMap when there is none, and returns the map read back from the stored ConceptMap
// (so corrections made through the FHIR API are used).
Result<lis::LocalCodeMap> LoadLocalCodeMap(storage::ResourceStore& store,
                                           const std::string& facility);

}  // namespace hb::app
