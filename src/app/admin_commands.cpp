// The administration subcommands: user, client, token, audit.
//
// They work on the data folder directly (also while a server runs on it: SQLite
// in WAL mode lets them in, and the server sees the change within 30 s), so only
// someone who can read and write the data folder can use them.
#include <CLI/CLI.hpp>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "access/roles.h"
#include "app/account_facility.h"
#include "app/admin.h"
#include "app/store_factory.h"
#include "auth/jwk.h"
#include "auth/key_store.h"
#include "auth/password.h"
#include "auth/scopes.h"
#include "common/clock.h"
#include "rest/auth_service.h"
#include "storage/account_store.h"

namespace hb::app {

namespace {

int Fail(const std::string& msg) {
  std::fprintf(stderr, "healthbook: %s\n", msg.c_str());
  return 1;
}

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream f(path, std::ios::binary);
  *ok = static_cast<bool>(f);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// "90s", "15m", "1h", "2d", or plain seconds.
Result<int64_t> ParseDuration(const std::string& text) {
  if (text.empty()) return Status(ErrorCode::kInvalidArgument, "empty duration");
  int64_t unit = 1;
  std::string digits = text;
  switch (text.back()) {
    case 's': unit = 1; digits.pop_back(); break;
    case 'm': unit = 60; digits.pop_back(); break;
    case 'h': unit = 3600; digits.pop_back(); break;
    case 'd': unit = 86400; digits.pop_back(); break;
    default: break;
  }
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) {
    return Status(ErrorCode::kInvalidArgument,
                  "'" + text + "' is not a duration such as 90s, 15m, 1h or 2d");
  }
  return std::stoll(digits) * unit;
}

Status CheckRole(const std::string& role) {
  if (access::RoleFromName(role)) return Status::Ok();
  std::string names;
  for (auto r : access::AllRoles()) names += (names.empty() ? "" : ", ") + std::string(access::RoleName(r));
  return Status(ErrorCode::kInvalidArgument, "unknown role '" + role + "'; roles: " + names);
}

// The facility an account is created at, from its Organization (app/account_facility.h):
// 0 to go on (a warning printed when there is one), else the exit code of the refusal. The
// store is read only when the role depends on the facility and the data folder is free; a
// running server holds it, and then the check is left to the admin API (said so).
int CheckFacility(const Config& cfg, const std::string& role, const std::string& facility) {
  if (role != access::RoleName(access::Role::kCommuneHealthWorker)) return 0;
  auto dir = OpenDataDir(cfg.data);
  if (!dir.ok()) {
    std::fprintf(stderr,
                 "healthbook: warning: the facility %s was not checked (%s); POST "
                 "/admin/accounts on the running server checks it\n",
                 facility.c_str(), dir.status().message().c_str());
    return 0;
  }
  auto store = OpenStore(**dir, cfg);
  if (!store.ok()) return Fail(store.status().message());
  Result<std::string> checked = [&] {
    auto txn = (*store)->BeginRead();
    return CheckAccountFacility(*txn, role, facility);
  }();
  (*store)->Close();
  if (!checked.ok()) return Fail(checked.status().message());
  if (!checked->empty()) std::fprintf(stderr, "healthbook: warning: %s\n", checked->c_str());
  return 0;
}

}  // namespace

Result<std::unique_ptr<storage::AccountStore>> OpenAccountsForCli(const Config& cfg) {
  // The folder's store (app/store_factory.h), created and migrated when new.
  return OpenAccountStore(cfg.data, cfg);
}

