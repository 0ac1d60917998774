#include "rest/fhir_service.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <vector>

#include "common/clock.h"
#include "common/ids.h"
#include "fhir/model.h"
#include "http/query.h"
#include "rest/bundle_writer.h"
#include "rest/capability.h"
#include "rest/outcome.h"
#include "rest/read_access.h"
#include "rest/request_context.h"
#include "rest/responses.h"
#include "rest/search_op.h"
#include "rest/write_ops.h"
#include "search/named_query.h"
#include "search/query_parser.h"

namespace hb::rest {

namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Status CheckType(const std::string& type) {
  if (fhir::Model::R4().IsResourceType(type)) return Status::Ok();
  return Status(ErrorCode::kNotFound, "'" + type + "' is not a FHIR R4 resource type");
}

Status CheckId(const std::string& id) {
  if (IsValidFhirId(id)) return Status::Ok();
  return Status(ErrorCode::kInvalidId,
                "'" + id + "' is not a valid resource id (1-64 of A-Z a-z 0-9 - .)");
}

Result<std::optional<int64_t>> IfMatch(const http::Request& req) {
  std::string_view v = req.HeaderValue("if-match");
  if (v.empty()) return std::optional<int64_t>();
  HB_ASSIGN_OR_RETURN(int64_t n, ParseVersionTag(v));
  return std::optional<int64_t>(n);
}

// Runs `op` on the writer as `principal` and answers with the resulting
// resource. The change and its audit records commit together; a refusal is
// audited on its own.
template <typename WriteOp>
void WriteAndRespond(storage::ResourceStore& store, const access::AccessPolicy& policy,
                     access::AuditSink* sink,
                     std::shared_ptr<const access::Principal> principal, std::string what,
                     http::Responder respond, RequestContext ctx, WriteOp op) {
  auto out = std::make_shared<std::optional<WriteOutcome>>();
  store.Write(
      [op = std::move(op), out, principal, &policy](storage::WriteTxn& txn) mutable {
        Actor actor{principal.get(), &policy, {}, false};
        Result<WriteOutcome> r = op(txn, &actor);
        if (!r.ok()) return r.status();
        HB_RETURN_IF_ERROR(FlushAudit(txn, &actor));
        *out = std::move(r).value();
        return Status::Ok();
      },
      [out, ctx = std::move(ctx), respond = std::move(respond), principal, sink,
       what = std::move(what)](Status st) {
        if (!st.ok()) {
          if (sink && st.code() == ErrorCode::kForbidden) {
            sink->Add(access::MakeAudit(*principal, "E", "write", 4, "", what, st.message()));
          }
          return respond(ErrorResponse(st));
        }
        const WriteOutcome& o = **out;
        if (o.version.deleted || (o.unchanged && o.version.json.empty())) {
          std::string msg = o.version.id.empty()
                                ? "no " + o.version.type + " matched: nothing deleted"
                                : o.version.type + "/" + o.version.id + " is deleted";
          http::Response r = JsonResponse(200, InformationOutcomeJson(msg), ctx);
          if (o.version.version > 0) r.headers.push_back({"ETag", VersionTag(o.version.version)});
          return respond(std::move(r));
        }
        respond(ResourceResponse(o.created ? 201 : 200, o.version, ctx, !o.unchanged));
      });
}

// The linked-in definitions and the named queries configured now (app::OpenStore reads
// them before the service is made).
Result<std::shared_ptr<const OperationDefinitions>> LoadDefinitions() {
  std::vector<std::pair<std::string, std::string>> queries;
  for (const search::NamedQuery& q : search::NamedQueries::Default().All()) {
    queries.emplace_back(q.source, q.json);
  }
  return OperationDefinitions::Load(queries, NowMicros());
}

}  // namespace

FhirService::FhirService(storage::ResourceStore& store, const access::AccessPolicy& policy,
                         access::AuditSink* sink, ServiceOptions options)
    : store_(store),
      policy_(policy),
      sink_(sink),
      options_(std::move(options)),
      definitions_(LoadDefinitions()) {
  capability_json_ = BuildCapabilityStatement(options_.software_version);
}

