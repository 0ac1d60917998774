#include "app/lis_transaction.h"

#include <optional>
#include <unordered_map>

#include "auth/scopes.h"
#include "common/ids.h"
#include "fhir/search_escape.h"
#include "fhir/vn_systems.h"
#include "http/query.h"
#include "lis/lis_systems.h"
#include "lis/update_merge.h"
#include "operations/merge_support.h"
#include "reception/patient_features.h"
#include "reception/patient_matcher.h"
#include "search/query_parser.h"
#include "storage/identifier_lookup.h"

namespace hb::app {

namespace {

Status AtEntry(size_t i, const LisEntry& e, const Status& st) {
  return Status(st.code(), e.type + " (Bundle.entry[" + std::to_string(i) + "]): " + st.message(),
                st.location());
}

// The values of a one-parameter condition's OR list ("s|a,s|b"), escapes kept; empty when
// the condition is anything else.
std::vector<std::string> Alternatives(const rest::QueryParams& condition) {
  std::vector<std::string> out;
  if (condition.size() != 1) return out;
  const std::string& v = condition[0].second;
  std::string piece;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      piece.append(v, i, 2);
      ++i;
    } else if (v[i] == ',') {
      out.push_back(std::move(piece));
      piece.clear();
    } else {
      piece.push_back(v[i]);
    }
  }
  out.push_back(std::move(piece));
  if (out.size() == 1) out.clear();
  return out;
}

// Whether the resource carries every "system|value" token of `tokens` (search-escaped) as an
// identifier.
bool HoldsAll(const storage::ResourceVersion& v, const std::vector<std::string>& tokens) {
  auto doc = fhir::ParseJson(v.json);
  if (!doc.ok()) return false;
  const fhir::JsonValue* ids = fhir::Member(*doc, "identifier");
  if (ids == nullptr || !ids->IsArray()) return false;
  for (const std::string& token : tokens) {
    bool held = false;
    for (const fhir::JsonValue& id : ids->GetArray()) {
      std::string have(fhir::MemberString(id, "system"));
      have.append(1, '|').append(fhir::EscapeSearchValue(fhir::MemberString(id, "value")));
      held |= have == token;
    }
    if (!held) return false;
  }
  return true;
}

// The system and value of a token search value "system|value" (search escapes removed);
// false unless it has exactly one unescaped bar, no unescaped comma (an OR) and both parts.
bool SplitIdentifierToken(std::string_view text, std::string* system, std::string* value) {
  std::string* part = system;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      part->push_back(text[++i]);
    } else if (text[i] == '|') {
      if (part == value) return false;
      part = value;
    } else if (text[i] == ',') {
      return false;
    } else {
      part->push_back(text[i]);
    }
  }
  return part == value && !system->empty() && !value->empty();
}

// rest::FindMatches; an `identifier=system|value` condition goes to the store's direct
// lookup when it has one (storage/identifier_lookup.h: cached statements on the write
// transaction, where the general search parses the query and builds its SQL each time),
// with the same answer: at most two current records, in rid order.
Result<std::vector<storage::ResourceVersion>> FindMatches(storage::WriteTxn& txn,
                                                          const std::string& type,
                                                          const rest::QueryParams& condition) {
  if (condition.size() == 1 && condition[0].first == "identifier") {
    if (auto* direct = dynamic_cast<storage::IdentifierLookup*>(&txn)) {
      std::string system, value;
      if (SplitIdentifierToken(condition[0].second, &system, &value)) {
        HB_ASSIGN_OR_RETURN(auto found, direct->FindByIdentifier(type, system, value, 2));
        if (found) return std::move(*found);
      }
    }
  }
  return rest::FindMatches(txn, type, condition);
}

