// The change-feed cursor, kept as a FHIR resource: a Basic with the fixed id kCursorId whose
// extension holds the last Orthanc change sequence number acted on. A resource rather than a
// table (storage is not this module's) or a file (it would not travel with a backup of the
// store): it is written through the same path as the studies, so a restored store resumes
// where its own data ends. Replaying changes is harmless (studies are conditional updates).
//
// Contract: pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace hb::imaging {

// The Basic resource (with id) holding `seq`.
std::string CursorJson(int64_t seq);
// The sequence number in a stored cursor resource; kInvalidArgument when it holds none.
Result<int64_t> ParseCursor(std::string_view json);

}  // namespace hb::imaging