void FhirService::Handle(http::Request&& req, access::Principal principal,
                         http::Responder respond) {
  // An operation's last path segment is "$name"; it may answer in another media type.
  std::string_view last = std::string_view(req.path).substr(req.path.rfind('/') + 1);
  auto ctx = MakeContext(req, options_.base_url, last.starts_with('$'));
  if (!ctx.ok()) return respond(ErrorResponse(ctx.status()));
  principal.remote = req.remote.substr(0, req.remote.rfind(':'));
  principal.break_glass_reason = std::string(req.HeaderValue("x-break-glass-reason"));
  Call call{std::move(req), std::move(respond), std::move(ctx).value(), {},
            std::make_shared<const access::Principal>(std::move(principal))};
  std::string_view path = call.req.path;
  if (path.starts_with("/fhir")) path.remove_prefix(5);
  call.segments = Split(path);
  Dispatch(call);
}

void FhirService::Dispatch(Call& call) {
  const std::string& m = call.req.method;
  auto& s = call.segments;
  auto fail = [&](const Status& st) { call.respond(ErrorResponse(st)); };
  auto not_allowed = [&](std::string_view what) {
    fail(Status(ErrorCode::kMethodNotAllowed, m + " is not supported on " + std::string(what)));
  };
  bool get = m == "GET" || m == "HEAD";
  auto is_op = [](const std::string& seg) { return seg.size() > 1 && seg[0] == '$'; };
  if (s.size() == 1 && is_op(s[0])) {
    return InvokeOperation(call, OperationLevel::kSystem, "", "", std::string_view(s[0]).substr(1));
  }
  if (s.size() == 2 && is_op(s[1]) && fhir::Model::R4().IsResourceType(s[0])) {
    return InvokeOperation(call, OperationLevel::kType, s[0], "", std::string_view(s[1]).substr(1));
  }
  if (s.size() == 3 && is_op(s[2]) && s[2] != "$everything" &&
      fhir::Model::R4().IsResourceType(s[0]) && IsValidFhirId(s[1])) {
    return InvokeOperation(call, OperationLevel::kInstance, s[0], s[1],
                           std::string_view(s[2]).substr(1));
  }
  if (s.empty()) {
    if (m == "POST") return Bundle(call);
    if (get) return MultiSearch(call, "");  // system search: ?_type=...
    return not_allowed("the base URL (POST a batch or transaction Bundle, GET to search)");
  }
  if (s[0] == "_search") {
    if (s.size() == 1 && m == "POST") return MultiSearch(call, "");
    return not_allowed("/_search");
  }
  if (s[0] == "metadata") {
    if (s.size() == 1 && get) return Capabilities(call);
    return not_allowed("/metadata");
  }
  if (s[0] == "_history") {
    if (s.size() == 1 && get) return History(call, "", "");
    return not_allowed("/_history");
  }
  const std::string& type = s[0];
  if (Status st = CheckType(type); !st.ok()) return fail(st);
  if (type == "OperationDefinition") return OperationDefinitionRequest(call);
  if (s.size() == 1) {
    if (get) return Search(call, type);
    if (m == "POST") return Create(call, type);
    if (m == "PUT") return ConditionalUpdate(call, type);
    if (m == "DELETE") return ConditionalDelete(call, type);
    return not_allowed(type);
  }
  if (s[1] == "_search") {
    if (s.size() == 2 && m == "POST") return Search(call, type);
    return not_allowed(type + "/_search");
  }
  if (s[1] == "_history") {
    if (s.size() == 2 && get) return History(call, type, "");
    return not_allowed(type + "/_history");
  }
  const std::string& id = s[1];
  if (Status st = CheckId(id); !st.ok()) return fail(st);
  if (s.size() == 2) {
    if (get) return Read(call, type, id);
    if (m == "PUT") return Update(call, type, id);
    if (m == "PATCH") return Patch(call, type, id);
    if (m == "DELETE") return Delete(call, type, id);
    return not_allowed(type + "/" + id);
  }
  if (s[2] == "_history" && get) {
    if (s.size() == 3) return History(call, type, id);
    if (s.size() == 4) return VRead(call, type, id, s[3]);
  }
  if (type == "Patient" && s.size() == 3 && s[2] == "$everything" && (get || m == "POST")) {
    return Everything(call, id);
  }
  if (type == "Patient" && (s.size() == 3 || (s.size() == 4 && s[3] == "_search"))) {
    // Compartment search: Patient/{id}/{type} and Patient/{id}/* (every type in it), by GET,
    // or by POST to .../_search.
    bool ok_method = s.size() == 3 ? get : m == "POST";
    if (ok_method && s[2] == "*") return MultiSearch(call, id);
    if (ok_method && fhir::Model::R4().IsResourceType(s[2])) return Search(call, s[2], id);
  }
  fail(Status(ErrorCode::kNotFound, "no FHIR endpoint at " + call.req.path));
}

