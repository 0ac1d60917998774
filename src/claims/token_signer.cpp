#include "claims/token_signer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

extern char** environ;

namespace hb::claims {

namespace {

std::string DefaultHelper() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "healthbook-p11sign";
  return (self.parent_path() / "healthbook-p11sign").string();
}

// Runs `argv` with `input` on stdin and `env_extra` added to the environment; the child's
// stdout in *out, its stderr in *err. Both pipes are drained together with poll() so
// neither side can block the other.
int Run(const std::vector<std::string>& argv, const std::vector<std::string>& env_extra,
        std::string_view input, std::string* out, std::string* err) {
  int in_p[2], out_p[2], err_p[2];
  if (pipe2(in_p, O_CLOEXEC) || pipe2(out_p, O_CLOEXEC) || pipe2(err_p, O_CLOEXEC)) return -1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_p[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out_p[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_p[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e) env_store.emplace_back(*e);
  for (const auto& e : env_extra) env_store.push_back(e);
  std::vector<char*> env;
  for (auto& e : env_store) env.push_back(e.data());
  env.push_back(nullptr);
  pid_t pid;
  const int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&fa);
  close(in_p[0]);
  close(out_p[1]);
  close(err_p[1]);
  if (rc != 0) {
    close(in_p[1]);
    close(out_p[0]);
    close(err_p[0]);
    return -1;
  }
  signal(SIGPIPE, SIG_IGN);  // a helper that dies early must not take us with it
  size_t written = 0;
  int in_fd = in_p[1];
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  int fds_out[2] = {out_p[0], err_p[0]};
  std::string* sinks[2] = {out, err};
  char buf[65536];
  while (fds_out[0] >= 0 || fds_out[1] >= 0) {
    pollfd fds[3] = {{fds_out[0], POLLIN, 0}, {fds_out[1], POLLIN, 0}, {in_fd, POLLOUT, 0}};
    if (poll(fds, 3, 60000) <= 0) break;  // negative fds are ignored by poll
    if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = write(in_fd, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n <= 0 || written == input.size()) {
        close(in_fd);
        in_fd = -1;
      }
    }
    for (int i = 0; i < 2; ++i) {
      if (fds_out[i] < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(fds_out[i], buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else {
        close(fds_out[i]);
        fds_out[i] = -1;
      }
    }
  }
  for (int fd : fds_out) {
    if (fd >= 0) close(fd);
  }
  if (in_fd >= 0) close(in_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class TokenSigner final : public Signer {
 public:
  explicit TokenSigner(SignerOptions o) : o_(std::move(o)) {
    if (o_.helper.empty()) o_.helper = DefaultHelper();
  }

  Result<std::string> Sign(std::string_view xml) const override {
    std::string out, err;
    const int rc = Run({o_.helper, "--module", o_.pkcs11_module, "--token", o_.pkcs11_token,
                        "--key", o_.pkcs11_key},
                       {"HB_PKCS11_PIN=" + o_.pkcs11_pin}, xml, &out, &err);
    if (rc != 0) {
      while (!err.empty() && err.back() == '\n') err.pop_back();
      return Status(ErrorCode::kUnavailable, "token signing failed (" + o_.helper + ", exit " +
                                                 std::to_string(rc) + "): " + err);
    }
    return out;
  }

  const std::string& subject() const override { return subject_; }
  void set_subject(std::string s) { subject_ = std::move(s); }

 private:
  SignerOptions o_;
  std::string subject_;
};

}  // namespace

Result<std::unique_ptr<Signer>> OpenTokenSigner(const SignerOptions& o) {
  if (o.pkcs11_token.empty() || o.pkcs11_key.empty())
    return Status(ErrorCode::kInvalidArgument,
                  "a PKCS#11 signer needs the token label and the key label (claims.pkcs11_token, "
                  "claims.pkcs11_key)");
  auto signer = std::make_unique<TokenSigner>(o);
  static constexpr std::string_view kProbe =
      "<?xml version=\"1.0\" "
      "encoding=\"utf-8\"?>\n<GIAMDINHHS><CHUKYDONVI></CHUKYDONVI></GIAMDINHHS>\n";
  HB_ASSIGN_OR_RETURN(std::string probe, signer->Sign(kProbe));
  HB_ASSIGN_OR_RETURN(SignatureCheck check, VerifySignature(probe));
  if (!check.valid)
    return Status(ErrorCode::kUnavailable,
                  "the token's test signature does not verify: " + check.problem);
  signer->set_subject(check.subject);
  return std::unique_ptr<Signer>(std::move(signer));
}

}  // namespace hb::claims
