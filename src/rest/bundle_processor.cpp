// Batch and transaction processing (https://hl7.org/fhir/R4/http.html#transaction).
//
// A transaction runs as one work item on the store's writer: ids are assigned
// and conditional URLs resolved first, then every urn:uuid / fullUrl alias and
// conditional reference is rewritten, then entries run in the spec's order
// (DELETE, POST, PUT, PATCH, GET); any failure undoes all of it. A batch runs
// each entry in its own nested savepoint and reports each outcome.
#include <spdlog/spdlog.h>

#include <charconv>
#include <unordered_map>

#include "common/ids.h"
#include "fhir/json.h"
#include "fhir/model.h"
#include "http/query.h"
#include "rest/bundle_writer.h"
#include "rest/fhir_service.h"
#include "rest/outcome.h"
#include "rest/read_access.h"
#include "rest/request_context.h"
#include "rest/responses.h"
#include "rest/search_op.h"
#include "rest/write_ops.h"
#include "search/query_parser.h"

namespace hb::rest {

namespace {

enum class Verb { kDelete = 0, kPost = 1, kPut = 2, kPatch = 3, kGet = 4 };

struct Entry {
  size_t index = 0;
  Verb verb = Verb::kGet;
  std::string type;
  std::string id;                          // from the URL, or assigned
  std::optional<int64_t> vid;              // GET Type/id/_history/v
  std::optional<QueryParams> query;        // Type?query
  std::optional<QueryParams> if_none_exist;
  std::optional<int64_t> if_match;
  std::string full_url;
  std::optional<ResourceInput> input;
  const fhir::JsonValue* patch = nullptr;  // PATCH body (Binary with JSON Patch)
  fhir::JsonDoc patch_doc;
  bool reuse_existing = false;             // POST with ifNoneExist that matched
  // outcome
  std::string status;
  std::string location;
  std::string etag;
  int64_t last_modified = 0;
  std::string resource;
  std::string outcome;
};

std::string StatusLine(int code) {
  switch (code) {
    case 200: return "200 OK";
    case 201: return "201 Created";
    case 204: return "204 No Content";
    case 400: return "400 Bad Request";
    case 404: return "404 Not Found";
    case 405: return "405 Method Not Allowed";
    case 409: return "409 Conflict";
    case 410: return "410 Gone";
    case 412: return "412 Precondition Failed";
    case 422: return "422 Unprocessable Entity";
    default: return std::to_string(code);
  }
}

Status At(size_t i, const Status& st) {
  std::vector<Issue> issues = st.issues();
  std::string prefix = "Bundle.entry[" + std::to_string(i) + "]";
  for (Issue& is : issues) {
    if (is.location.empty()) {
      is.location = prefix;
    } else if (!is.location.starts_with("Bundle.entry[")) {
      is.message = prefix + ": " + is.message;
    }
  }
  return Status::FromIssues(std::move(issues));
}

// Parses entry.request.url into type / id / version / query.
Status ParseUrl(std::string_view url, Entry& e) {
  if (auto q = url.find('?'); q != std::string_view::npos) {
    e.query = http::ParseQuery(url.substr(q + 1));
    url = url.substr(0, q);
  }
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= url.size()) {
    size_t end = url.find('/', start);
    if (end == std::string_view::npos) end = url.size();
    if (end > start) parts.emplace_back(url.substr(start, end - start));
    start = end + 1;
  }
  if (parts.empty() || !fhir::Model::R4().IsResourceType(parts[0])) {
    return Status(ErrorCode::kInvalidBundle, "request.url '" + std::string(url) +
                                                 "' does not start with a resource type");
  }
  e.type = parts[0];
  if (parts.size() >= 2) {
    if (!IsValidFhirId(parts[1])) {
      return Status(ErrorCode::kInvalidId, "'" + parts[1] + "' is not a valid id");
    }
    e.id = parts[1];
  }
  if (parts.size() == 4 && parts[2] == "_history") {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(parts[3].data(), parts[3].data() + parts[3].size(), v);
    if (ec != std::errc() || v < 1) return Status(ErrorCode::kInvalidArgument, "bad version");
    e.vid = v;
  } else if (parts.size() > 2) {
    return Status(ErrorCode::kInvalidBundle, "request.url '" + std::string(url) +
                                                 "' is not supported in a Bundle");
  }
  return Status::Ok();
}

bool DecodeBase64(std::string_view in, std::string* out) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=' || c == ' ' || c == '\n' || c == '\r') continue;
    int v = val(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return true;
}

Result<std::optional<int64_t>> TagOf(const fhir::JsonValue& req, const char* name) {
  std::string_view v = fhir::MemberString(req, name);
  if (v.empty()) return std::optional<int64_t>();
  HB_ASSIGN_OR_RETURN(int64_t n, ParseVersionTag(v));
  return std::optional<int64_t>(n);
}

// Reads one Bundle.entry into `e` (validating its resource).
Status ParseEntry(fhir::JsonValue& entry, fhir::JsonAlloc& alloc, Entry& e) {
  const std::string where = "Bundle.entry[" + std::to_string(e.index) + "]";
  if (!entry.IsObject()) return Status(ErrorCode::kInvalidBundle, "must be an object", where);
  e.full_url = std::string(fhir::MemberString(entry, "fullUrl"));
  const fhir::JsonValue* req = fhir::Member(entry, "request");
  if (!req || !req->IsObject()) {
    return Status(ErrorCode::kInvalidBundle, "needs entry.request", where + ".request");
  }
  std::string_view method = fhir::MemberString(*req, "method");
  if (method == "GET" || method == "HEAD") {
    e.verb = Verb::kGet;
  } else if (method == "POST") {
    e.verb = Verb::kPost;
  } else if (method == "PUT") {
    e.verb = Verb::kPut;
  } else if (method == "PATCH") {
    e.verb = Verb::kPatch;
  } else if (method == "DELETE") {
    e.verb = Verb::kDelete;
  } else {
    return Status(ErrorCode::kInvalidBundle, "request.method '" + std::string(method) +
                                                 "' is not GET, POST, PUT, PATCH or DELETE",
                  where + ".request.method");
  }
  Status url_status = ParseUrl(fhir::MemberString(*req, "url"), e);
  if (!url_status.ok()) return Status(url_status.code(), url_status.message(), where + ".request.url");
  HB_ASSIGN_OR_RETURN(e.if_match, TagOf(*req, "ifMatch"));
  std::string_view ine = fhir::MemberString(*req, "ifNoneExist");
  if (!ine.empty()) {
    if (auto q = ine.find('?'); q != std::string_view::npos) ine.remove_prefix(q + 1);
    e.if_none_exist = http::ParseQuery(ine);
  }
  fhir::JsonValue* res = fhir::Member(entry, "resource");
  if (e.verb == Verb::kPost || e.verb == Verb::kPut) {
    if (!res) return Status(ErrorCode::kInvalidBundle, "needs a resource", where + ".resource");
    HB_ASSIGN_OR_RETURN(ResourceInput in, PrepareNested(*res, alloc, where + ".resource"));
    if (in.type != e.type) {
      return Status(ErrorCode::kInvalidBundle,
                    "resource is a " + in.type + " but request.url names " + e.type,
                    where + ".resource.resourceType");
    }
    if (e.verb == Verb::kPut && !e.query && e.id.empty()) {
      return Status(ErrorCode::kInvalidBundle, "PUT needs Type/id or Type?criteria",
                    where + ".request.url");
    }
    e.input = std::move(in);
  } else if (e.verb == Verb::kPatch) {
    if (!res || fhir::MemberString(*res, "resourceType") != "Binary" ||
        fhir::MemberString(*res, "contentType") != "application/json-patch+json") {
      return Status(ErrorCode::kInvalidBundle,
                    "PATCH needs a Binary resource with contentType application/json-patch+json",
                    where + ".resource");
    }
    std::string decoded;
    std::string_view data = fhir::MemberString(*res, "data");
    if (!DecodeBase64(data, &decoded)) {
      return Status(ErrorCode::kInvalidPatch, "Binary.data is not base64", where + ".resource.data");
    }
    HB_ASSIGN_OR_RETURN(e.patch_doc, fhir::ParseJson(decoded));
    e.patch = &e.patch_doc;
    if (e.id.empty()) return Status(ErrorCode::kInvalidBundle, "PATCH needs Type/id", where);
  } else if (e.verb == Verb::kDelete && e.id.empty() && !e.query) {
    return Status(ErrorCode::kInvalidBundle, "DELETE needs Type/id or Type?criteria", where);
  }
  return Status::Ok();
}

void Succeed(Entry& e, int code, const WriteOutcome& o, bool with_resource) {
  e.status = StatusLine(code);
  if (o.version.version > 0) {
    e.etag = VersionTag(o.version.version);
    e.last_modified = o.version.last_updated;
    e.location = o.version.type + "/" + o.version.id + "/_history/" + std::to_string(o.version.version);
  }
  if (with_resource && !o.version.deleted) e.resource = o.version.json;
}

access::Op OpOf(Verb v) {
  switch (v) {
    case Verb::kDelete: return access::Op::kDelete;
    case Verb::kPost: return access::Op::kCreate;
    case Verb::kPut:
    case Verb::kPatch: return access::Op::kUpdate;
    case Verb::kGet: return access::Op::kRead;
  }
  return access::Op::kRead;
}

// Runs one entry (ids already assigned and references rewritten) as `actor`;
// reads are checked and audited through `reads`.
Status RunEntry(storage::WriteTxn& txn, Entry& e, bool with_resource, Actor* actor,
                ReadAccess* reads) {
  access::Op op = OpOf(e.verb);
  if (e.verb == Verb::kGet && e.id.empty()) op = access::Op::kSearch;
  HB_RETURN_IF_ERROR(actor->policy->CheckInteraction(*actor->principal, e.type, op));
  switch (e.verb) {
    case Verb::kDelete: {
      Result<WriteOutcome> r = e.query ? ConditionalDelete(txn, actor, e.type, *e.query)
                                       : Delete(txn, actor, e.type, e.id, e.if_match);
      if (!r.ok()) return r.status();
      e.status = StatusLine(r->unchanged ? 204 : 200);
      if (r->version.version > 0) e.etag = VersionTag(r->version.version);
      return Status::Ok();
    }
    case Verb::kPost: {
      if (e.reuse_existing) {
        HB_ASSIGN_OR_RETURN(storage::ResourceVersion v, txn.Read(e.type, e.id));
        HB_RETURN_IF_ERROR(reads->Check(txn, v));
        WriteOutcome o;
        o.version = std::move(v);
        Succeed(e, 200, o, with_resource);
        return Status::Ok();
      }
      HB_ASSIGN_OR_RETURN(WriteOutcome o, Create(txn, actor, *e.input, std::nullopt, e.id));
      Succeed(e, 201, o, with_resource);
      return Status::Ok();
    }
    case Verb::kPut: {
      if (e.input->body_id.empty()) e.input->body_id = e.id;
      HB_ASSIGN_OR_RETURN(WriteOutcome o, Update(txn, actor, *e.input, e.id, e.if_match));
      Succeed(e, o.created ? 201 : 200, o, with_resource);
      return Status::Ok();
    }
    case Verb::kPatch: {
      HB_ASSIGN_OR_RETURN(WriteOutcome o,
                          Patch(txn, actor, e.type, e.id, *e.patch, e.if_match));
      Succeed(e, 200, o, with_resource);
      return Status::Ok();
    }
    case Verb::kGet: {
      if (!e.id.empty()) {
        auto v = e.vid ? txn.VRead(e.type, e.id, *e.vid) : txn.Read(e.type, e.id);
        if (!v.ok()) return v.status();
        HB_RETURN_IF_ERROR(reads->Check(txn, *v));
        if (v->deleted) return Status(ErrorCode::kDeleted, e.type + "/" + e.id + " was deleted");
        e.status = StatusLine(200);
        e.etag = VersionTag(v->version);
        e.last_modified = v->last_updated;
        e.resource = std::move(v->json);
        return Status::Ok();
      }
      HB_ASSIGN_OR_RETURN(search::SearchQuery q,
                          search::ParseSearch(e.type, e.query.value_or(QueryParams{}), {}));
      if (actor->principal->role != access::Role::kSystem && access::IsPatientData(e.type)) {
        q.total = false;
      }
      HB_RETURN_IF_ERROR(CheckCriteriaAccess(*actor->principal, q));
      HB_ASSIGN_OR_RETURN(SearchOutcome r, ExecuteSearch(txn, q, *reads));
      BundleWriter bw("searchset", r.withheld ? -1 : r.total, {});
      for (const auto& v : r.matches) {
        std::string shaped = ShapeResource(v.json, q);
        bw.SearchEntry("", v, "match", &shaped);
      }
      for (const auto& v : r.included) {
        std::string shaped = ShapeResource(v.json, q);
        bw.SearchEntry("", v, "include", &shaped);
      }
      e.status = StatusLine(200);
      e.resource = bw.Finish();
      return Status::Ok();
    }
  }
  return Status::Ok();
}

// Assigns ids and resolves conditional URLs; records fullUrl aliases.
Status AssignIds(storage::WriteTxn& txn, Entry& e,
                 std::unordered_map<std::string, std::string>& aliases) {
  if (e.verb == Verb::kPost) {
    if (e.if_none_exist) {
      HB_ASSIGN_OR_RETURN(auto matches, FindMatches(txn, e.type, *e.if_none_exist));
      if (matches.size() > 1) {
        return Status(ErrorCode::kMultipleMatches, "ifNoneExist matches several resources");
      }
      if (matches.size() == 1) {
        e.id = matches[0].id;
        e.reuse_existing = true;
      }
    }
    if (e.id.empty() || !e.reuse_existing) e.id = NewResourceId();
  } else if (e.verb == Verb::kPut && e.query) {
    HB_ASSIGN_OR_RETURN(auto matches, FindMatches(txn, e.type, *e.query));
    if (matches.size() > 1) {
      return Status(ErrorCode::kMultipleMatches, "conditional update matches several resources");
    }
    if (matches.size() == 1) {
      e.id = matches[0].id;
    } else {
      e.id = e.input->body_id.empty() ? NewResourceId() : e.input->body_id;
    }
    if (!e.input->body_id.empty() && e.input->body_id != e.id) {
      return Status(ErrorCode::kIdMismatch, "the resource id differs from the matched one");
    }
    e.query.reset();
  }
  if (!e.full_url.empty() && !e.id.empty() && (e.verb == Verb::kPost || e.verb == Verb::kPut)) {
    aliases[e.full_url] = e.type + "/" + e.id;
  }
  return Status::Ok();
}

}  // namespace

