// The healthbook subcommands. Each returns the process exit code and prints
// its own errors (to stderr) so that main stays a dispatcher.
#pragma once

#include <cstdint>
#include <string>

#include "app/config.h"

namespace hb::app {

int RunServe(const Config& cfg);

struct DemoArgs {
  int patients = 2000;
  uint64_t seed = 1;
};
int RunDemo(const Config& cfg, const DemoArgs& args);

// Prints the FHIRPath `expression` evaluated over the FHIR JSON file as a JSON array of
// {"type", "value"}; 1 with a message on stderr for an unreadable input or a bad expression.
int RunFhirpathEval(const std::string& input_path, const std::string& expression);

}  // namespace hb::app