void AddAdminCommands(CLI::App& app, Config& cfg, std::function<int()>* action) {
  auto data = [&cfg](CLI::App* c) {
    c->add_option("--data", cfg.data, "Data folder")->capture_default_str();
    c->add_option("--store", cfg.store,
                  "sqlite:PATH or postgresql://... (default: the store recorded in the data "
                  "folder)");
  };

  // --- user -------------------------------------------------------------------
  auto* user = app.add_subcommand("user", "Manage the people who sign in");
  user->require_subcommand(1);
  struct UserArgs {
    std::string name, role, facility, display, practitioner, patient, password_file;
  };
  auto ua = std::make_shared<UserArgs>();
  auto* add = user->add_subcommand("add", "Add a user (prints a random password unless given one)");
  data(add);
  add->add_option("--name", ua->name, "User name")->required();
  add->add_option("--role", ua->role, "Role: doctor, nurse, receptionist, citizen, ...")->required();
  add->add_option("--facility", ua->facility,
                  "MA_CSKCB code of the user's facility (a commune health worker's must be a "
                  "commune health station)");
  add->add_option("--display", ua->display, "Full name");
  add->add_option("--practitioner", ua->practitioner, "Practitioner id (staff)");
  add->add_option("--patient", ua->patient, "Patient id (citizens)");
  add->add_option("--password-file", ua->password_file, "Read the password from this file");
  add->callback([&cfg, ua, action] {
    *action = [&cfg, ua]() -> int {
      if (Status st = CheckRole(ua->role); !st.ok()) return Fail(st.message());
      if (int rc = CheckFacility(cfg, ua->role, ua->facility); rc != 0) return rc;
      std::string password = auth::RandomPassword(16);
      bool printed = ua->password_file.empty();
      if (!printed) {
        bool ok = false;
        password = ReadFile(ua->password_file, &ok);
        if (!ok) return Fail("cannot read " + ua->password_file);
        if (Status st = auth::CheckPasswordPolicy(password); !st.ok()) return Fail(st.message());
      }
      auto hash = auth::HashPassword(password);
      if (!hash.ok()) return Fail(hash.status().message());
      auto accounts = OpenAccountsForCli(cfg);
      if (!accounts.ok()) return Fail(accounts.status().message());
      storage::Account a;
      a.name = ua->name;
      a.kind = "user";
      a.role = ua->role;
      a.facility = ua->facility;
      a.display = ua->display;
      a.practitioner = ua->practitioner;
      a.patient = ua->patient;
      a.password_hash = *hash;
      if (Status st = (*accounts)->Add(a); !st.ok()) return Fail(st.message());
      std::printf("added user %s (%s)\n", a.name.c_str(), a.role.c_str());
      if (printed) std::printf("password: %s\n", password.c_str());
      return 0;
    };
  });
  auto* list = user->add_subcommand("list", "List users and clients");
  data(list);
  list->callback([&cfg, action] {
    *action = [&cfg]() -> int {
      auto accounts = OpenAccountsForCli(cfg);
      if (!accounts.ok()) return Fail(accounts.status().message());
      auto all = (*accounts)->List();
      if (!all.ok()) return Fail(all.status().message());
      std::printf("%-8s %-24s %-22s %-9s %-8s %s\n", "KIND", "NAME", "ROLE", "FACILITY", "STATE",
                  "DISPLAY");
      for (const auto& a : *all) {
        std::printf("%-8s %-24s %-22s %-9s %-8s %s\n", a.kind.c_str(), a.name.c_str(),
                    a.role.c_str(), a.facility.c_str(), a.disabled ? "disabled" : "active",
                    a.display.c_str());
      }
      return 0;
    };
  });
  for (bool disable : {true, false}) {
    auto* c = user->add_subcommand(disable ? "disable" : "enable",
                                   disable ? "Disable an account (its tokens stop working)"
                                           : "Enable an account again");
    data(c);
    auto name = std::make_shared<std::string>();
    c->add_option("--name", *name, "User or client name")->required();
    c->callback([&cfg, name, disable, action] {
      *action = [&cfg, name, disable]() -> int {
        auto accounts = OpenAccountsForCli(cfg);
        if (!accounts.ok()) return Fail(accounts.status().message());
        auto a = (*accounts)->Get(*name);
        if (!a.ok()) return Fail(a.status().message());
        a->disabled = disable;
        if (Status st = (*accounts)->Update(*a); !st.ok()) return Fail(st.message());
        std::printf("%s %s\n", disable ? "disabled" : "enabled", name->c_str());
        return 0;
      };
    });
  }
  auto* passwd = user->add_subcommand("passwd", "Set a user's password (random if no file)");
  data(passwd);
  auto pw = std::make_shared<UserArgs>();
  passwd->add_option("--name", pw->name, "User name")->required();
  passwd->add_option("--password-file", pw->password_file, "Read the password from this file");
  passwd->callback([&cfg, pw, action] {
    *action = [&cfg, pw]() -> int {
      std::string password = auth::RandomPassword(16);
      if (!pw->password_file.empty()) {
        bool ok = false;
        password = ReadFile(pw->password_file, &ok);
        if (!ok) return Fail("cannot read " + pw->password_file);
        if (Status st = auth::CheckPasswordPolicy(password); !st.ok()) return Fail(st.message());
      }
      auto accounts = OpenAccountsForCli(cfg);
      if (!accounts.ok()) return Fail(accounts.status().message());
      auto a = (*accounts)->Get(pw->name);
      if (!a.ok() || a->kind != "user") return Fail("no user named '" + pw->name + "'");
      auto hash = auth::HashPassword(password);
      if (!hash.ok()) return Fail(hash.status().message());
      a->password_hash = *hash;
      if (Status st = (*accounts)->Update(*a); !st.ok()) return Fail(st.message());
      std::printf("password of %s changed\n", pw->name.c_str());
      if (pw->password_file.empty()) std::printf("password: %s\n", password.c_str());
      return 0;
    };
  });

  // --- client -----------------------------------------------------------------
  auto* client = app.add_subcommand("client", "Manage integration clients (SMART Backend Services)");
  client->require_subcommand(1);
  struct ClientArgs {
    std::string name, role = "integration", facility, display, jwks_file, scope;
  };
  auto ca = std::make_shared<ClientArgs>();
  auto* cadd = client->add_subcommand("add", "Register a client and its public keys (JWKS)");
  data(cadd);
  cadd->add_option("--name", ca->name, "client_id")->required();
  cadd->add_option("--facility", ca->facility, "MA_CSKCB code of the client's facility");
  cadd->add_option("--role", ca->role, "Role of the client")->capture_default_str();
  cadd->add_option("--display", ca->display, "What the client is (lab middleware, PACS, ...)");
  cadd->add_option("--jwks-file", ca->jwks_file, "The client's public keys (JWKS)")->required();
  cadd->add_option("--scope", ca->scope, "The most it may be granted, e.g. 'system/Observation.cru'")
      ->required();
  cadd->callback([&cfg, ca, action] {
    *action = [&cfg, ca]() -> int {
      if (Status st = CheckRole(ca->role); !st.ok()) return Fail(st.message());
      bool ok = false;
      std::string jwks = ReadFile(ca->jwks_file, &ok);
      if (!ok) return Fail("cannot read " + ca->jwks_file);
      if (auto keys = auth::ParseJwks(jwks); !keys.ok()) return Fail(keys.status().message());
      if (auto s = auth::ParseScopes(ca->scope); !s.ok()) return Fail(s.status().message());
      auto accounts = OpenAccountsForCli(cfg);
      if (!accounts.ok()) return Fail(accounts.status().message());
      storage::Account a;
      a.name = ca->name;
      a.kind = "client";
      a.role = ca->role;
      a.facility = ca->facility;
      a.display = ca->display;
      a.jwks = jwks;
      a.scopes = ca->scope;
      if (Status st = (*accounts)->Add(a); !st.ok()) return Fail(st.message());
      std::printf("registered client %s\n", a.name.c_str());
      return 0;
    };
  });

  // --- token ------------------------------------------------------------------
  auto* token = app.add_subcommand("token", "Mint access tokens from the data folder");
  token->require_subcommand(1);
  struct TokenArgs {
    std::string scope, user, client, facility, role, patient, ttl = "1h";
  };
  auto ta = std::make_shared<TokenArgs>();
  auto* issue = token->add_subcommand("issue", "Print a bearer token");
  data(issue);
  issue->add_option("--scope", ta->scope, "SMART scopes, e.g. 'system/*.cruds'")->required();
  auto* u = issue->add_option("--user", ta->user, "For this user (role and facility from the account)");
  issue->add_option("--client", ta->client, "For this client")->excludes(u);
  issue->add_option("--facility", ta->facility, "MA_CSKCB facility code (overrides the account's)");
  issue->add_option("--role", ta->role, "Role for an operator token (default: system)");
  issue->add_option("--patient", ta->patient, "Patient id (citizen tokens)");
  issue->add_option("--ttl", ta->ttl, "Lifetime: 90s, 15m, 1h, 2d")->capture_default_str();
  issue->callback([&cfg, ta, action] {
    *action = [&cfg, ta]() -> int {
      auto ttl = ParseDuration(ta->ttl);
      if (!ttl.ok()) return Fail(ttl.status().message());
      rest::TokenRequest t;
      t.scope = ta->scope;
      t.ttl_s = *ttl;
      t.subject = "operator";
      t.role = ta->role.empty() ? "system" : ta->role;
      t.patient = ta->patient;
      std::string name = !ta->user.empty() ? ta->user : ta->client;
      if (!name.empty()) {
        auto accounts = OpenAccountsForCli(cfg);
        if (!accounts.ok()) return Fail(accounts.status().message());
        auto a = (*accounts)->Get(name);
        if (!a.ok() || a->kind != (ta->user.empty() ? "client" : "user")) {
          return Fail("no " + std::string(ta->user.empty() ? "client" : "user") + " named '" +
                      name + "'");
        }
        if (a->disabled) return Fail("the account '" + name + "' is disabled");
        t.subject = a->kind + ":" + a->name;
        t.role = a->role;
        t.facility = a->facility;
        t.practitioner = a->practitioner;
        if (t.patient.empty()) t.patient = a->patient;
      }
      if (!ta->facility.empty()) t.facility = ta->facility;
      if (Status st = CheckRole(t.role); !st.ok()) return Fail(st.message());
      auto keys = auth::KeyStore::Open(cfg.data + "/keys");
      if (!keys.ok()) return Fail(keys.status().message());
      auto jwt = rest::IssueAccessToken(**keys, rest::AuthOptions{}.issuer, t);
      if (!jwt.ok()) return Fail(jwt.status().message());
      std::printf("%s\n", jwt->c_str());
      return 0;
    };
  });

  // --- audit ------------------------------------------------------------------
  auto* audit = app.add_subcommand("audit", "Check the tamper-evident audit trail");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Recompute every hash of the audit trail");
  data(verify);
  verify->callback([&cfg, action] {
    *action = [&cfg]() -> int {
      auto dir = OpenDataDir(cfg.data);
      if (!dir.ok()) return Fail(dir.status().message() + " (stop the server to verify)");
      auto store = OpenStore(**dir, cfg);
      if (!store.ok()) return Fail(store.status().message());
      auto report = (*store)->VerifyAuditChain();
      (*store)->Close();
      if (!report.ok()) return Fail(report.status().message());
      if (!report->intact) {
        std::printf("audit trail BROKEN at record %lld: %s\n",
                    static_cast<long long>(report->first_bad_seq), report->problem.c_str());
        return 3;
      }
      std::printf("audit trail intact: %lld records; last hash %s\n",
                  static_cast<long long>(report->links), report->last_hash.c_str());
      return 0;
    };
  });

  // --- reindex ----------------------------------------------------------------
  auto types = std::make_shared<std::vector<std::string>>();
  auto* reindex = app.add_subcommand(
      "reindex", "Recompute the search index of stored resources (after search parameters change)");
  data(reindex);
  reindex->add_option("--type", *types, "Only these resource types (repeatable)");
  reindex->callback([&cfg, types, action] {
    *action = [&cfg, types]() -> int { return RunReindex(cfg, *types); };
  });
}

}  // namespace hb::app