void FhirService::AddOperation(std::unique_ptr<Operation> op) {
  operations_.push_back(std::move(op));
  capability_json_ = BuildCapabilityStatement(options_.software_version, operations_);
}

Status FhirService::CheckOperationDefinitions() const {
  if (!definitions_.ok()) return definitions_.status();
  return (*definitions_)->CheckOperations(operations_);
}

void FhirService::InvokeOperation(Call& call, OperationLevel level, const std::string& type,
                                  const std::string& id, std::string_view name) {
  for (const auto& op : operations_) {
    if (op->Name() != name || !op->Serves(level, type)) continue;
    const std::string& m = call.req.method;
    if (m != "POST" && !((m == "GET" || m == "HEAD") && op->AllowsGet())) {
      return call.respond(ErrorResponse(Status(
          ErrorCode::kMethodNotAllowed,
          "$" + std::string(name) + (op->AllowsGet() ? " takes GET or POST" : " takes POST"))));
    }
    OperationCall oc{std::move(call.req), call.ctx, call.principal, level, type, id,
                     &store_, &policy_, sink_};
    return op->Run(std::move(oc), std::move(call.respond));
  }
  std::string where = level == OperationLevel::kSystem ? "the system level"
                      : level == OperationLevel::kType ? type
                                                       : type + "/" + id;
  call.respond(ErrorResponse(
      Status(ErrorCode::kNotFound, "no operation $" + std::string(name) + " at " + where)));
}

void FhirService::Capabilities(Call& call) {
  call.respond(JsonResponse(200, capability_json_, call.ctx));
}

bool FhirService::Allowed(Call& call, const std::string& type, access::Op op, bool count_only) {
  Status st = policy_.CheckInteraction(*call.principal, type, op, count_only);
  if (st.ok()) return true;
  if (sink_ && access::IsPatientData(type)) {
    sink_->Add(access::MakeAudit(*call.principal, op == access::Op::kRead ? "R" : "E",
                                 call.req.method, 4, "", call.req.target, st.message()));
  }
  call.respond(ErrorResponse(st));
  return false;
}

void FhirService::Read(Call& call, const std::string& type, const std::string& id) {
  if (type == "AuditEvent" && id.find_first_not_of("0123456789") == std::string::npos) {
    return AuditEventRead(call, id);
  }
  if (!Allowed(call, type, access::Op::kRead)) return;
  auto txn = store_.BeginRead();
  auto v = txn->Read(type, id);
  if (!v.ok()) return call.respond(ErrorResponse(v.status()));
  ReadAccess access(*call.principal, policy_, sink_, "read");
  Status allowed = access.Check(*txn, *v);
  txn.reset();
  access.Commit();
  if (!allowed.ok()) return call.respond(ErrorResponse(allowed));
  if (v->deleted) return call.respond(GoneResponse(*v));
  std::string_view inm = call.req.HeaderValue("if-none-match");
  if (!inm.empty()) {
    auto tag = ParseVersionTag(inm);
    if (tag.ok() && *tag == v->version) {
      http::Response r;
      r.status = 304;
      r.headers.push_back({"ETag", VersionTag(v->version)});
      return call.respond(std::move(r));
    }
  }
  RequestContext ctx = call.ctx;
  ctx.prefer_return = PreferReturn::kRepresentation;
  call.respond(ResourceResponse(200, *v, ctx, false));
}