// rest::FindMatches, but an OR of identifiers is looked up one identifier at a time: each is
// an index lookup, where the store answers the OR by reading every identifier row of the type.
// When the first lookup finds one record that carries all the identifiers, that record is the
// match and the others are not looked up: a second record sharing one of them would be a
// duplicate to reconcile, and the message's subject is still the one that has them all.
Result<std::vector<storage::ResourceVersion>> MatchesAsStored(storage::WriteTxn& txn,
                                                              const std::string& type,
                                                              const rest::QueryParams& condition) {
  std::vector<std::string> alternatives = Alternatives(condition);
  if (alternatives.empty()) return FindMatches(txn, type, condition);
  std::vector<storage::ResourceVersion> all;
  for (const std::string& one : alternatives) {
    if (all.size() == 1 && condition[0].first == "identifier" && HoldsAll(all[0], alternatives)) {
      break;
    }
    HB_ASSIGN_OR_RETURN(auto found, FindMatches(txn, type, {{condition[0].first, one}}));
    for (auto& v : found) {
      bool seen = false;
      for (const auto& have : all) seen |= have.id == v.id;
      if (!seen) all.push_back(std::move(v));
    }
  }
  return all;
}

// The features of a Patient merged away ($merge, ADT^A40: active false, link replaced-by);
// nullopt for every other record (the text test spares parsing them).
std::optional<reception::PatientFeatures> MergedFeatures(const storage::ResourceVersion& v) {
  if (v.type != "Patient" || v.json.find("replaced-by") == std::string::npos) return std::nullopt;
  auto f = reception::FeaturesOfJson(v.json);
  if (!f.ok() || f->replaced_by.empty()) return std::nullopt;
  return std::move(f).value();
}

// MatchesAsStored, but a patient merged into another is answered by the one it was merged
// into (its identifiers stay on the retired record, and results must follow the merge):
// reception's FollowReplacement, so that the desk and the interface agree. A chain that
// ends at a deleted record leaves the last live one.
Result<std::vector<storage::ResourceVersion>> Matches(storage::WriteTxn& txn,
                                                      const std::string& type,
                                                      const rest::QueryParams& condition) {
  HB_ASSIGN_OR_RETURN(auto found, MatchesAsStored(txn, type, condition));
  std::vector<storage::ResourceVersion> out;
  for (auto& v : found) {
    if (auto features = MergedFeatures(v)) {
      reception::PatientMatch m;
      m.features = std::move(*features);
      m.patient = std::move(v);
      HB_RETURN_IF_ERROR(reception::FollowReplacement(txn, &m).status());
      v = std::move(m.patient);
    }
    bool seen = false;
    for (const auto& have : out) seen |= have.id == v.id;
    if (!seen) out.push_back(std::move(v));
  }
  return out;
}

// ADT^A40: the records MRG-1 names, merged into the surviving patient.
Status ApplyPatientMerge(storage::WriteTxn& txn, const lis::PatientMergeRequest& request,
                         const std::unordered_map<std::string, std::string>& aliases,
                         rest::Actor* actor, ApplyOutcome* outcome) {
  auto target = aliases.find(request.target);
  if (target == aliases.end() || !target->second.starts_with("Patient/")) {
    return Status(ErrorCode::kInvalidBundle, "the merge names no surviving patient");
  }
  if (actor == nullptr || actor->principal == nullptr) {
    return Status(ErrorCode::kForbidden, "a patient merge needs an identified sender");
  }
  const std::string target_id = target->second.substr(8);
  HB_ASSIGN_OR_RETURN(auto sources,
                      MatchesAsStored(txn, "Patient", http::ParseQuery(request.source_condition)));
  for (const auto& source : sources) {
    // The survivor itself, or a duplicate merged before (a resent A40): nothing to do.
    if (source.id == target_id || source.deleted || MergedFeatures(source)) continue;
    // The sender may merge away only a record it may change (its facility cares for them).
    HB_ASSIGN_OR_RETURN(storage::RecordFacts facts, txn.Facts("Patient", source.id));
    access::AccessNote note;
    HB_RETURN_IF_ERROR(actor->policy->CheckRecord(*actor->principal, "Patient",
                                                  access::Op::kUpdate, facts, txn, &note));
    HB_RETURN_IF_ERROR(
        operations::MergePatientRecords(txn, *actor, {source.id, target_id}, nullptr));
    ++outcome->merged;
  }
  return Status::Ok();
}

