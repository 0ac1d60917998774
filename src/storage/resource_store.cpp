#include "storage/resource_store.h"

#include <future>

namespace hb::storage {

std::string_view MethodName(Method m) {
  switch (m) {
    case Method::kCreate: return "POST";
    case Method::kUpdate: return "PUT";
    case Method::kPatch: return "PATCH";
    case Method::kDelete: return "DELETE";
  }
  return "PUT";
}

Status ResourceStore::WriteSync(WorkFn work) {
  std::promise<Status> promise;
  auto future = promise.get_future();
  Write(std::move(work), [&promise](Status st) { promise.set_value(std::move(st)); });
  return future.get();
}

}  // namespace hb::storage
