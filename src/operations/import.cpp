#include "operations/import.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>

#include "auth/scopes.h"
#include "common/clock.h"
#include "fhir/json.h"
#include "rest/outcome.h"

namespace hb::operations {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDefinition = "http://healthbook.vn/fhir/OperationDefinition/import";

Status Bad(const std::string& why) { return Status(ErrorCode::kInvalidArgument, why); }

std::string ValueOf(const fhir::JsonValue& p) {
  for (const char* v : {"valueUrl", "valueUri", "valueString"}) {
    if (fhir::Member(p, v) != nullptr) return std::string(fhir::MemberString(p, v));
  }
  return {};
}

// The paths the Parameters name, in order.
Result<std::vector<std::string>> InputsOf(const http::Request& req) {
  if (req.body.empty()) return Bad("$import takes a Parameters resource naming its input");
  HB_ASSIGN_OR_RETURN(fhir::JsonDoc doc, fhir::ParseJson(req.body));
  if (!doc.IsObject() || fhir::MemberString(doc, "resourceType") != "Parameters") {
    return Bad("$import takes a Parameters resource");
  }
  std::vector<std::string> out;
  const fhir::JsonValue* params = fhir::Member(doc, "parameter");
  if (params != nullptr && params->IsArray()) {
    for (const auto& p : params->GetArray()) {
      const std::string_view name = fhir::MemberString(p, "name");
      if (name == "url" || name == "path") {
        out.push_back(ValueOf(p));
      } else if (name == "input") {
        const fhir::JsonValue* parts = fhir::Member(p, "part");
        std::string url;
        if (parts != nullptr && parts->IsArray()) {
          for (const auto& part : parts->GetArray()) {
            if (fhir::MemberString(part, "name") == "url") url = ValueOf(part);
          }
        }
        if (url.empty()) return Bad("an input parameter needs a part 'url'");
        out.push_back(std::move(url));
      } else if (name != "inputFormat" && name != "inputSource" && name != "storageDetail") {
        return Bad("$import does not support parameter '" + std::string(name) + "'");
      }
    }
  }
  if (out.empty()) return Bad("$import needs at least one input (parameter 'input' with a 'url')");
  return out;
}

// `input` as a path inside `root`: file:///abs or a plain path; relative ones from root.
Result<std::string> Resolve(const std::string& root, std::string input) {
  if (input.starts_with("file://")) input = input.substr(7);
  if (input.empty() || input.find("://") != std::string::npos) {
    return Bad("input '" + input + "' is not a file path (only server-side files are imported)");
  }
  fs::path p(input);
  if (p.is_relative()) p = fs::path(root) / p;
  std::error_code ec;
  const fs::path canonical_root = fs::weakly_canonical(root, ec);
  const fs::path canonical = fs::weakly_canonical(p, ec);
  if (ec) return Bad("input '" + input + "' cannot be resolved: " + ec.message());
  const std::string r = canonical_root.string() + "/";
  const std::string c = canonical.string();
  if (c + "/" != r && !c.starts_with(r)) {
    return Status(ErrorCode::kForbidden,
                  "input '" + input + "' is outside the import folder " + root);
  }
  return c;
}

// Only a backend service: imported files hold patient data, which the system administrator
// (who runs the installation) never handles (docs/implementation/access.md).
bool MayImport(const access::Principal& who) {
  return who.role == access::Role::kSystem &&
         auth::Allows(who.scopes, "system", "*", auth::Interaction::kCreate) &&
         auth::Allows(who.scopes, "system", "*", auth::Interaction::kUpdate);
}

class ImportOperation final : public rest::Operation {
 public:
  ImportOperation(jobs::BulkImportJobs& jobs, std::string root)
      : jobs_(jobs), root_(std::move(root)) {}
  std::string_view Name() const override { return "import"; }
  bool Serves(rest::OperationLevel level, std::string_view) const override {
    return level == rest::OperationLevel::kSystem;
  }
  std::string_view Definition() const override { return kDefinition; }

  void Run(rest::OperationCall call, http::Responder respond) const override {
    auto fail = [&](const Status& st) { respond(rest::ErrorResponse(st)); };
    if (!MayImport(*call.principal)) {
      return fail(Status(ErrorCode::kForbidden,
                         "bulk import needs a backend service (operator token) with "
                         "system/*.write; a system administrator handles no patient data"));
    }
    if (call.req.HeaderValue("prefer").find("respond-async") == std::string_view::npos) {
      return fail(Bad("$import is asynchronous: send 'Prefer: respond-async'"));
    }
    auto inputs = InputsOf(call.req);
    if (!inputs.ok()) return fail(inputs.status());
    jobs::ImportRequest r;
    for (const std::string& in : *inputs) {
      auto path = Resolve(root_, in);
      if (!path.ok()) return fail(path.status());
      r.inputs.push_back(std::move(path).value());
    }
    r.requester = call.principal->subject;
    r.request_url = call.ctx.base_url + "/$import";
    auto id = jobs_.Start(std::move(r));
    if (!id.ok()) {
      if (id.status().code() == ErrorCode::kUnavailable) {
        http::Response busy =
            rest::ErrorResponse(Status(ErrorCode::kRateLimited, id.status().message()));
        busy.headers.push_back({"Retry-After", "30"});
        return respond(std::move(busy));
      }
      return fail(id.status());
    }
    if (call.sink) {
      call.sink->Add(access::MakeAudit(*call.principal, "C", "operation", 0, "",
                                       "$import " + *id));
    }
    std::string origin = call.ctx.base_url;
    if (origin.ends_with("/fhir")) origin.resize(origin.size() - 5);
    http::Response out;
    out.status = 202;
    out.headers.push_back({"Content-Location", origin + "/importstatus/" + *id});
    respond(std::move(out));
  }