// The ids: the one the URL names, what ifNoneExist found, what a conditional PUT matched, or a
// new one.
Status AssignId(storage::WriteTxn& txn, LisEntry& e) {
  if (!e.url_id.empty()) {
    e.id = e.url_id;
    auto cur = txn.Read(e.type, e.id);
    if (cur.ok()) {
      e.current = std::move(cur).value();  // deleted or not: an update (as create) either way
    } else if (cur.status().code() != ErrorCode::kNotFound) {
      return cur.status();
    }
    return Status::Ok();
  }
  if (!e.condition) {
    e.id = NewResourceId();
    return Status::Ok();
  }
  HB_ASSIGN_OR_RETURN(auto matches, Matches(txn, e.type, *e.condition));
  if (matches.size() > 1) {
    return Status(ErrorCode::kMultipleMatches, "the message's identifiers match several " + e.type +
                                                   " records; someone must reconcile them first");
  }
  if (matches.empty()) {
    e.id = NewResourceId();
  } else if (e.method == "POST") {
    e.id = matches[0].id;
    e.reuse = true;
  } else {
    e.id = matches[0].id;
    e.current = std::move(matches[0]);
  }
  return Status::Ok();
}

// A PUT that matched: references rewritten (so that they compare with the stored ones),
// merged when the rule says so (then validated again, since the content changed), and
// skipped when it would change nothing.
Result<bool> PrepareUpdate(storage::WriteTxn& txn, LisEntry& e,
                           const std::unordered_map<std::string, std::string>& aliases) {
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc current, fhir::ParseJson(e.current->json));
  HB_RETURN_IF_ERROR(rest::ResolveReferences(txn, e.input, &aliases));
  if (e.rule.merge) {
    lis::MergeUpdate(*e.input.json, *e.input.alloc, current, e.rule);
    HB_ASSIGN_OR_RETURN(e.input, rest::PrepareNested(*e.input.json, *e.input.alloc, ""));
  }
  return !lis::SameContent(*e.input.json, current);
}

access::Op OpFor(const LisEntry& e) {
  return e.current && !e.current->deleted ? access::Op::kUpdate : access::Op::kCreate;
}

}  // namespace

access::Principal LisPrincipal(const std::string& client, const std::string& facility) {
  access::Principal p;
  p.subject = "client:" + client;
  p.role = access::Role::kIntegration;
  p.facility = facility;
  // What the mappings write, the orders it stamps, and nothing else.
  p.scopes = auth::ParseScopes(
                 "system/Patient.cru system/Encounter.cru system/ServiceRequest.cru "
                 "system/Observation.cru system/DiagnosticReport.cru system/DocumentReference.cru "
                 "system/Coverage.cru system/Specimen.cru")
                 .value();
  p.remote = "mllp";
  return p;
}

std::string FacilityOrgLookup::Get() {
  {
    std::lock_guard lock(mu_);
    if (!org_.empty()) return org_;
  }
  auto q = search::ParseSearch(
      "Organization", {{"identifier", fhir::vn::Systems().facility + "|" + facility_}}, {});
  if (!q.ok()) return {};
  q->count = 1;
  q->total = false;
  auto r = store_.BeginRead()->Search(*q);
  if (!r.ok() || r->matches.empty()) return {};
  std::lock_guard lock(mu_);
  org_ = r->matches.front().id;
  return org_;
}