void FhirService::VRead(Call& call, const std::string& type, const std::string& id,
                        const std::string& vid) {
  int64_t version = 0;
  auto [p, ec] = std::from_chars(vid.data(), vid.data() + vid.size(), version);
  if (ec != std::errc() || p != vid.data() + vid.size() || version < 1) {
    return call.respond(ErrorResponse(
        Status(ErrorCode::kInvalidArgument, "'" + vid + "' is not a version number")));
  }
  if (!Allowed(call, type, access::Op::kRead)) return;
  auto txn = store_.BeginRead();
  auto v = txn->VRead(type, id, version);
  if (!v.ok()) return call.respond(ErrorResponse(v.status()));
  ReadAccess access(*call.principal, policy_, sink_, "vread");
  Status allowed = access.Check(*txn, *v);
  txn.reset();
  access.Commit();
  if (!allowed.ok()) return call.respond(ErrorResponse(allowed));
  if (v->deleted) return call.respond(GoneResponse(*v));
  RequestContext ctx = call.ctx;
  ctx.prefer_return = PreferReturn::kRepresentation;
  call.respond(ResourceResponse(200, *v, ctx, false));
}

void FhirService::History(Call& call, const std::string& type, const std::string& id) {
  storage::HistoryQuery q;
  q.type = type;
  q.id = id;
  std::vector<std::pair<std::string, std::string>> kept;
  for (const auto& [k, v] : call.ctx.query) {
    if (k == "_count") {
      int n = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || p != v.data() + v.size() || n < 1) {
        return call.respond(ErrorResponse(
            Status(ErrorCode::kInvalidArgument, "_count must be a positive integer")));
      }
      q.count = std::min(n, 1000);
      kept.emplace_back("_count", std::to_string(q.count));
    } else if (k == "_since") {
      auto t = ParseFhirDateTime(v);
      if (!t || v.size() < 20) {
        return call.respond(ErrorResponse(Status(
            ErrorCode::kInvalidArgument, "_since must be an instant such as 2026-01-01T00:00:00Z")));
      }
      q.since = *t;
      kept.emplace_back("_since", v);
    } else if (k == "_cursor") {
      int64_t c = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), c);
      if (ec != std::errc() || p != v.data() + v.size()) {
        return call.respond(
            ErrorResponse(Status(ErrorCode::kInvalidArgument, "_cursor is not valid")));
      }
      q.before_seq = c;
    } else if (k != "_format" && k != "_pretty" && call.ctx.strict) {
      return call.respond(ErrorResponse(
          Status(ErrorCode::kInvalidSearchParameter, "history does not support parameter " + k)));
    }
  }
  // Reading history is reading: of one resource, of a type, or (system level) of all.
  if (!Allowed(call, type.empty() ? "Patient" : type,
               id.empty() ? access::Op::kSearch : access::Op::kRead)) {
    return;
  }
  auto txn = store_.BeginRead();
  auto page = txn->History(q);
  if (!page.ok()) return call.respond(ErrorResponse(page.status()));
  ReadAccess access(*call.principal, policy_, sink_, "history");
  bool filtered = access.Filter(*txn, page->entries,
                                [](const storage::HistoryEntry& e) -> const storage::ResourceVersion& {
                                  return e.version;
                                });
  txn.reset();
  access.Commit();
  std::string path = type.empty() ? "/_history" : "/" + type + (id.empty() ? "" : "/" + id) + "/_history";
  std::vector<std::pair<std::string, std::string>> links;
  auto self_params = kept;
  if (q.before_seq) self_params.emplace_back("_cursor", std::to_string(*q.before_seq));
  links.emplace_back("self", SelfUrl(call.ctx, path, self_params));
  if (page->next_before_seq) {
    auto next = kept;
    next.emplace_back("_cursor", std::to_string(*page->next_before_seq));
    links.emplace_back("next", SelfUrl(call.ctx, path, next));
  }
  // A total would tell how much the caller may not see: omit it once anything was withheld.
  BundleWriter bw("history", filtered ? -1 : page->total, links);
  for (const auto& e : page->entries) bw.HistoryEntry(call.ctx.base_url, e.version);
  call.respond(JsonResponse(200, bw.Finish(), call.ctx));
}

void FhirService::Create(Call& call, const std::string& type) {
  if (Status st = CheckBodyType(call.req, false); !st.ok()) return call.respond(ErrorResponse(st));
  if (!Allowed(call, type, access::Op::kCreate)) return;
  auto in = PrepareInput(call.req.body, type);
  if (!in.ok()) return call.respond(ErrorResponse(in.status()));
  std::optional<QueryParams> ine;
  std::string_view h = call.req.HeaderValue("if-none-exist");
  if (!h.empty()) {
    if (auto q = h.find('?'); q != std::string_view::npos) h.remove_prefix(q + 1);
    ine = http::ParseQuery(h);
  }
  auto input = std::move(in).value();
  WriteAndRespond(store_, policy_, sink_, call.principal, type, std::move(call.respond), call.ctx,
                  [input, ine](storage::WriteTxn& txn, Actor* actor) {
                    return rest::Create(txn, actor, input->input, ine);
                  });
}

