// Registers the administration subcommands (user, client, token, audit, reindex) on the
// command line; the chosen one stores its work in *action, which main runs.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/data_dir.h"
#include "storage/account_store.h"

namespace CLI {
class App;
}

namespace hb::app {

void AddAdminCommands(CLI::App& app, Config& cfg, std::function<int()>* action);
// Recomputes the search index rows of the stored resources (all types when none given).
int RunReindex(const Config& cfg, const std::vector<std::string>& only_types);
// The accounts of the data folder (creating and migrating the store when new).
Result<std::unique_ptr<storage::AccountStore>> OpenAccountsForCli(const Config& cfg);

}  // namespace hb::app
