#include "operations/export.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/clock.h"
#include "fhir/json.h"
#include "http/query.h"
#include "rest/outcome.h"
#include "search/param_registry.h"
#include "search/query_parser.h"

namespace hb::operations {

namespace {

// The Bulk Data IG's three definitions, one per level.
constexpr std::string_view kDefinition =
    "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export";
constexpr std::string_view kPatientDefinition =
    "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export";
constexpr std::string_view kGroupDefinition =
    "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export";

Status Bad(const std::string& why) { return Status(ErrorCode::kInvalidArgument, why); }

// scheme://host[:port] of the request, from the context's base URL (".../fhir").
std::string Origin(const rest::RequestContext& ctx) {
  std::string base = ctx.base_url;
  if (base.ends_with("/fhir")) base.resize(base.size() - 5);
  return base;
}

// The kick-off's parameters: the query string (GET) or a Parameters body (POST).
Result<std::vector<std::pair<std::string, std::string>>> KickOffParams(const http::Request& req) {
  std::vector<std::pair<std::string, std::string>> out = http::ParseQuery(req.query);
  if (req.method != "POST" || req.body.empty()) return out;
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(req.body));
  if (!doc.IsObject() || fhir::MemberString(doc, "resourceType") != "Parameters") {
    return Bad("POST $export takes a Parameters resource");
  }
  const fhir::JsonValue* params = fhir::Member(doc, "parameter");
  if (params == nullptr || !params->IsArray()) return out;
  for (const auto& p : params->GetArray()) {
    std::string name(fhir::MemberString(p, "name"));
    std::string value;
    for (const char* v : {"valueString", "valueInstant", "valueCode", "valueUri"}) {
      if (fhir::Member(p, v) != nullptr) value = std::string(fhir::MemberString(p, v));
    }
    if (const fhir::JsonValue* ref = fhir::Member(p, "valueReference")) {
      value = std::string(fhir::MemberString(*ref, "reference"));
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

class ExportOperation final : public rest::Operation {
 public:
  explicit ExportOperation(jobs::BulkExporter& exporter) : exporter_(exporter) {}
  std::string_view Name() const override { return "export"; }
  bool Serves(rest::OperationLevel level, std::string_view type) const override {
    return level == rest::OperationLevel::kSystem ||
           (level == rest::OperationLevel::kType && type == "Patient") ||
           (level == rest::OperationLevel::kInstance && type == "Group");
  }
  bool AllowsGet() const override { return true; }
  std::string_view Definition() const override { return kDefinition; }
  std::string_view DefinitionAt(rest::OperationLevel level) const override {
    switch (level) {
      case rest::OperationLevel::kSystem: return kDefinition;
      case rest::OperationLevel::kType: return kPatientDefinition;
      case rest::OperationLevel::kInstance: return kGroupDefinition;
    }
    return kDefinition;
  }

  void Run(rest::OperationCall call, http::Responder respond) const override {
    auto fail = [&](const Status& st) { respond(rest::ErrorResponse(st)); };
    if (call.principal->role != access::Role::kSystem) {
      return fail(Status(ErrorCode::kForbidden,
                         "bulk export is for backend services (a system-scoped client token)"));
    }
    if (call.req.HeaderValue("prefer").find("respond-async") == std::string_view::npos) {
      return fail(Bad("$export is asynchronous: send 'Prefer: respond-async'"));
    }
    auto params = KickOffParams(call.req);
    if (!params.ok()) return fail(params.status());
    jobs::ExportRequest r;
    r.level = call.level == rest::OperationLevel::kSystem ? jobs::ExportLevel::kSystem
              : call.level == rest::OperationLevel::kType ? jobs::ExportLevel::kPatient
                                                          : jobs::ExportLevel::kGroup;
    r.group_id = call.id;
    r.requester = call.principal->subject;
    r.request_url = call.ctx.base_url + call.req.target.substr(std::min<size_t>(
                                            5, call.req.target.size()));  // drop "/fhir"
    for (const auto& [k, v] : *params) {
      if (k == "_outputFormat") {
        if (v != "application/fhir+ndjson" && v != "application/ndjson" && v != "ndjson") {
          return fail(Bad("_outputFormat '" + v + "' is not supported (application/fhir+ndjson)"));
        }
      } else if (k == "_since") {
        auto t = ParseFhirDateTime(v);
        if (!t) return fail(Bad("_since '" + v + "' is not an instant"));
        r.since = *t;
      } else if (k == "patient") {
        // Bulk Data v2: only these patients' compartments (Patient and Group level).
        if (r.level == jobs::ExportLevel::kSystem) {
          return fail(Bad("patient: a system-level export takes no patient; use "
                          "Patient/$export or Group/[id]/$export"));
        }
        // Read as the compartment index reads references (relative, versioned or absolute).
        std::string_view type, id;
        if (!search::ParseReference(v, &type, &id) || type != "Patient") {
          return fail(Bad("patient: '" + v + "' is not a reference to a Patient (Patient/[id])"));
        }
        r.patients.emplace_back(id);
      } else if (k == "_type") {
        for (std::string& t : search::SplitTypes(v)) r.types.push_back(std::move(t));
      } else if (k == "_typeFilter") {
        size_t q = v.find('?');
        if (q == std::string::npos || q == 0) {
          return fail(Bad("_typeFilter '" + v + "' is not Type?search-parameters"));
        }
        r.type_filters.push_back({v.substr(0, q), http::ParseQuery(v.substr(q + 1))});
      } else if (k != "_format" && k != "_pretty" && call.ctx.strict) {
        return fail(Bad("$export does not support parameter '" + k + "'"));
      }
    }
    // The token's scopes must cover every type it asks for (all types: Patient stands in).
    std::vector<std::string> check = r.types.empty() ? std::vector<std::string>{"Patient"} : r.types;
    for (const std::string& t : check) {
      if (Status st = call.policy->CheckInteraction(*call.principal, t, access::Op::kSearch, false);
          !st.ok()) {
        return fail(st);
      }
    }
    auto id = exporter_.Start(std::move(r));
    if (!id.ok()) {
      if (id.status().code() == ErrorCode::kUnavailable) {
        http::Response busy = rest::ErrorResponse(Status(ErrorCode::kRateLimited, id.status().message()));
        busy.headers.push_back({"Retry-After", "30"});
        return respond(std::move(busy));
      }
      return fail(id.status());
    }
    http::Response out;
    out.status = 202;
    out.headers.push_back({"Content-Location", Origin(call.ctx) + "/bulkstatus/" + *id});
    respond(std::move(out));
  }

 private:
  jobs::BulkExporter& exporter_;
};

std::string Manifest(const jobs::ExportStatus& st, const std::string& origin,
                     const std::string& id) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&](const std::string& v) { w.String(v.data(), static_cast<rapidjson::SizeType>(v.size())); };
  w.StartObject();
  w.Key("transactionTime");
  str(FormatInstant(st.transaction_time));
  w.Key("request");
  str(st.request.request_url);
  w.Key("requiresAccessToken");
  w.Bool(true);
  auto files = [&](bool errors) {
    w.StartArray();
    for (const jobs::ExportFile& f : st.files) {
      if (f.error != errors) continue;
      w.StartObject();
      w.Key("type");
      str(f.type);
      w.Key("url");
      str(origin + "/bulkfiles/" + id + "/" + f.name);
      w.Key("count");
      w.Int64(f.count);
      w.EndObject();
    }
    w.EndArray();
  };
  w.Key("output");
  files(false);
  w.Key("error");
  files(true);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace

void RegisterExport(rest::FhirService& service, jobs::BulkExporter& exporter) {
  service.AddOperation(std::make_unique<ExportOperation>(exporter));
}

void HandleBulkStatus(jobs::BulkExporter& exporter, const Authenticate& authenticate,
                      http::Request&& req, http::Responder respond) {
  std::string id = req.path.substr(req.path.rfind('/') + 1);
  auto st = OwnJob(exporter, authenticate, req, id, "export");
  if (!st.ok()) return respond(rest::ErrorResponse(st.status()));
  if (req.method == "DELETE") {
    exporter.Delete(id);
    http::Response r;
    r.status = 202;
    return respond(std::move(r));
  }
  http::Response r;
  if (st->state == jobs::ExportState::kRunning) {
    r.status = 202;
    r.headers.push_back({"X-Progress", st->progress});
    r.headers.push_back({"Retry-After", "1"});
    return respond(std::move(r));
  }
  if (st->state == jobs::ExportState::kFailed) {
    return respond(rest::ErrorResponse(Status(ErrorCode::kInternal, "the export failed: " + st->error)));
  }
  // File URLs on the origin the client kicked the export off at.
  const std::string& url = st->request.request_url;
  std::string origin = url.substr(0, url.find("/fhir"));
  r.status = 200;
  r.content_type = "application/json";
  r.body = Manifest(*st, origin, id);
  respond(std::move(r));
}

void HandleBulkFile(jobs::BulkExporter& exporter, const Authenticate& authenticate,
                    http::Request&& req, http::Responder respond) {
  // /bulkfiles/{job}/{name}
  std::string_view tail = std::string_view(req.path).substr(std::string_view("/bulkfiles/").size());
  size_t slash = tail.find('/');
  if (slash == std::string_view::npos) {
    return respond(rest::ErrorResponse(Status(ErrorCode::kNotFound, "no such export file")));
  }
  std::string id(tail.substr(0, slash)), name(tail.substr(slash + 1));
  auto st = OwnJob(exporter, authenticate, req, id, "export");
  if (!st.ok()) return respond(rest::ErrorResponse(st.status()));
  const std::string path = exporter.FilePath(id, name);
  // Served piece by piece: an export file can be many gigabytes.
  auto body = path.empty() ? nullptr : http::OpenFileBody(path);
  if (!body) {
    return respond(rest::ErrorResponse(Status(ErrorCode::kNotFound, "no export file " + name)));
  }
  http::Response r;
  r.content_type = "application/fhir+ndjson";
  r.body_source = std::move(body);
  respond(std::move(r));
}

}  // namespace hb::operations
