// Result<T>: a value or a failing Status.
//
// Contract: holds exactly one of T or a non-OK Status. value() on an error is a
// bug and aborts (assert-like). Thread-compatible like T.
#pragma once

#include <cstdlib>
#include <optional>
#include <utility>

#include "common/status.h"

namespace hb {

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) std::abort();  // a Result built from OK must carry a value
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { return Checked(); }
  const T& value() const& { return const_cast<Result*>(this)->Checked(); }
  T&& value() && { return std::move(Checked()); }
  T* operator->() { return &Checked(); }
  const T* operator->() const { return &const_cast<Result*>(this)->Checked(); }
  T& operator*() & { return Checked(); }
  const T& operator*() const& { return const_cast<Result*>(this)->Checked(); }

 private:
  T& Checked() {
    if (!value_) std::abort();
    return *value_;
  }
  std::optional<T> value_;
  Status status_;
};

#define HB_CONCAT_INNER(a, b) a##b
#define HB_CONCAT(a, b) HB_CONCAT_INNER(a, b)
#define HB_ASSIGN_OR_RETURN(lhs, expr)                          \
  auto HB_CONCAT(hb_result_, __LINE__) = (expr);                \
  if (!HB_CONCAT(hb_result_, __LINE__).ok())                    \
    return HB_CONCAT(hb_result_, __LINE__).status();            \
  lhs = std::move(HB_CONCAT(hb_result_, __LINE__)).value()

}  // namespace hb
