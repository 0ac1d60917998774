// Registers the administration subcommands (user, client, token, audit) on the
// command line; the chosen one stores its work in *action, which main runs.
#pragma once

#include <functional>
#include <memory>

#include "app/config.h"
#include "app/data_dir.h"
#include "storage/account_store.h"

namespace CLI {
class App;
}

namespace hb::app {

void AddAdminCommands(CLI::App& app, Config& cfg, std::function<int()>* action);
// The accounts of the data folder (creating and migrating the store when new).
Result<std::unique_ptr<storage::AccountStore>> OpenAccountsForCli(const Config& cfg);

}  // namespace hb::app
