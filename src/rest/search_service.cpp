// Search interactions of FhirService: type-level and compartment search, searches over
// several types (system level and Patient/{id}/*), and Patient/$everything. They share
// RespondSearch: the access checks on the criteria, execution, need-to-know filtering
// and the searchset Bundle with its paging links.
#include <algorithm>
#include <charconv>

#include "access/access_policy.h"
#include "fhir/model.h"
#include "http/query.h"
#include "rest/bundle_writer.h"
#include "rest/fhir_service.h"
#include "rest/outcome.h"
#include "rest/read_access.h"
#include "rest/responses.h"
#include "rest/search_op.h"
#include "search/param_registry.h"
#include "search/query_parser.h"

namespace hb::rest {

using search::QueryParams;

namespace {

// The parameters of a search: the query string and, for POST .../_search, the form body.
Result<QueryParams> SearchParams(const http::Request& req, const QueryParams& query) {
  QueryParams params = query;
  if (req.method == "POST") {
    std::string_view ct = req.HeaderValue("content-type");
    if (!req.body.empty() &&
        ct.find("application/x-www-form-urlencoded") == std::string_view::npos) {
      return Status(ErrorCode::kUnsupportedMediaType,
                    "POST _search takes application/x-www-form-urlencoded");
    }
    for (auto& kv : http::ParseQuery(req.body)) params.push_back(std::move(kv));
  }
  return params;
}

// The types of the Patient compartment, Patient first.
std::vector<std::string> CompartmentTypes() {
  std::vector<std::string> out{"Patient"};
  const fhir::Model& model = fhir::Model::R4();
  for (std::string_view t : model.ResourceTypes()) {
    if (t != "Patient" && model.InPatientCompartment(t)) out.emplace_back(t);
  }
  return out;
}

// The date parameter that carries a type's care date, for $everything's start and end:
// the first of these that the type has, or none (then the type is not limited by date).
const search::RegisteredParam* CareDateParam(const std::string& type) {
  static constexpr const char* kCandidates[] = {"date",     "authoredon", "onset-date",
                                                "period",   "issued",     "occurrence",
                                                "recorded", "created",    "when-handed-over"};
  for (const char* code : kCandidates) {
    const search::RegisteredParam* p = search::ParamRegistry::Default().Find(type, code);
    if (p != nullptr && p->type == search::ParamType::kDate &&
        p->storage != search::Storage::kUnsupported) {
      return p;
    }
  }
  return nullptr;
}

}  // namespace

void FhirService::Search(Call& call, const std::string& type, const std::string& patient) {
  auto params = SearchParams(call.req, call.ctx.query);
  if (!params.ok()) return call.respond(ErrorResponse(params.status()));
  if (type == "AuditEvent" && patient.empty()) return AuditEvents(call);
  auto q = search::ParseSearch(type, *params, {.strict = call.ctx.strict});
  if (!q.ok()) return call.respond(ErrorResponse(q.status()));
  std::string path = "/" + type;
  if (!patient.empty()) {
    // Compartment search: Patient/{id}/{type} (R4 compartments, patient compartment).
    if (!fhir::Model::R4().InPatientCompartment(type)) {
      return call.respond(ErrorResponse(
          Status(ErrorCode::kInvalidSearchParameter, type + " is not in the Patient compartment")));
    }
    q->compartment_patient = patient;
    path = "/Patient/" + patient + "/" + type;
  }
  if (!Allowed(call, type, access::Op::kSearch, q->summary_count)) return;
  RespondSearch(call, std::move(q).value(), path, access::IsPatientData(type));
}

void FhirService::MultiSearch(Call& call, const std::string& patient) {
  auto params = SearchParams(call.req, call.ctx.query);
  if (!params.ok()) return call.respond(ErrorResponse(params.status()));
  std::vector<std::string> types;
  QueryParams rest;
  for (auto& kv : *params) {
    if (kv.first == "_type") {
      for (std::string& t : search::SplitTypes(kv.second)) types.push_back(std::move(t));
    } else {
      rest.push_back(std::move(kv));
    }
  }
  const bool listed = !types.empty();
  if (!listed && patient.empty()) {
    auto held = store_.BeginRead()->Types();
    if (!held.ok()) return call.respond(ErrorResponse(held.status()));
    types = std::move(held).value();
  } else if (!listed) {
    types = CompartmentTypes();
  }
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  search::SearchQuery outer;
  bool patient_data = false, first = true;
  for (const std::string& type : types) {
    if (!fhir::Model::R4().IsResourceType(type)) {
      return call.respond(ErrorResponse(Status(ErrorCode::kInvalidSearchParameter,
                                               "_type: '" + type + "' is not a resource type")));
    }
    // The audit trail is served from the audit log, not the resource tables.
    if (type == "AuditEvent") {
      if (!listed) continue;
      return call.respond(
          ErrorResponse(Status(ErrorCode::kInvalidSearchParameter,
                               "AuditEvent is searched on its own, at /AuditEvent")));
    }
    if (!patient.empty() && !fhir::Model::R4().InPatientCompartment(type)) {
      if (!listed) continue;
      return call.respond(ErrorResponse(
          Status(ErrorCode::kInvalidSearchParameter, type + " is not in the Patient compartment")));
    }
    // Unlisted types the caller may not search are left out; a listed one is refused.
    if (!listed &&
        !policy_.CheckInteraction(*call.principal, type, access::Op::kSearch, false).ok()) {
      continue;
    }
    // A parameter one of the types lacks is an error, whatever the handling: ignoring it
    // for that type would return more than was asked for.
    auto q = search::ParseSearch(type, rest, {.strict = true});
    if (!q.ok()) {
      return call.respond(ErrorResponse(
          Status(q.status().code(), q.status().message() + " (searching " + type + ")")));
    }
    if (listed && !Allowed(call, type, access::Op::kSearch, q->summary_count)) return;
    q->compartment_patient = patient;
    patient_data = patient_data || access::IsPatientData(type);
    if (first) {
      outer = *q;
      outer.criteria.clear();
      outer.type.clear();
      outer.compartment_patient.clear();
      first = false;
    }
    q->includes.clear();
    q->sort.clear();
    outer.parts.push_back(std::move(q).value());
  }
  if (listed) {
    std::string joined;
    for (const std::string& t : types) joined += (joined.empty() ? "" : ",") + t;
    outer.canonical.insert(outer.canonical.begin(), {"_type", joined});
  }
  if (first) {  // no type to search: an empty result, still with its paging fields
    auto q = search::ParseSearch("Patient", rest, {.strict = true});
    if (!q.ok()) return call.respond(ErrorResponse(q.status()));
    outer = *q;
    outer.criteria.clear();
    outer.type.clear();
  }
  std::string path = patient.empty() ? "" : "/Patient/" + patient + "/*";
  RespondSearch(call, std::move(outer), path, patient_data);
}

void FhirService::Everything(Call& call, const std::string& patient) {
  auto params = SearchParams(call.req, call.ctx.query);
  if (!params.ok()) return call.respond(ErrorResponse(params.status()));
  std::string start, end, since;
  std::vector<std::string> types;
  QueryParams paging;
  std::vector<std::pair<std::string, std::string>> canonical;
  for (const auto& [k, v] : *params) {
    if (k == "start") {
      start = v;
    } else if (k == "end") {
      end = v;
    } else if (k == "_since") {
      since = v;
    } else if (k == "_type") {
      for (std::string& t : search::SplitTypes(v)) types.push_back(std::move(t));
    } else if (k == "_count" || k == "_offset") {
      paging.emplace_back(k, v);
      continue;
    } else if (k == "_format" || k == "_pretty") {
      continue;
    } else {
      return call.respond(ErrorResponse(
          Status(ErrorCode::kInvalidSearchParameter,
                 "$everything takes start, end, _since, _type and _count, not '" + k + "'")));
    }
    canonical.emplace_back(k, v);
  }
  if (!Allowed(call, "Patient", access::Op::kRead)) return;
  std::vector<storage::ResourceVersion> first;
  {
    auto txn = store_.BeginRead();
    auto v = txn->Read("Patient", patient);
    if (!v.ok()) return call.respond(ErrorResponse(v.status()));
    if (v->deleted) return call.respond(GoneResponse(*v));
    ReadAccess access(*call.principal, policy_, sink_, "everything");
    Status allowed = access.Check(*txn, *v);
    txn.reset();
    access.Commit();
    if (!allowed.ok()) return call.respond(ErrorResponse(allowed));
    first.push_back(std::move(v).value());
  }
  const bool listed = !types.empty();
  if (!listed) types = CompartmentTypes();
  search::SearchQuery outer;
  auto base = search::ParseSearch("Patient", paging, {.strict = true});
  if (!base.ok()) return call.respond(ErrorResponse(base.status()));
  outer = std::move(base).value();
  outer.type.clear();
  outer.canonical = canonical;
  if (outer.count > 0) outer.canonical.emplace_back("_count", std::to_string(outer.count));
  for (const std::string& type : types) {
    if (!fhir::Model::R4().IsResourceType(type) || !fhir::Model::R4().InPatientCompartment(type)) {
      return call.respond(
          ErrorResponse(Status(ErrorCode::kInvalidSearchParameter,
                               "_type: '" + type + "' is not a type of the Patient compartment")));
    }
    if (type == "Patient" || type == "AuditEvent") continue;  // the patient comes first
    if (!policy_.CheckInteraction(*call.principal, type, access::Op::kSearch, false).ok()) {
      if (listed)
        return call.respond(
            ErrorResponse(Status(ErrorCode::kForbidden, "this token may not read " + type)));
      continue;
    }
    QueryParams criteria;
    if (!since.empty()) criteria.emplace_back("_lastUpdated", "ge" + since);
    if (const search::RegisteredParam* d = CareDateParam(type); d != nullptr) {
      if (!start.empty()) criteria.emplace_back(std::string(d->code), "ge" + start);
      if (!end.empty()) criteria.emplace_back(std::string(d->code), "le" + end);
    }
    auto q = search::ParseSearch(type, criteria, {.strict = true});
    if (!q.ok()) return call.respond(ErrorResponse(q.status()));
    q->compartment_patient = patient;
    outer.parts.push_back(std::move(q).value());
    // What the record points at outside the compartment (practitioners, organisations,
    // medications, locations) comes along as included resources.
    outer.includes.push_back({type, "*", "", false, false});
  }
  if (outer.offset > 0) {
    first.clear();
  } else {
    outer.includes.push_back({"Patient", "*", "", false, false});
  }
  RespondSearch(call, std::move(outer), "/Patient/" + patient + "/$everything", true,
                std::move(first), /*everything=*/true);
}

void FhirService::RespondSearch(Call& call, search::SearchQuery q, const std::string& path,
                                bool patient_data, std::vector<storage::ResourceVersion> first,
                                bool everything) {
  Status st = CheckCriteriaAccess(*call.principal, q);
  for (const search::SearchQuery& part : q.parts) {
    if (st.ok()) st = CheckCriteriaAccess(*call.principal, part);
  }
  if (!st.ok()) {
    if (sink_) {
      sink_->Add(
          access::MakeAudit(*call.principal, "E", "search", 4, "", call.req.target, st.message()));
    }
    return call.respond(ErrorResponse(st));
  }
  const bool restricted = call.principal->role != access::Role::kSystem && patient_data &&
                          !(q.summary_count && call.principal->role == access::Role::kDohOfficial);
  if (restricted && q.summary_count) {
    return call.respond(ErrorResponse(
        Status(ErrorCode::kForbidden, "counts of patient data are for aggregate roles only")));
  }
  if (restricted) q.total = false;  // a total would count what the caller may not see
  auto txn = store_.BeginRead();
  ReadAccess access(*call.principal, policy_, sink_, "search");
  const int64_t lead = static_cast<int64_t>(first.size());
  auto r = ExecuteSearch(*txn, q, access, !q.summary_count, std::move(first));
  txn.reset();
  access.Commit();
  if (!r.ok()) return call.respond(ErrorResponse(r.status()));
  // Later pages of $everything do not repeat the patient, but the total still counts it.
  if (everything && lead == 0 && r->total >= 0) ++r->total;
  if (everything) {
    // The compartment's own resources are matches (on this page or another): including
    // them again would repeat them.
    std::erase_if(r->included, [](const storage::ResourceVersion& v) {
      return fhir::Model::R4().InPatientCompartment(v.type);
    });
  }
  std::vector<std::pair<std::string, std::string>> links;
  auto self = q.canonical;
  if (q.offset) self.emplace_back("_offset", std::to_string(q.offset));
  links.emplace_back("self", SelfUrl(call.ctx, path, self));
  bool more = r->total >= 0
                  ? q.offset + static_cast<int64_t>(r->fetched) < r->total - (everything ? 1 : lead)
                  : static_cast<int>(r->fetched) == q.count;
  if (more && !q.summary_count && q.count > 0) {
    auto next = q.canonical;
    next.emplace_back("_offset", std::to_string(q.offset + q.count));
    links.emplace_back("next", SelfUrl(call.ctx, path, next));
  }
  if (q.offset > 0 && !q.summary_count && q.count > 0) {
    auto prev = q.canonical;
    int64_t back = std::max<int64_t>(0, q.offset - q.count);
    if (back > 0) prev.emplace_back("_offset", std::to_string(back));
    links.emplace_back("previous", SelfUrl(call.ctx, path, prev));
  }
  BundleWriter bw("searchset", r->withheld ? -1 : r->total, links);
  for (const auto& v : r->matches) {
    std::string shaped = ShapeResource(v.json, q);
    bw.SearchEntry(call.ctx.base_url, v, "match", &shaped);
  }
  for (const auto& v : r->included) {
    std::string shaped = ShapeResource(v.json, q);
    bw.SearchEntry(call.ctx.base_url, v, "include", &shaped);
  }
  call.respond(JsonResponse(200, bw.Finish(), call.ctx));
}

// The server's OperationDefinitions (rest/operation_definitions.h): read, vread of version 1
// and search; they are built in, so every change is refused (405).
void FhirService::OperationDefinitionRequest(Call& call) {
  const auto& s = call.segments;
  const std::string& m = call.req.method;
  const bool get = m == "GET" || m == "HEAD";
  auto fail = [&](const Status& st) { call.respond(ErrorResponse(st)); };
  if (!definitions_.ok()) return fail(definitions_.status());
  const OperationDefinitions& defs = **definitions_;
  const bool search = (s.size() == 1 && get) || (s.size() == 2 && s[1] == "_search" && m == "POST");
  const bool read = get && s.size() == 2 && s[1] != "_search" && s[1] != "_history";
  const bool vread = get && s.size() == 4 && s[1] != "_history" && s[2] == "_history";
  if (read || vread) {
    const OperationDefinitionEntry* e = defs.ById(s[1]);
    if (!e || (s.size() == 4 && s[3] != "1")) {
      return fail(Status(ErrorCode::kNotFound, "OperationDefinition/" + s[1] +
                                                   (s.size() == 4 ? "/_history/" + s[3] : "") +
                                                   " is not an operation of this server"));
    }
    return call.respond(ResourceResponse(200, e->served, call.ctx, false));
  }
  if (!search) {
    return fail(Status(ErrorCode::kMethodNotAllowed,
                       m + " is not supported on " + call.req.path +
                           ": the OperationDefinitions are the server's own, read-only (GET "
                           "OperationDefinition/[id] or search by url, name or code)"));
  }
  auto params = SearchParams(call.req, call.ctx.query);
  if (!params.ok()) return fail(params.status());
  int64_t count = 100, offset = 0;
  bool summary_count = false;
  QueryParams criteria, paging;
  for (const auto& [k, v] : *params) {
    if (k == "_format" || k == "_pretty") continue;
    if (k == "_count" || k == "_offset") {
      int64_t n = -1;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || p != v.data() + v.size() || n < 0) {
        return fail(Status(ErrorCode::kInvalidSearchParameter,
                           k + " must be a non-negative integer, not '" + v + "'"));
      }
      (k == "_count" ? count : offset) = n;
    } else if (k == "_summary" && (v == "count" || v == "false")) {
      summary_count = v == "count";
      paging.emplace_back(k, v);
    } else {
      criteria.emplace_back(k, v);
    }
  }
  QueryParams used;
  auto found = defs.Search(criteria, call.ctx.strict, &used);
  if (!found.ok()) return fail(found.status());
  const int64_t total = static_cast<int64_t>(found->size());
  // As other searches: a page is at most max_count, and paging past the end is an empty page
  // (the links' arithmetic stays within bounds however large the numbers asked).
  count = std::min<int64_t>(count, search::ParseOptions{}.max_count);
  offset = std::min(offset, total);
  used.insert(used.end(), paging.begin(), paging.end());
  auto page_link = [&](int64_t at) {
    QueryParams q = used;
    q.emplace_back("_count", std::to_string(count));
    if (at > 0) q.emplace_back("_offset", std::to_string(at));
    return SelfUrl(call.ctx, "/OperationDefinition", q);
  };
  std::vector<std::pair<std::string, std::string>> links{{"self", page_link(offset)}};
  if (!summary_count) {
    if (offset + count < total) links.emplace_back("next", page_link(offset + count));
    if (offset > 0) links.emplace_back("previous", page_link(std::max<int64_t>(0, offset - count)));
  }
  BundleWriter bw("searchset", total, links);
  if (!summary_count) {
    for (int64_t i = offset; i < total && i < offset + count; ++i) {
      bw.SearchEntry(call.ctx.base_url, (*found)[static_cast<size_t>(i)]->served);
    }
  }
  call.respond(JsonResponse(200, bw.Finish(), call.ctx));
}

}  // namespace hb::rest
