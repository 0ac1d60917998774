// The `department` parameter of the queue operations: a code ("KHAMNOI": valueString or
// valueCode, or a query value), or a Location or Organization (valueReference, or
// "Location/id" as a query value), which must exist. Its key names the queue.
#pragma once

#include <string>

#include "operations/parameters.h"
#include "storage/resource_store.h"

namespace hb::operations {

struct Department {
  std::string key;          // "KHAMNOI" or "Location/abc"
  std::string display;      // the Location's or Organization's name; the code otherwise
  std::string location_id;  // when a Location
};

Result<Department> ReadDepartment(storage::ReadTxn& txn, const ParametersIn& in);

}  // namespace hb::operations