void FhirService::Update(Call& call, const std::string& type, const std::string& id) {
  if (Status st = CheckBodyType(call.req, false); !st.ok()) return call.respond(ErrorResponse(st));
  if (!Allowed(call, type, access::Op::kUpdate)) return;
  auto in = PrepareInput(call.req.body, type);
  if (!in.ok()) return call.respond(ErrorResponse(in.status()));
  auto im = IfMatch(call.req);
  if (!im.ok()) return call.respond(ErrorResponse(im.status()));
  auto input = std::move(in).value();
  WriteAndRespond(store_, policy_, sink_, call.principal, type + "/" + id,
                  std::move(call.respond), call.ctx,
                  [input, id, im = *im](storage::WriteTxn& txn, Actor* actor) {
                    return rest::Update(txn, actor, input->input, id, im);
                  });
}

void FhirService::ConditionalUpdate(Call& call, const std::string& type) {
  if (Status st = CheckBodyType(call.req, false); !st.ok()) return call.respond(ErrorResponse(st));
  if (!Allowed(call, type, access::Op::kUpdate)) return;
  auto in = PrepareInput(call.req.body, type);
  if (!in.ok()) return call.respond(ErrorResponse(in.status()));
  auto im = IfMatch(call.req);
  if (!im.ok()) return call.respond(ErrorResponse(im.status()));
  QueryParams query;
  for (const auto& kv : call.ctx.query) {
    if (kv.first != "_format" && kv.first != "_pretty") query.push_back(kv);
  }
  auto input = std::move(in).value();
  WriteAndRespond(store_, policy_, sink_, call.principal, call.req.target, std::move(call.respond),
                  call.ctx, [input, query, im = *im](storage::WriteTxn& txn, Actor* actor) {
                    return rest::ConditionalUpdate(txn, actor, input->input, query, im);
                  });
}

void FhirService::Patch(Call& call, const std::string& type, const std::string& id) {
  if (Status st = CheckBodyType(call.req, true); !st.ok()) return call.respond(ErrorResponse(st));
  if (!Allowed(call, type, access::Op::kUpdate)) return;
  auto patch = fhir::ParseJson(call.req.body);
  if (!patch.ok()) return call.respond(ErrorResponse(patch.status()));
  auto im = IfMatch(call.req);
  if (!im.ok()) return call.respond(ErrorResponse(im.status()));
  auto doc = std::make_shared<fhir::JsonDoc>(std::move(patch).value());
  WriteAndRespond(store_, policy_, sink_, call.principal, type + "/" + id,
                  std::move(call.respond), call.ctx,
                  [doc, type, id, im = *im](storage::WriteTxn& txn, Actor* actor) {
                    return rest::Patch(txn, actor, type, id, *doc, im);
                  });
}

void FhirService::Delete(Call& call, const std::string& type, const std::string& id) {
  if (!Allowed(call, type, access::Op::kDelete)) return;
  auto im = IfMatch(call.req);
  if (!im.ok()) return call.respond(ErrorResponse(im.status()));
  WriteAndRespond(store_, policy_, sink_, call.principal, type + "/" + id,
                  std::move(call.respond), call.ctx,
                  [type, id, im = *im](storage::WriteTxn& txn, Actor* actor) {
                    return rest::Delete(txn, actor, type, id, im);
                  });
}

void FhirService::ConditionalDelete(Call& call, const std::string& type) {
  if (!Allowed(call, type, access::Op::kDelete)) return;
  QueryParams query;
  for (const auto& kv : call.ctx.query) {
    if (kv.first != "_format" && kv.first != "_pretty") query.push_back(kv);
  }
  WriteAndRespond(store_, policy_, sink_, call.principal, call.req.target, std::move(call.respond),
                  call.ctx, [type, query](storage::WriteTxn& txn, Actor* actor) {
                    return rest::ConditionalDelete(txn, actor, type, query);
                  });
}

}  // namespace hb::rest
