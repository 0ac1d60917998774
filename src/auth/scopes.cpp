#include "auth/scopes.h"

#include <algorithm>

#include "auth/internal/quote.h"

namespace hb::auth {
namespace {

constexpr size_t kMaxScopeBytes = 8192;
constexpr size_t kMaxTokens = 256;
constexpr std::string_view kPermLetters = "cruds";

struct Flag {
  std::string_view name;
  bool ScopeSet::*member;
};
constexpr Flag kFlags[] = {
    {"openid", &ScopeSet::openid},
    {"fhirUser", &ScopeSet::fhir_user},
    {"profile", &ScopeSet::profile},
    {"launch", &ScopeSet::launch},
    {"launch/patient", &ScopeSet::launch_patient},
    {"launch/encounter", &ScopeSet::launch_encounter},
    {"offline_access", &ScopeSet::offline_access},
    {"online_access", &ScopeSet::online_access},
};

using internal::Quote;

Status Bad(std::string_view token, std::string why) {
  return Status(ErrorCode::kInvalidScope, "scope " + Quote(token, 80) + ": " + std::move(why));
}

bool IsScopeChar(char c) {  // RFC 6749 §3.3 scope-token
  auto b = static_cast<unsigned char>(c);
  return b == 0x21 || (b >= 0x23 && b <= 0x5B) || (b >= 0x5D && b <= 0x7E);
}

bool IsTypeName(std::string_view t) {
  if (t == "*") return true;
  if (t.empty() || t.size() > 64 || t[0] < 'A' || t[0] > 'Z') return false;
  return std::all_of(t.begin(), t.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
}

bool IsParamName(std::string_view n) {
  return !n.empty() && std::all_of(n.begin(), n.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ':';
  });
}

std::optional<ScopeContext> ContextFrom(std::string_view s) {
  if (s == "patient") return ScopeContext::kPatient;
  if (s == "user") return ScopeContext::kUser;
  if (s == "system") return ScopeContext::kSystem;
  return std::nullopt;
}

// "rs" -> kPermRead|kPermSearch; v1 forms; 0 when malformed.
uint8_t ParsePermissions(std::string_view p, bool* v1) {
  *v1 = true;
  if (p == "read") return kPermRead | kPermSearch;
  if (p == "write") return kPermCreate | kPermUpdate | kPermDelete;
  if (p == "*") return kPermAll;
  *v1 = false;
  uint8_t bits = 0;
  size_t next = 0;  // letters must follow "cruds" order without repeats
  for (char c : p) {
    size_t at = kPermLetters.find(c, next);
    if (at == std::string_view::npos) return 0;
    bits |= uint8_t(1u << at);
    next = at + 1;
  }
  return bits;
}

Result<ResourceGrant> ParseResourceScope(std::string_view token, ScopeContext context,
                                         std::string_view rest) {
  ResourceGrant g;
  g.context = context;
  std::string_view body = rest, query;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    body = rest.substr(0, q);
    query = rest.substr(q + 1);
    if (query.empty()) return Bad(token, "empty query after '?'");
  }
  size_t dot = body.find('.');
  if (dot == std::string_view::npos || body.find('.', dot + 1) != std::string_view::npos) {
    return Bad(token, "expected <type>.<permissions> after the context");
  }
  std::string_view type = body.substr(0, dot);
  if (!IsTypeName(type)) return Bad(token, Quote(type) + " is not a resource type or *");
  g.resource_type = std::string(type);
  bool v1 = false;
  g.permissions = ParsePermissions(body.substr(dot + 1), &v1);
  if (g.permissions == 0) {
    return Bad(token, "permissions must be letters of 'cruds' in that order, or read, write, *");
  }
  if (v1 && !query.empty()) return Bad(token, "query restrictions need v2 permissions (e.g. .rs)");
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos || !IsParamName(pair.substr(0, eq)) || eq + 1 == pair.size() ||
        (amp != std::string_view::npos && query.empty())) {
      return Bad(token, "query restriction must be param=value pairs joined by &");
    }
    g.query.emplace_back(std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1)));
  }
  return g;
}

bool ContextMatches(const ResourceGrant& g, std::string_view context) {
  return context.empty() || context == "*" || ContextName(g.context) == context;
}

bool Matches(const ResourceGrant& g, std::string_view context, std::string_view type,
             Interaction interaction) {
  return ContextMatches(g, context) && (g.resource_type == "*" || g.resource_type == type) &&
         g.Permits(interaction);
}

void AddGrant(std::vector<ResourceGrant>& grants, ResourceGrant g) {
  if (std::find(grants.begin(), grants.end(), g) == grants.end()) grants.push_back(std::move(g));
}

}  // namespace

std::string_view ContextName(ScopeContext context) {
  switch (context) {
    case ScopeContext::kPatient:
      return "patient";
    case ScopeContext::kUser:
      return "user";
    case ScopeContext::kSystem:
      return "system";
  }
  return "?";
}

std::optional<Interaction> InteractionFor(std::string_view i) {
  if (i == "read" || i == "vread" || i.starts_with("history")) return Interaction::kRead;
  if (i.starts_with("search")) return Interaction::kSearch;
  if (i == "create") return Interaction::kCreate;
  if (i == "update" || i == "patch") return Interaction::kUpdate;
  if (i == "delete") return Interaction::kDelete;
  return std::nullopt;
}