Result<std::unique_ptr<PreparedMessage>> PrepareLisMessage(lis::MappedMessage mapped) {
  auto m = std::make_unique<PreparedMessage>();
  m->mapped = std::move(mapped);
  fhir::JsonDoc& doc = m->mapped.bundle;
  fhir::JsonValue* entries = fhir::Member(doc, "entry");
  if (entries == nullptr || !entries->IsArray()) {
    return Status(ErrorCode::kInvalidBundle, "the mapped message has no entries");
  }
  m->entries.reserve(entries->Size());
  for (rapidjson::SizeType i = 0; i < entries->Size(); ++i) {
    fhir::JsonValue& entry = (*entries)[i];
    const fhir::JsonValue* request = fhir::Member(entry, "request");
    fhir::JsonValue* resource = fhir::Member(entry, "resource");
    if (request == nullptr || resource == nullptr) {
      return Status(ErrorCode::kInvalidBundle, "entry " + std::to_string(i) + " is incomplete");
    }
    LisEntry e;
    e.method = std::string(fhir::MemberString(*request, "method"));
    e.full_url = std::string(fhir::MemberString(entry, "fullUrl"));
    std::string_view url = fhir::MemberString(*request, "url");
    std::string_view condition;
    if (e.method == "PUT") {
      size_t q = url.find('?');
      size_t slash = url.find('/');
      if (q != std::string_view::npos) {
        condition = url.substr(q + 1);
      } else if (slash != std::string_view::npos) {
        e.url_id = std::string(url.substr(slash + 1));
      } else {
        return Status(ErrorCode::kInvalidBundle, "a PUT entry needs Type/id or Type?criteria");
      }
    } else {
      condition = fhir::MemberString(*request, "ifNoneExist");
    }
    if (!condition.empty()) e.condition = http::ParseQuery(condition);
    e.rule = i < m->mapped.rules.size() ? m->mapped.rules[i] : lis::MergeRule{};
    HB_ASSIGN_OR_RETURN(e.input,
                        rest::PrepareNested(*resource, doc.GetAllocator(),
                                            "Bundle.entry[" + std::to_string(i) + "].resource"));
    e.type = e.input.type;
    m->entries.push_back(std::move(e));
  }
  return m;
}

Status ApplyLisMessage(storage::WriteTxn& txn, PreparedMessage& message, rest::Actor* actor,
                       ApplyOutcome* outcome) {
  *outcome = {};
  if (message.applied) {
    return Status(ErrorCode::kUnavailable,
                  "a conflicting write interrupted the message and nothing of it was stored");
  }
  message.applied = true;
  // A resend: the record of this very message is already there.
  auto seen = txn.Read("DocumentReference", message.mapped.record_id);
  if (seen.ok() && !seen->deleted) {
    outcome->duplicate = true;
    return Status::Ok();
  }
  if (!seen.ok() && seen.status().code() != ErrorCode::kNotFound) return seen.status();
  std::unordered_map<std::string, std::string> aliases;
  for (size_t i = 0; i < message.entries.size(); ++i) {
    LisEntry& e = message.entries[i];
    if (Status st = AssignId(txn, e); !st.ok()) {
      outcome->first_failing_type = e.type;
      return AtEntry(i, e, st);
    }
    aliases[e.full_url] = e.type + "/" + e.id;
  }
  for (size_t i = 0; i < message.entries.size(); ++i) {
    LisEntry& e = message.entries[i];
    auto fail = [&](const Status& st) {
      outcome->first_failing_type = e.type;
      return AtEntry(i, e, st);
    };
    if (e.reuse) {
      ++outcome->unchanged;
      continue;
    }
    if (actor != nullptr && actor->principal != nullptr) {
      Status allowed = actor->policy->CheckInteraction(*actor->principal, e.type, OpFor(e));
      if (!allowed.ok()) return fail(allowed);
    }
    if (e.current && !e.current->deleted) {
      auto changes = PrepareUpdate(txn, e, aliases);
      if (!changes.ok()) return fail(changes.status());
      if (!*changes) {
        ++outcome->unchanged;
        continue;
      }
      e.input.body_id = e.id;
      auto r = rest::Update(txn, actor, e.input, e.id, e.current->version);
      if (!r.ok()) return fail(r.status());
      ++outcome->updated;
      continue;
    }
    if (Status st = rest::ResolveReferences(txn, e.input, &aliases); !st.ok()) return fail(st);
    e.input.body_id = e.id;
    auto r = e.current ? rest::Update(txn, actor, e.input, e.id, std::nullopt)
                       : rest::Create(txn, actor, e.input, std::nullopt, e.id);
    if (!r.ok()) return fail(r.status());
    ++outcome->created;
  }
  if (message.mapped.patient_merge) {
    if (Status st = ApplyPatientMerge(txn, *message.mapped.patient_merge, aliases, actor, outcome);
        !st.ok()) {
      outcome->first_failing_type = "Patient";
      return st;
    }
  }
  return rest::FlushAudit(txn, actor);
}

}  // namespace hb::app
