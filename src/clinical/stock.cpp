#include "clinical/stock.h"

#include <algorithm>
#include <cstdio>

namespace hb::clinical {

namespace {

std::string Show(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

Result<std::vector<BatchPick>> PickFefo(std::vector<BatchStock> batches, double quantity,
                                        std::string_view today, std::string_view what) {
  if (!(quantity > 0)) {
    return Status(ErrorCode::kUnprocessable, "số lượng cấp phải lớn hơn 0");
  }
  std::sort(batches.begin(), batches.end(), [](const BatchStock& a, const BatchStock& b) {
    if (a.expiry != b.expiry) return a.expiry < b.expiry;
    return a.lot < b.lot;
  });
  double usable = 0, expired = 0;
  for (const auto& b : batches) {
    if (b.on_hand <= 0) continue;
    (!b.expiry.empty() && b.expiry.substr(0, 10) < today ? expired : usable) += b.on_hand;
  }
  if (usable + 1e-9 < quantity) {
    std::string msg = "Không đủ tồn kho " + std::string(what) + ": cần " + Show(quantity) +
                      ", còn dùng được " + Show(usable);
    if (expired > 0) msg += " (" + Show(expired) + " thuộc lô đã hết hạn, không được cấp)";
    return Status(ErrorCode::kConflict, msg);
  }
  std::vector<BatchPick> out;
  double left = quantity;
  for (const auto& b : batches) {
    if (left <= 1e-9) break;
    if (b.on_hand <= 0 || (!b.expiry.empty() && b.expiry.substr(0, 10) < today)) continue;
    double take = std::min(left, b.on_hand);
    out.push_back({b.batch_id, b.lot, b.expiry, take});
    left -= take;
  }
  return out;
}

}  // namespace hb::clinical