bool ResourceGrant::Permits(Interaction interaction) const {
  uint8_t bit = 0;
  switch (interaction) {
    case Interaction::kCreate:
      bit = kPermCreate;
      break;
    case Interaction::kRead:
      bit = kPermRead;
      break;
    case Interaction::kUpdate:
      bit = kPermUpdate;
      break;
    case Interaction::kDelete:
      bit = kPermDelete;
      break;
    case Interaction::kSearch:
      bit = kPermSearch;
      break;
  }
  return (permissions & bit) != 0;
}

std::string ResourceGrant::ToString() const {
  std::string out = std::string(ContextName(context)) + "/" + resource_type + ".";
  for (size_t i = 0; i < kPermLetters.size(); ++i) {
    if (permissions & (1u << i)) out += kPermLetters[i];
  }
  for (size_t i = 0; i < query.size(); ++i) {
    out += (i == 0 ? "?" : "&") + query[i].first + "=" + query[i].second;
  }
  return out;
}

std::string ScopeSet::ToString() const {
  std::vector<std::string> parts;
  for (const Flag& f : kFlags) {
    if (this->*f.member) parts.emplace_back(f.name);
  }
  for (const ResourceGrant& g : grants) parts.push_back(g.ToString());
  parts.insert(parts.end(), other.begin(), other.end());
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : " ") + p;
  return out;
}

Result<ScopeSet> ParseScopes(std::string_view scope) {
  if (scope.size() > kMaxScopeBytes) {
    return Status(ErrorCode::kInvalidScope, "scope string is longer than 8192 bytes");
  }
  ScopeSet set;
  size_t count = 0;
  while (!scope.empty()) {
    size_t sp = scope.find(' ');
    std::string_view token = scope.substr(0, sp);
    scope = sp == std::string_view::npos ? std::string_view() : scope.substr(sp + 1);
    if (token.empty()) continue;  // tolerate repeated spaces
    if (++count > kMaxTokens) return Status(ErrorCode::kInvalidScope, "more than 256 scopes");
    if (!std::all_of(token.begin(), token.end(), IsScopeChar)) {
      return Bad(token, "contains a character not allowed in a scope");
    }
    const Flag* flag = std::find_if(std::begin(kFlags), std::end(kFlags),
                                    [&](const Flag& f) { return f.name == token; });
    if (flag != std::end(kFlags)) {
      set.*(flag->member) = true;
      continue;
    }
    size_t slash = token.find('/');
    std::optional<ScopeContext> context =
        slash == std::string_view::npos ? std::nullopt : ContextFrom(token.substr(0, slash));
    if (!context) {
      if (std::find(set.other.begin(), set.other.end(), token) == set.other.end()) {
        set.other.emplace_back(token);
      }
      continue;
    }
    HB_ASSIGN_OR_RETURN(ResourceGrant g,
                        ParseResourceScope(token, *context, token.substr(slash + 1)));
    AddGrant(set.grants, std::move(g));
  }
  return set;
}

bool Allows(const ScopeSet& scopes, std::string_view context, std::string_view resource_type,
            Interaction interaction) {
  return std::any_of(scopes.grants.begin(), scopes.grants.end(), [&](const ResourceGrant& g) {
    return g.query.empty() && Matches(g, context, resource_type, interaction);
  });
}

std::vector<const ResourceGrant*> GrantsFor(const ScopeSet& scopes, std::string_view context,
                                            std::string_view resource_type,
                                            Interaction interaction) {
  std::vector<const ResourceGrant*> out;
  for (const ResourceGrant& g : scopes.grants) {
    if (Matches(g, context, resource_type, interaction)) out.push_back(&g);
  }
  return out;
}

ScopeSet Intersect(const ScopeSet& requested, const ScopeSet& allowed) {
  ScopeSet out;
  for (const Flag& f : kFlags) out.*f.member = requested.*f.member && allowed.*f.member;
  for (const std::string& o : requested.other) {
    if (std::find(allowed.other.begin(), allowed.other.end(), o) != allowed.other.end()) {
      out.other.push_back(o);
    }
  }
  for (const ResourceGrant& r : requested.grants) {
    for (const ResourceGrant& a : allowed.grants) {
      bool context_ok = a.context == r.context ||
                        (a.context == ScopeContext::kUser && r.context == ScopeContext::kPatient);
      if (!context_ok) continue;
      ResourceGrant g;
      g.context = r.context;
      if (a.resource_type == "*") {
        g.resource_type = r.resource_type;
      } else if (r.resource_type == "*" || r.resource_type == a.resource_type) {
        g.resource_type = a.resource_type;
      } else {
        continue;
      }
      g.permissions = r.permissions & a.permissions;
      if (g.permissions == 0) continue;
      g.query = r.query;
      for (const auto& q : a.query) {
        if (std::find(g.query.begin(), g.query.end(), q) == g.query.end()) g.query.push_back(q);
      }
      AddGrant(out.grants, std::move(g));
    }
  }
  return out;
}

}  // namespace hb::auth
