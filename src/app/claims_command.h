// The claims subcommands (`healthbook claims validate|verify|export|codesystem`) and the
// setup the server and the demo share: where the price list and the facility key live in
// the data folder, and opening the claims service from the configuration.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "app/config.h"
#include "claims/claim_service.h"

namespace CLI {
class App;
}

namespace hb::app {

void AddClaimsCommands(CLI::App& app, Config& cfg, std::function<int()>* action);

// <data>/claims: the demo price list (demo only) and, when no key is configured, a
// self-signed facility key and certificate made on first start.
Status PrepareClaimsData(const Config& cfg, const std::string& data_dir, bool demo_price_list);
// Hands ICD-10 (QĐ 4469, embedded) as a CodeSystem resource to `write`.
Status AddIcd10CodeSystem(const std::function<Status(std::string)>& write);
// The claims service of the configuration over `data_dir`; kNotFound when there is no
// price list yet (claims are then off).
Result<std::unique_ptr<claims::ClaimService>> OpenClaimService(const Config& cfg,
                                                               const std::string& data_dir);

}  // namespace hb::app
