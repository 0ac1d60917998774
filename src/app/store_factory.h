// Opens the configured ResourceStore over a data folder (SQLite for now; the
// PostgreSQL store arrives behind the same interface).
#pragma once

#include <memory>

#include "app/config.h"
#include "app/data_dir.h"
#include "storage/resource_store.h"

namespace hb::app {

Result<std::unique_ptr<storage::ResourceStore>> OpenStore(const DataDir& dir, const Config& cfg);

}  // namespace hb::app
