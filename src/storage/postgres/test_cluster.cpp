#include "storage/postgres/test_cluster.h"

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "storage/postgres/connection.h"

namespace hb::storage::postgres {

namespace {

std::string FindBindir() {
  if (const char* env = std::getenv("HB_PG_BINDIR"); env && *env) return env;
  std::string best;
  int best_version = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    int v = std::atoi(e.path().filename().c_str());
    if (v > best_version && std::filesystem::exists(e.path() / "bin" / "initdb")) {
      best_version = v;
      best = (e.path() / "bin").string();
    }
  }
  return best;  // empty: rely on PATH
}

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t n = sizeof(a);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n) == 0) {
    port = ntohs(a.sin_port);
  }
  ::close(fd);
  return port;
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

Result<std::unique_ptr<TestCluster>> TestCluster::Start(bool durable) {
  auto c = std::unique_ptr<TestCluster>(new TestCluster());
  c->bindir_ = FindBindir();
  std::string tmpl = (std::filesystem::temp_directory_path() / "hb-pg-XXXXXX").string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) {
    return Status(ErrorCode::kUnavailable, "cannot make a temporary folder for PostgreSQL");
  }
  c->dir_ = buf.data();
  std::string prefix;
  if (::geteuid() == 0) {
    const passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr) pw = ::getpwnam("nobody");
    if (pw == nullptr)
      return Status(ErrorCode::kUnavailable, "no unprivileged user to run PostgreSQL");
    c->run_as_ = pw->pw_name;
    if (::chown(c->dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      return Status(ErrorCode::kUnavailable, "cannot hand " + c->dir_ + " to " + c->run_as_);
    }
    prefix = "runuser -u " + c->run_as_ + " -- ";
  }
  auto bin = [&](const char* name) {
    return prefix + (c->bindir_.empty() ? std::string(name) : Quote(c->bindir_ + "/" + name));
  };
  std::string data = c->dir_ + "/data";
  std::string init = bin("initdb") + " -D " + Quote(data) +
                     " -A trust -U postgres -E UTF8 --locale=C --no-sync > " +
                     Quote(c->dir_ + "/initdb.log") + " 2>&1";
  if (std::system(init.c_str()) != 0) {
    return Status(ErrorCode::kUnavailable,
                  "initdb failed (is PostgreSQL installed? see " + c->dir_ + "/initdb.log)");
  }
  for (int attempt = 0; attempt < 3 && !c->started_; ++attempt) {
    c->port_ = FreePort();
    std::string opts = "-p " + std::to_string(c->port_) + " -k " + c->dir_ +
                       " -c listen_addresses=127.0.0.1 -c max_connections=200" +
                       std::string(durable ? ""
                                           : " -c fsync=off -c synchronous_commit=off "
                                             "-c full_page_writes=off");
    std::string start = bin("pg_ctl") + " -D " + Quote(data) + " -o " + Quote(opts) + " -l " +
                        Quote(c->dir_ + "/server.log") + " -w -t 30 start > /dev/null 2>&1";
    c->started_ = std::system(start.c_str()) == 0;
  }
  if (!c->started_) {
    return Status(ErrorCode::kUnavailable,
                  "PostgreSQL did not start (see " + c->dir_ + "/server.log)");
  }
  c->admin_url_ = "postgresql://postgres@127.0.0.1:" + std::to_string(c->port_) + "/postgres";
  // A watcher in a session of its own stops the cluster (and removes its folder) once this
  // process is gone, should it die without running the destructor: a crash, or ctest
  // killing a test that ran past its timeout. After a normal stop it finds nothing to do.
  std::string cleanup = c->StopCommand();
  if (std::getenv("HB_KEEP_DATA") == nullptr) cleanup += "; rm -rf " + Quote(c->dir_);
  std::string watch = "setsid sh -c " +
                      Quote("while kill -0 " + std::to_string(::getpid()) +
                            " 2>/dev/null; do sleep 1; done; " + cleanup) +
                      " < /dev/null > /dev/null 2>&1 &";
  (void)std::system(watch.c_str());
  return c;
}

std::string TestCluster::StopCommand() const {
  std::string prefix = run_as_.empty() ? "" : "runuser -u " + run_as_ + " -- ";
  std::string pg_ctl = bindir_.empty() ? "pg_ctl" : Quote(bindir_ + "/pg_ctl");
  return prefix + pg_ctl + " -D " + Quote(dir_ + "/data") + " -m immediate -w stop > /dev/null 2>&1";
}

TestCluster::~TestCluster() {
  if (started_) (void)std::system(StopCommand().c_str());
  if (!dir_.empty() && std::getenv("HB_KEEP_DATA") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Result<std::string> TestCluster::CreateDatabase() {
  HB_ASSIGN_OR_RETURN(auto admin, Connection::Open(admin_url_));
  std::string name = "hb_test_" + std::to_string(++databases_);
  HB_RETURN_IF_ERROR(admin->Exec("CREATE DATABASE " + QuoteIdent(name)));
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + name;
}

}  // namespace hb::storage::postgres