void FhirService::Bundle(Call& call) {
  if (Status st = CheckBodyType(call.req, false); !st.ok()) return call.respond(ErrorResponse(st));
  auto doc = std::make_shared<fhir::JsonDoc>();
  {
    auto parsed = fhir::ParseJson(call.req.body, {.max_depth = 128});
    if (!parsed.ok()) return call.respond(ErrorResponse(parsed.status()));
    *doc = std::move(parsed).value();
  }
  if (!doc->IsObject() || fhir::MemberString(*doc, "resourceType") != "Bundle") {
    return call.respond(ErrorResponse(Status(
        ErrorCode::kInvalidBundle, "POST to the base URL takes a Bundle of type batch or transaction",
        "Bundle.resourceType")));
  }
  std::string_view btype = fhir::MemberString(*doc, "type");
  const bool transaction = btype == "transaction";
  if (!transaction && btype != "batch") {
    return call.respond(ErrorResponse(Status(
        ErrorCode::kInvalidBundle,
        "Bundle.type is '" + std::string(btype) + "'; only batch and transaction are processed",
        "Bundle.type")));
  }
  fhir::JsonValue* entries_v = fhir::Member(*doc, "entry");
  size_t n = entries_v && entries_v->IsArray() ? entries_v->Size() : 0;
  if (n > options_.max_bundle_entries) {
    return call.respond(ErrorResponse(Status(
        ErrorCode::kTooLarge, "the Bundle has " + std::to_string(n) + " entries; the limit is " +
                                  std::to_string(options_.max_bundle_entries))));
  }
  auto entries = std::make_shared<std::vector<Entry>>(n);
  for (size_t i = 0; i < n; ++i) {
    Entry& e = (*entries)[i];
    e.index = i;
    Status st = ParseEntry((*entries_v)[static_cast<rapidjson::SizeType>(i)], doc->GetAllocator(), e);
    if (!st.ok()) {
      if (transaction) return call.respond(ErrorResponse(st));
      e.status = StatusLine(HttpStatusFor(st.code()));
      e.outcome = OperationOutcomeJson(st);
      e.verb = Verb::kGet;
      e.type.clear();  // marks a failed entry
    }
  }
  const bool with_resource =
      call.ctx.prefer_return == PreferReturn::kRepresentation &&
      !call.req.HeaderValue("prefer").empty();
  auto body = std::make_shared<std::string>();
  auto reads = std::make_shared<ReadAccess>(*call.principal, policy_, sink_, "read");
  auto principal = call.principal;
  const access::AccessPolicy* policy = &policy_;
  store_.Write(
      [doc, entries, transaction, with_resource, body, reads, principal,
       policy](storage::WriteTxn& txn) -> Status {
        Actor actor{principal.get(), policy, {}, false};
        std::vector<Entry*> order;
        for (Entry& e : *entries) {
          if (!e.type.empty()) order.push_back(&e);
        }
        std::stable_sort(order.begin(), order.end(), [](const Entry* a, const Entry* b) {
          return static_cast<int>(a->verb) < static_cast<int>(b->verb);
        });
        if (transaction) {
          // DELETEs first, so that the POSTs' ifNoneExist and the conditional
          // references no longer see what they removed.
          std::unordered_map<std::string, std::string> aliases;
          std::unordered_map<std::string, size_t> touched;  // Type/id -> entry
          auto claim = [&](const Entry& e, const std::string& key) -> Status {
            auto [it, fresh] = touched.emplace(key, e.index);
            if (fresh) return Status::Ok();
            return Status(ErrorCode::kInvalidBundle,
                          key + " is also the target of entry " + std::to_string(it->second) +
                              "; a transaction may not act twice on one resource");
          };
          for (Entry* e : order) {
            if (e->verb != Verb::kDelete) continue;
            if (!e->id.empty()) {
              if (Status st = claim(*e, e->type + "/" + e->id); !st.ok()) return At(e->index, st);
            }
            if (Status st = RunEntry(txn, *e, with_resource, &actor, reads.get()); !st.ok()) {
              return At(e->index, st);
            }
          }
          for (Entry* e : order) {
            if (e->verb == Verb::kDelete || e->verb == Verb::kGet) continue;
            if (Status st = AssignIds(txn, *e, aliases); !st.ok()) return At(e->index, st);
            if (Status st = claim(*e, e->type + "/" + e->id); !st.ok()) return At(e->index, st);
          }
          for (Entry* e : order) {
            if (!e->input) continue;
            if (Status st = ResolveReferences(txn, *e->input, &aliases); !st.ok()) {
              return At(e->index, st);
            }
          }
          for (Entry* e : order) {
            if (e->verb == Verb::kDelete) continue;
            if (Status st = RunEntry(txn, *e, with_resource, &actor, reads.get()); !st.ok()) {
              return At(e->index, st);
            }
          }
        } else {
          for (Entry* e : order) {
            size_t audited = actor.audit.size();
            Status st = txn.Nested([&] {
              std::unordered_map<std::string, std::string> none;
              HB_RETURN_IF_ERROR(AssignIds(txn, *e, none));
              if (e->input) HB_RETURN_IF_ERROR(ResolveReferences(txn, *e->input, nullptr));
              return RunEntry(txn, *e, with_resource, &actor, reads.get());
            });
            if (!st.ok()) {
              actor.audit.resize(audited);  // what was rolled back did not happen
              e->status = StatusLine(HttpStatusFor(st.code()));
              e->outcome = OperationOutcomeJson(st);
              e->resource.clear();
              e->etag.clear();
              e->location.clear();
            }
          }
        }
        HB_RETURN_IF_ERROR(FlushAudit(txn, &actor));
        BundleWriter bw(transaction ? "transaction-response" : "batch-response", -1, {});
        for (const Entry& e : *entries) {
          bw.ResponseEntry(e.status, e.location, e.etag, e.last_modified, e.resource, e.outcome);
        }
        *body = bw.Finish();
        return Status::Ok();
      },
      [body, reads, ctx = call.ctx, respond = std::move(call.respond)](Status st) {
        reads->Commit();
        if (!st.ok()) return respond(ErrorResponse(st));
        respond(JsonResponse(200, std::move(*body), ctx));
      });
}

}  // namespace hb::rest