 private:
  jobs::BulkImportJobs& jobs_;
  const std::string root_;
};

std::string Manifest(const jobs::ImportJobStatus& st, const std::string& origin,
                     const std::string& id) {
  const jobs::ImportResult& r = *st.result;
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&](const std::string& v) {
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  w.StartObject();
  w.Key("transactionTime");
  str(FormatInstant(st.transaction_time));
  w.Key("request");
  str(st.request.request_url);
  w.Key("requiresAccessToken");
  w.Bool(true);
  w.Key("output");
  w.StartArray();
  for (const auto& [type, count] : r.by_type) {
    w.StartObject();
    w.Key("type");
    str(type);
    w.Key("count");
    w.Int64(count);
    w.EndObject();
  }
  w.EndArray();
  w.Key("error");
  w.StartArray();
  const int64_t errors = r.counts.failed + r.counts.dangling;
  if (errors > 0) {
    w.StartObject();
    w.Key("type");
    w.String("OperationOutcome");
    w.Key("url");
    str(origin + "/importfiles/" + id + "/errors.ndjson");
    w.Key("count");
    w.Int64(static_cast<int64_t>(r.issues.size()));
    w.EndObject();
  }
  w.EndArray();
  w.Key("summary");
  w.StartObject();
  for (const auto& [key, value] :
       {std::pair<const char*, int64_t>{"read", r.counts.read}, {"created", r.counts.created},
        {"updated", r.counts.updated}, {"unchanged", r.counts.unchanged},
        {"failed", r.counts.failed}, {"dangling", r.counts.dangling}}) {
    w.Key(key);
    w.Int64(value);
  }
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace

void RegisterImport(rest::FhirService& service, jobs::BulkImportJobs& jobs,
                    std::string import_root) {
  service.AddOperation(std::make_unique<ImportOperation>(jobs, std::move(import_root)));
}

void HandleImportStatus(jobs::BulkImportJobs& jobs, const Authenticate& authenticate,
                        http::Request&& req, http::Responder respond) {
  std::string id = req.path.substr(req.path.rfind('/') + 1);
  auto st = OwnJob(jobs, authenticate, req, id, "import");
  if (!st.ok()) return respond(rest::ErrorResponse(st.status()));
  http::Response r;
  if (req.method == "DELETE") {
    jobs.Delete(id);
    r.status = 202;
    return respond(std::move(r));
  }
  if (req.method != "GET") {
    return respond(rest::ErrorResponse(
        Status(ErrorCode::kMethodNotAllowed, "use GET to poll or DELETE to cancel")));
  }
  if (st->state == jobs::ImportState::kRunning) {
    r.status = 202;
    r.headers.push_back({"X-Progress", st->ProgressText()});
    r.headers.push_back({"Retry-After", "1"});
    return respond(std::move(r));
  }
  if (st->state != jobs::ImportState::kCompleted) {
    return respond(rest::ErrorResponse(
        Status(ErrorCode::kInternal, "the import failed: " +
                                         (st->error.empty() ? std::string("cancelled") : st->error))));
  }
  const std::string& url = st->request.request_url;
  r.status = 200;
  r.content_type = "application/json";
  r.body = Manifest(*st, url.substr(0, url.find("/fhir")), id);
  respond(std::move(r));
}

void HandleImportFile(jobs::BulkImportJobs& jobs, const Authenticate& authenticate,
                      http::Request&& req, http::Responder respond) {
  // /importfiles/{job}/errors.ndjson
  std::string_view tail =
      std::string_view(req.path).substr(std::string_view("/importfiles/").size());
  const size_t slash = tail.find('/');
  if (slash == std::string_view::npos || tail.substr(slash + 1) != "errors.ndjson") {
    return respond(rest::ErrorResponse(Status(ErrorCode::kNotFound, "no such import file")));
  }
  const std::string id(tail.substr(0, slash));
  auto st = OwnJob(jobs, authenticate, req, id, "import");
  if (!st.ok()) return respond(rest::ErrorResponse(st.status()));
  const std::string path = jobs.ErrorFilePath(id);
  auto body = path.empty() ? nullptr : http::OpenFileBody(path);
  if (!body) {
    return respond(rest::ErrorResponse(Status(ErrorCode::kNotFound, "the import has no error file yet")));
  }
  http::Response r;
  r.content_type = "application/fhir+ndjson";
  r.body_source = std::move(body);
  respond(std::move(r));
}

}  // namespace hb::operations
