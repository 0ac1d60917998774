#include "common/status.h"

namespace hb {

namespace {
const std::string& Empty() {
  static const std::string kEmpty;
  return kEmpty;
}
const std::vector<Issue>& NoIssues() {
  static const std::vector<Issue> kNone;
  return kNone;
}
}  // namespace

Status::Status(ErrorCode code, std::string message, std::string location) {
  if (code == ErrorCode::kOk) return;
  auto rep = std::make_shared<Rep>();
  rep->issues.push_back(Issue{code, std::move(message), std::move(location), false});
  rep_ = std::move(rep);
}

Status Status::FromIssues(std::vector<Issue> issues) {
  Status s;
  if (issues.empty()) return s;
  auto rep = std::make_shared<Rep>();
  rep->issues = std::move(issues);
  s.rep_ = std::move(rep);
  return s;
}

const std::string& Status::message() const {
  return rep_ ? rep_->issues.front().message : Empty();
}

const std::string& Status::location() const {
  return rep_ ? rep_->issues.front().location : Empty();
}

const std::vector<Issue>& Status::issues() const { return rep_ ? rep_->issues : NoIssues(); }

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(ErrorCodeName(code()));
  out += ": ";
  if (!location().empty()) {
    out += location();
    out += ": ";
  }
  out += message();
  if (rep_->issues.size() > 1) {
    out += " (and " + std::to_string(rep_->issues.size() - 1) + " more)";
  }
  return out;
}

}  // namespace hb
