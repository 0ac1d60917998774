// Search parameters defined as data: SearchParameter resources on top of the R4 core ones.
//
// Built in: the Vietnamese parameters in resources/fhir/vn/SearchParameter-*.json (CCCD,
// CMND and insurance-card number, ethnicity and commune on Patient; imaging study on
// DiagnosticReport; interpretation on Observation), linked into the
// binary and rebased onto the configured identifier-system base. A deployment adds its
// own as SearchParameter JSON files in <data>/search-parameters/. They take effect at
// start-up (ParamRegistry::Configure before the store opens); `healthbook reindex` fills
// their index rows for the resources already stored.
//
// Accepted: status active (or draft), a code that is not already a parameter of a base
// type, type number|date|string|token|reference|quantity|uri, base types that exist, and
// an expression that compiles. Anything else is an error naming the file and the reason:
// a definition is never half-applied.
//
// Contract: pure functions apart from reading files; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace hb::search {

struct CustomParamDef {
  std::string url, code, type, expression;
  std::vector<std::string> base, target;
  std::string source;  // where it came from (file name), for messages
};

// One SearchParameter resource (JSON text).
Result<CustomParamDef> ParseCustomSearchParameter(std::string_view json, std::string_view source);

// The built-in Vietnamese parameters, then every *.json in `dir` (sorted by name; a
// missing folder is no error). Duplicate codes on one base are an error.
Result<std::vector<CustomParamDef>> LoadCustomSearchParameters(const std::string& dir);

// The *.json files in `dir`, sorted by name, as (file name, text); a missing folder has
// none. kInvalidArgument "<what> <file>: cannot be read" for a file that cannot be read.
Result<std::vector<std::pair<std::string, std::string>>> ReadJsonFiles(const std::string& dir,
                                                                     std::string_view what);

}  // namespace hb::search
