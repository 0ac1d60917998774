// Status: the outcome of an operation that can fail in an expected way.
//
// Contract: a Status is either OK (no allocation) or carries an ErrorCode from
// resources/error_codes.json, a human-readable message, and optionally the
// FHIRPath location of the offending element ("Patient.birthDate"). Statuses are
// values: copyable, movable, thread-compatible. Exceptions are reserved for bugs
// and thread boundaries; everything a client can cause returns a Status.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/generated/error_codes.h"

namespace hb {

// One problem found while processing a request; a Status can carry several.
struct Issue {
  ErrorCode code = ErrorCode::kInvalidArgument;
  std::string message;
  std::string location;  // FHIRPath of the element, empty when not applicable
  bool warning = false;  // true: informational, does not fail the request
};

class Status {
 public:
  Status() = default;  // OK
  Status(ErrorCode code, std::string message, std::string location = {});

  static Status Ok() { return Status(); }
  // A failing status with several issues; the first one sets code and message.
  static Status FromIssues(std::vector<Issue> issues);

  bool ok() const { return rep_ == nullptr; }
  explicit operator bool() const { return ok(); }
  ErrorCode code() const { return rep_ ? rep_->issues.front().code : ErrorCode::kOk; }
  ErrorCategory category() const { return CategoryOf(code()); }
  const std::string& message() const;
  const std::string& location() const;
  const std::vector<Issue>& issues() const;

  // "InvalidResource: Patient.birthDate: not a valid date"
  std::string ToString() const;

 private:
  struct Rep {
    std::vector<Issue> issues;
  };
  std::shared_ptr<const Rep> rep_;
};

#define HB_RETURN_IF_ERROR(expr)            \
  do {                                      \
    ::hb::Status hb_status_ = (expr);       \
    if (!hb_status_.ok()) return hb_status_; \
  } while (0)

}  // namespace hb
