// SMART App Launch v2 scopes: parsing, matching against a FHIR interaction, and
// narrowing a request to what a client or user may have.
// Spec: https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
//
// Grammar supported (tokens separated by spaces, RFC 6749 scope-token chars):
//   resource scope  = context "/" type "." permissions [ "?" param "=" value *( "&" param "=" value
//   ) ] context         = "patient" | "user" | "system" type            = a resource type name
//   ([A-Z][A-Za-z]*) | "*" permissions     = v2: a non-empty subsequence of "cruds", in that order
//                   | v1: "read" (= rs) | "write" (= cud) | "*" (= cruds)
//   query restrictions are v2 only, kept as written (not percent-decoded).
//   Other scopes: openid, fhirUser, profile, launch, launch/patient,
//   launch/encounter, offline_access, online_access become flags; any other
//   well-formed token is kept in `other` (the token endpoint drops what it does
//   not grant).
//
// Contract: values and pure functions, thread-safe. ParseScopes fails with
// InvalidScope and names the offending token; it never accepts a token that
// starts with a context and a slash but is not a valid resource scope. The type
// is checked for shape only; callers check it against the FHIR model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace hb::auth {

enum class ScopeContext { kPatient, kUser, kSystem };
std::string_view ContextName(ScopeContext context);  // "patient", "user", "system"

// The permission each REST interaction needs. vread and history count as read,
// patch as update.
enum class Interaction { kCreate, kRead, kUpdate, kDelete, kSearch };
// "read", "vread", "history-instance", "search-type", "patch", ... -> Interaction;
// nullopt for interactions with no resource permission (capabilities, batch,
// transaction, operations), which the caller authorizes itself.
std::optional<Interaction> InteractionFor(std::string_view fhir_interaction);

// Permission bits of a grant.
inline constexpr uint8_t kPermCreate = 1, kPermRead = 2, kPermUpdate = 4, kPermDelete = 8,
                         kPermSearch = 16, kPermAll = 31;

struct ResourceGrant {
  ScopeContext context = ScopeContext::kPatient;
  std::string resource_type;  // "*" for every type
  uint8_t permissions = 0;    // kPerm* bits
  // Query restrictions ("category" -> "...|laboratory"): the grant covers only
  // resources matching all of them; the caller must enforce them on the data.
  std::vector<std::pair<std::string, std::string>> query;

  bool Permits(Interaction interaction) const;
  std::string ToString() const;  // canonical v2 form: "patient/Observation.rs?category=x"
  bool operator==(const ResourceGrant&) const = default;
};

struct ScopeSet {
  std::vector<ResourceGrant> grants;  // in request order, without duplicates
  bool openid = false;
  bool fhir_user = false;
  bool profile = false;
  bool launch = false;
  bool launch_patient = false;
  bool launch_encounter = false;
  bool offline_access = false;
  bool online_access = false;
  std::vector<std::string> other;

  // The canonical scope string: flags first, then grants (v2 form), then other.
  std::string ToString() const;
};

Result<ScopeSet> ParseScopes(std::string_view scope);

// True when an unrestricted grant (no query) of the given context permits the
// interaction on `resource_type`. `context` is "patient", "user", "system", or
// "" / "*" for any context. Grants with query restrictions never count here;
// use GrantsFor to apply them.
bool Allows(const ScopeSet& scopes, std::string_view context, std::string_view resource_type,
            Interaction interaction);

// Every grant (restricted ones included) that permits the interaction; when all
// of them carry a query, the caller must limit the data to the union of those
// queries (search) or check the resource against one of them (read, write).
std::vector<const ResourceGrant*> GrantsFor(const ScopeSet& scopes, std::string_view context,
                                            std::string_view resource_type,
                                            Interaction interaction);

// What to grant when a client asks for `requested` and may have `allowed`: each
// requested grant narrowed by each allowed grant of the same context (an allowed
// user/ grant also covers requested patient/ grants: patient context only
// narrows it), with the common permissions, the narrower type and both
// queries; flags and `other` tokens present in both.
ScopeSet Intersect(const ScopeSet& requested, const ScopeSet& allowed);

}  // namespace hb::auth
