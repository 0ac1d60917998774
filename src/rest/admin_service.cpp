#include "rest/admin_service.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "auth/password.h"
#include "http/json_response.h"
#include "rest/outcome.h"

namespace hb::rest {

namespace {

using access::Role;

http::Response Json(int status, std::string body) {
  return http::JsonResponse(status, std::move(body), /*no_store=*/true);
}

bool IsProvinceRole(Role r) {
  return r == Role::kSystemAdmin || r == Role::kDohOfficial || r == Role::kSystem;
}

// May `who` manage `account` (an existing one, or one about to be created)?
Status MayManage(const access::Principal& who, const storage::Account& account) {
  if (who.role == Role::kSystem || who.role == Role::kSystemAdmin) return Status::Ok();
  if (who.role != Role::kFacilityAdmin) {
    return Status(ErrorCode::kForbidden, "accounts are managed by administrators");
  }
  auto role = access::RoleFromName(account.role);
  if (account.facility != who.facility || (role && IsProvinceRole(*role))) {
    return Status(ErrorCode::kForbidden,
                  "a facility administrator manages the accounts of their own facility only");
  }
  return Status::Ok();
}

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void Put(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void WriteAccount(JsonWriter& w, const storage::Account& a) {
  auto kv = [&](const char* k, const std::string& v) { Put(w, k, v); };
  w.StartObject();
  kv("name", a.name);
  kv("kind", a.kind);
  kv("role", a.role);
  kv("facility", a.facility);
  kv("display", a.display);
  if (!a.practitioner.empty()) kv("practitioner", a.practitioner);
  if (!a.patient.empty()) kv("patient", a.patient);
  w.Key("disabled");
  w.Bool(a.disabled);
  w.EndObject();
}

std::string Member(const rapidjson::Document& d, const char* name) {
  return d.IsObject() && d.HasMember(name) && d[name].IsString() ? d[name].GetString() : "";
}

}  // namespace

void AdminService::Handle(http::Request&& req, const access::Principal& who,
                          http::Responder respond) {
  auto fail = [&](const Status& st) { respond(ErrorResponse(st)); };
  auto audit = [&](std::string_view what, std::string_view detail) {
    if (sink_) sink_->Add(access::MakeAudit(who, "E", "account", 0, "", what, detail));
  };
  std::string_view path = req.path;
  path.remove_prefix(std::string_view("/admin/accounts").size());
  if (path.empty() && req.method == "GET") {
    if (who.role != Role::kSystem && who.role != Role::kSystemAdmin &&
        who.role != Role::kFacilityAdmin) {
      return fail(Status(ErrorCode::kForbidden, "accounts are managed by administrators"));
    }
    auto all = accounts_.List();
    if (!all.ok()) return fail(all.status());
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartArray();
    for (const auto& a : *all) {
      if (MayManage(who, a).ok()) WriteAccount(w, a);
    }
    w.EndArray();
    return respond(Json(200, std::string(buf.GetString(), buf.GetSize())));
  }
  rapidjson::Document body;
  if (!req.body.empty()) {
    body.Parse(req.body.c_str(), req.body.size());
    if (body.HasParseError() || !body.IsObject()) {
      return fail(Status(ErrorCode::kInvalidArgument, "the body must be a JSON object"));
    }
  }
  std::string password = Member(body, "password");
  bool generated = password.empty();
  if (generated) password = auth::RandomPassword(16);
  if (Status st = auth::CheckPasswordPolicy(password); !generated && !st.ok()) return fail(st);
  if (path.empty() && req.method == "POST") {
    storage::Account a;
    a.name = Member(body, "name");
    a.kind = "user";
    a.role = Member(body, "role");
    a.facility = Member(body, "facility");
    a.display = Member(body, "display");
    a.practitioner = Member(body, "practitioner");
    a.patient = Member(body, "patient");
    if (a.name.empty() || !access::RoleFromName(a.role) || a.role == "system") {
      return fail(Status(ErrorCode::kInvalidArgument, "give a name and a known role"));
    }
    if (Status st = MayManage(who, a); !st.ok()) return fail(st);
    std::string warning;
    if (check_) {
      auto checked = check_(a);
      if (!checked.ok()) return fail(checked.status());
      warning = std::move(checked).value();
    }
    auto hash = auth::HashPassword(password);
    if (!hash.ok()) return fail(hash.status());
    a.password_hash = *hash;
    if (Status st = accounts_.Add(a); !st.ok()) return fail(st);
    audit("account/" + a.name, "created, role " + a.role);
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    Put(w, "name", a.name);
    Put(w, "role", a.role);
    if (generated) Put(w, "password", password);
    if (!warning.empty()) Put(w, "warning", warning);
    w.EndObject();
    return respond(Json(201, std::string(buf.GetString(), buf.GetSize())));
  }
  // /{name}/{action}
  if (req.method != "POST" || path.size() < 2 || path[0] != '/') {
    return fail(Status(ErrorCode::kNotFound, "no such account endpoint"));
  }
  path.remove_prefix(1);
  size_t slash = path.find('/');
  if (slash == std::string_view::npos) {
    return fail(Status(ErrorCode::kNotFound, "use /admin/accounts/{name}/disable|enable|password"));
  }
  std::string name(path.substr(0, slash));
  std::string_view action = path.substr(slash + 1);
  auto a = accounts_.Get(name);
  if (!a.ok()) return fail(a.status());
  if (Status st = MayManage(who, *a); !st.ok()) return fail(st);
  std::string reply = R"({"name":")" + name + "\"";
  if (action == "disable" || action == "enable") {
    a->disabled = action == "disable";
  } else if (action == "password" && a->kind == "user") {
    auto hash = auth::HashPassword(password);
    if (!hash.ok()) return fail(hash.status());
    a->password_hash = *hash;
    if (generated) reply += R"(,"password":")" + password + "\"";
  } else {
    return fail(Status(ErrorCode::kNotFound, "unknown action '" + std::string(action) + "'"));
  }
  if (Status st = accounts_.Update(*a); !st.ok()) return fail(st);
  audit("account/" + name, action);
  respond(Json(200, reply + "}"));
}

}  // namespace hb::rest
