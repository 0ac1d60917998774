// Orthanc's change feed (GET /changes?since=N&limit=M, https://orthanc.uclouvain.be/book/
// users/rest.html#tracking-changes): a numbered log of what happened in the PACS. The PACS
// link follows it from a persisted cursor and acts on StableStudy, the event Orthanc raises
// when no instance of a study has arrived for StableAge seconds.
//
// Contract: pure; thread-safe. ParseChanges fails with kMalformedJson on a page that is not
// the documented shape (so a wrong URL never silently advances the cursor).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace hb::imaging {

struct Change {
  int64_t seq = 0;
  std::string type;         // "StableStudy", "NewInstance", ...
  std::string resource_id;  // Orthanc's id of the study/series/instance/patient
};

struct ChangePage {
  std::vector<Change> changes;
  int64_t last = 0;  // the cursor to ask from next
  bool done = true;  // false: more changes are waiting right now
};

Result<ChangePage> ParseChanges(std::string_view json);
// The ids of the studies that became stable in `page`, in order, each once.
std::vector<std::string> StableStudies(const ChangePage& page);

}  // namespace hb::imaging
